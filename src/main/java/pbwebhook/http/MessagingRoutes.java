package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import pbwebhook.Addresses;

/**
 * Outbound LinkedIn messages through PhantomBuster (system.md §1 Messaging), admin only: {@code /api/initiate-pb-message},
 * the old {@code /enqueue}, and {@code GET /api/clients/{id}/messages}. The client's worker checks, queues and sends;
 * no credential passes through here (the worker reads them from the client's Credentials when a job runs).
 */
public final class MessagingRoutes {

  private final Vertx vertx;
  private final ClientResolver clients;
  private final RequestAuth auth;

  public MessagingRoutes(Vertx vertx, ClientResolver clients, RequestAuth auth) {
    this.vertx = vertx;
    this.clients = clients;
    this.auth = auth;
  }

  public void mount(Router router) {
    router.route("/api/initiate-pb-message").method(HttpMethod.GET).method(HttpMethod.POST).handler(this::initiate);
    // Authenticated before the body is read, as every admin route is.
    router.post("/enqueue").handler(auth::requireAdmin);
    router.post("/enqueue").handler(BodyHandler.create(false).setBodyLimit(HttpVerticle.ADMIN_BODY_LIMIT));
    router.post("/enqueue").handler(this::enqueue);
    router.get("/api/clients/:clientId/messages").handler(ctx -> Responses.reply(ctx, 200, clients.resolve(ctx)
        .compose(c -> vertx.eventBus().<JsonObject>request(Addresses.messagesList(c.clientId()), new JsonObject()))
        .map(m -> m.body())));
  }

  /** {@code ?recordId=}: checks and queues; {@code {success:true, message, jobId}}. */
  private void initiate(RoutingContext ctx) {
    String recordId = recordId(ctx.request().getParam("recordId"), "recordId query parameter");
    Responses.reply(ctx, 200, queue(ctx, recordId).map(r -> new JsonObject().put("success", true)
        .put("message", r.getBoolean("duplicate", false)
            ? "a message to lead " + recordId + " is already queued (job " + r.getString("jobId") + ")"
            : "message to lead " + recordId + " queued")
        .put("jobId", r.getString("jobId")).put("duplicate", r.getBoolean("duplicate", false))));
  }

  /**
   * The old server's own queue entry point, kept for callers of it: only the body's {@code recordId} is used; the
   * credentials and message it used to carry are ignored (never stored nor logged) and read from the base instead.
   * {@code {queued:true, size, jobId}}.
   */
  private void enqueue(RoutingContext ctx) {
    JsonObject body;
    try {
      body = JsonBodies.parse(ctx.body().buffer()) instanceof JsonObject o ? o : null;
    } catch (ApiError e) {
      body = null;
    }
    // Never quoted back: the old body carries the LinkedIn cookie and the PhantomBuster key.
    if (body == null) throw ApiError.badRequest("the body must be a JSON object with a recordId");
    String recordId = recordId(body.getValue("recordId") instanceof String s ? s : null, "recordId in the body");
    Responses.reply(ctx, 200, queue(ctx, recordId).map(r -> new JsonObject().put("queued", true)
        .put("size", r.getInteger("size")).put("jobId", r.getString("jobId")).put("duplicate", r.getBoolean("duplicate"))));
  }

  private Future<JsonObject> queue(RoutingContext ctx, String recordId) {
    return clients.resolve(ctx).compose(c -> vertx.eventBus()
        .<JsonObject>request(Addresses.messagesEnqueue(c.clientId()), new JsonObject().put("recordId", recordId))
        .map(m -> m.body()));
  }

  private static String recordId(String given, String what) {
    if (given == null || given.isBlank()) throw ApiError.badRequest(what + " is required (the lead's record id)");
    String id = given.trim();
    if (id.length() > 64 || !id.matches("[A-Za-z0-9_-]+")) {
      throw ApiError.badRequest(what + " must be a record id (letters, digits, '_' or '-'), not \""
          + (id.length() > 40 ? id.substring(0, 40) + "…" : id) + "\"");
    }
    return id;
  }
}
