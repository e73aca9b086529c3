package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import pbwebhook.Addresses;
import pbwebhook.clients.Client;
import pbwebhook.ingest.InvalidPayloadException;
import pbwebhook.ingest.PbPostsParser;

/**
 * The PhantomBuster posts webhook ({@code POST /api/pb-webhook}) and the Text Blaze webhook
 * ({@code POST /textblaze-linkedin-webhook}). Both answer after the client's worker has written the store,
 * so a failure is reported to the sender instead of being lost (system.md §8 item 20).
 */
public final class PostWebhookRoutes {

  /** PhantomBuster result sets can be large (system.md §1, behaviour-decisions.md Security). */
  static final long PB_BODY_LIMIT = 10L * 1024 * 1024;
  private static final long WORKER_TIMEOUT_MS = 120_000;
  private static final List<String> TEXT_BLAZE_FIELDS = List.of("linkedinMessage", "profileUrl", "timestamp");

  private final Vertx vertx;
  private final ClientResolver clients;
  private final RequestAuth auth;

  public PostWebhookRoutes(Vertx vertx, ClientResolver clients, RequestAuth auth) {
    this.vertx = vertx;
    this.clients = clients;
    this.auth = auth;
  }

  /** Mount before the {@code /api/*} admin handlers: this webhook authenticates with the webhook secret. */
  public void mount(Router router) {
    router.post("/api/pb-webhook")
        .handler(BodyHandler.create(false).setBodyLimit(PB_BODY_LIMIT))
        .handler(auth::requireWebhookSecretOrBodySecret)
        .handler(this::pbWebhook);
    router.post("/textblaze-linkedin-webhook")
        .handler(BodyHandler.create(false).setBodyLimit(WebhookRoutes.WEBHOOK_BODY_LIMIT))
        .handler(auth::requireWebhookSecret)
        .handler(this::textBlaze);
  }

  private void pbWebhook(RoutingContext ctx) {
    Instant receivedAt = Instant.now();
    JsonObject body = objectBody(ctx, "{\"resultObject\": …}");
    if (!body.containsKey("resultObject") || body.getValue("resultObject") == null) {
      throw ApiError.badRequest("resultObject is missing: the body must be PhantomBuster's {\"resultObject\": …}");
    }
    PbPostsParser.Parsed parsed;
    try {
      parsed = PbPostsParser.parse(body.getValue("resultObject"));
    } catch (InvalidPayloadException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    JsonArray items = new JsonArray();
    parsed.profiles().forEach(p -> items.add(p.toJson()));
    clients.resolve(ctx)
        .compose(client -> items.isEmpty()
            ? Future.succeededFuture(new JsonObject().put("processed", 0).put("updated", 0).put("skipped", 0)
                .put("unmatched", 0).put("postsAdded", 0).put("errors", new JsonArray()))
            : vertx.eventBus().<JsonObject>request(Addresses.posts(client.clientId()),
                    new JsonObject().put("items", items).put("receivedAt", receivedAt.toString()),
                    new DeliveryOptions().setSendTimeout(WORKER_TIMEOUT_MS))
                .map(m -> m.body()))
        .onSuccess(r -> {
          int added = r.getInteger("postsAdded", 0);
          r.put("message", "Webhook received. " + added + " new post" + (added == 1 ? "" : "s") + " stored for "
              + r.getInteger("updated") + " lead" + (r.getInteger("updated") == 1 ? "" : "s") + ".");
          r.put("ignoredItems", parsed.ignored());
          if (parsed.repair() != null) r.put("resultObjectParse", parsed.repair().name());
          Responses.json(ctx, 200, r);
        })
        .onFailure(e -> ErrorResponder.respond(ctx, e));
  }

  private void textBlaze(RoutingContext ctx) {
    JsonObject body = objectBody(ctx, "{linkedinMessage, profileUrl, timestamp}");
    List<String> missing = new ArrayList<>();
    for (String f : TEXT_BLAZE_FIELDS) {
      Object v = body.getValue(f);
      if (v == null || String.valueOf(v).isBlank()) missing.add(f);
    }
    if (!missing.isEmpty()) {
      throw ApiError.badRequest("missing required field" + (missing.size() == 1 ? "" : "s") + ": " + String.join(", ", missing));
    }
    String profileUrl = String.valueOf(body.getValue("profileUrl")).trim();
    JsonObject note = new JsonObject().put("profileUrl", profileUrl)
        .put("linkedinMessage", String.valueOf(body.getValue("linkedinMessage")))
        .put("timestamp", String.valueOf(body.getValue("timestamp")));
    clients.resolve(ctx)
        .compose(client -> vertx.eventBus().<JsonObject>request(Addresses.leadNote(client.clientId()), note,
                new DeliveryOptions().setSendTimeout(WORKER_TIMEOUT_MS))
            .map(m -> reply(client, m.body().getString("recordId"), profileUrl)))
        .onSuccess(r -> Responses.json(ctx, 200, r))
        .onFailure(e -> ErrorResponder.respond(ctx, e));
  }

  private static JsonObject reply(Client client, String recordId, String profileUrl) {
    return new JsonObject()
        .put("status", "success")
        .put("message", "LinkedIn message logged to the Notes of " + profileUrl)
        .put("airtableRecordUrl", "https://airtable.com/" + client.baseId() + "/Leads/" + recordId)
        .put("recordId", recordId);
  }

  private static JsonObject objectBody(RoutingContext ctx, String expected) {
    Object parsed = JsonBodies.parse(ctx.body().buffer());
    if (parsed instanceof JsonObject o) return o;
    throw ApiError.badRequest(parsed == null ? "empty body: expected a JSON object " + expected
        : "body must be a JSON object " + expected);
  }
}
