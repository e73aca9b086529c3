package pbwebhook.http;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import pbwebhook.Addresses;
import pbwebhook.ingest.InvalidPayloadException;
import pbwebhook.ingest.LhProfileMapper;

/** The webhooks lead-generation tools post to. */
public final class WebhookRoutes {

  static final long WEBHOOK_BODY_LIMIT = 1024 * 1024;

  private final Vertx vertx;
  private final ClientResolver clients;
  private final RequestAuth auth;

  public WebhookRoutes(Vertx vertx, ClientResolver clients, RequestAuth auth) {
    this.vertx = vertx;
    this.clients = clients;
    this.auth = auth;
  }

  public void mount(Router router) {
    router.post("/lh-webhook/upsertLeadOnly")
        .handler(BodyHandler.create(false).setBodyLimit(WEBHOOK_BODY_LIMIT))
        .handler(auth::requireWebhookSecret)
        .handler(this::upsertLeadOnly);
  }

  /** LinkedHelper: one profile or an array; answers the old message plus counts and per-profile errors. */
  private void upsertLeadOnly(RoutingContext ctx) {
    Instant receivedAt = Instant.now();
    if (ctx.body().length() == 0) {
      Responses.json(ctx, 200, new JsonObject().put("message", "No leads provided…").put("upserted", 0).put("failed", 0));
      return;
    }
    List<JsonObject> profiles = JsonBodies.objects(ctx.body().buffer(), "profile");
    if (profiles.isEmpty()) {
      Responses.json(ctx, 200, new JsonObject().put("message", "No leads provided…").put("upserted", 0).put("failed", 0));
      return;
    }
    List<String> invalid = new ArrayList<>();
    List<JsonObject> valid = new ArrayList<>();
    for (int i = 0; i < profiles.size(); i++) {
      try {
        LhProfileMapper.map(profiles.get(i), receivedAt);
        valid.add(profiles.get(i));
      } catch (InvalidPayloadException e) {
        invalid.add((profiles.size() == 1 ? "" : "profile[" + i + "]: ") + e.getMessage());
      }
    }
    if (invalid.size() == profiles.size()) {
      throw ApiError.badRequest(profiles.size() == 1 ? invalid.get(0) : "no valid profile: " + String.join("; ", invalid));
    }
    clients.resolve(ctx)
        .compose(client -> vertx.eventBus().<JsonObject>request(Addresses.ingest(client.clientId()),
            new JsonObject().put("profiles", new JsonArray(new ArrayList<>(valid))).put("receivedAt", receivedAt.toString()),
            new DeliveryOptions().setSendTimeout(120_000))
            .map(reply -> reply.body().put("clientId", client.clientId())))
        .onSuccess(r -> {
          int upserted = r.getInteger("upserted");
          int failed = r.getInteger("failed") + invalid.size();
          r.put("failed", failed).put("errors", new JsonArray(new ArrayList<>(invalid)).addAll(r.getJsonArray("errors")));
          r.put("message", "Upserted/Updated " + upserted + " LH profiles, Failed: " + failed);
          // Nothing stored at all because the store refused: the sender must know, so it can retry.
          Responses.json(ctx, upserted == 0 ? 503 : 200, upserted == 0 ? r.put("ok", false) : r);
        })
        .onFailure(e -> ErrorResponder.respond(ctx, e));
  }
}
