package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pbwebhook.Addresses;
import pbwebhook.ai.AiScorer;
import pbwebhook.config.AppConfig;
import pbwebhook.store.RecordStore;

/**
 * {@code GET /health}: plain {@code ok}, or a JSON detail form with store, scorer and clients. Store
 * descriptions, errors and the scorer's endpoint or project (the part in brackets) name files, directories and hosts, so they are shown only
 * to a caller with the admin token.
 */
public final class HealthRoutes {

  private final Vertx vertx;
  private final AppConfig config;
  private final RecordStore store;
  private final AiScorer scorer;
  private final RequestAuth auth;

  public HealthRoutes(Vertx vertx, AppConfig config, RecordStore store, AiScorer scorer, RequestAuth auth) {
    this.auth = auth;
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.scorer = scorer;
  }

  public void mount(Router router) {
    router.get("/health").handler(this::health);
  }

  private void health(RoutingContext ctx) {
    String accept = ctx.request().getHeader("Accept");
    boolean detail = Responses.flag(ctx, "detail") || (accept != null && accept.contains("application/json"));
    if (!detail) {
      ctx.response().putHeader("content-type", "text/plain").end("ok");
      return;
    }
    boolean operator = auth.hasAdminToken(ctx);
    String probeBase = config.masterClientsBaseId() != null ? config.masterClientsBaseId() : config.airtableBaseId();
    Future<Void> ping = probeBase == null ? Future.succeededFuture() : store.ping(probeBase);
    Future<JsonObject> clients = vertx.eventBus().<JsonObject>request(Addresses.CLIENTS_LIST, new JsonObject(), Addresses.local())
        .map(m -> m.body());
    Future.join(ping, clients).onComplete(ar -> {
      JsonObject storeStatus = new JsonObject().put("kind", config.store().name().toLowerCase())
          .put("reachable", ping.succeeded());
      // The description and errors name files and directories: only the operator sees them.
      if (operator) {
        storeStatus.put("description", store.describe());
        if (ping.failed()) storeStatus.put("error", ping.cause().getMessage());
      }
      JsonObject body = new JsonObject()
          .put("status", ping.succeeded() ? "ok" : "degraded")
          .put("store", storeStatus)
          .put("scorer", new JsonObject().put("provider", operator ? scorer.describe() : scorer.describe().replaceFirst(" \\(.*\\)$", "")))
          .put("demoMode", config.demoMode())
          .put("clients", clients.succeeded() ? clients.result().getJsonArray("clients").size() : null);
      Responses.json(ctx, 200, body);
    });
  }
}
