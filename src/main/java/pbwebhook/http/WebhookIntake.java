package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import pbwebhook.clients.Client;
import pbwebhook.inbox.Inbox;

/**
 * What every webhook goes through before its own handler, and the durable accept after it: body size
 * limit (413), JSON content type (415), secret or signature, client (404) and per-client accept rate
 * (429 with Retry-After), valid UTF-8, nesting and field-size limits (400), then the inbox append. A
 * webhook route is {@code intake.guard(router, path, limit).handler(myHandler)}, and its handler
 * calls {@link #admit}, {@link #parse} and {@link #accept}.
 */
public final class WebhookIntake {

  public static final long WEBHOOK_BODY_LIMIT = 1024 * 1024;
  public static final long PHANTOMBUSTER_BODY_LIMIT = 10L * 1024 * 1024;

  /** Headers worth keeping with an entry; credentials (secret, signature, cookies, authorization) never are. */
  static final List<String> KEPT_HEADERS = List.of("content-type", "user-agent", "webhook-id", "idempotency-key",
      "x-client-id", "x-request-id", RequestAuth.TIMESTAMP_HEADER.toLowerCase(Locale.ROOT));

  private final Inbox inbox;
  private final ClientResolver clients;
  private final RequestAuth auth;
  private final AcceptRateLimiter rateLimiter;
  private final InboxBacklogLimit backlogLimit;
  private final BodyBudget budget;

  public WebhookIntake(Inbox inbox, ClientResolver clients, RequestAuth auth, AcceptRateLimiter rateLimiter,
                       InboxBacklogLimit backlogLimit, BodyBudget budget) {
    this.inbox = inbox;
    this.budget = budget;
    this.clients = clients;
    this.auth = auth;
    this.rateLimiter = rateLimiter;
    this.backlogLimit = backlogLimit;
  }

  /**
   * Mounts the common checks for {@code POST path} and returns the route to add the webhook's handler to.
   * The content type is checked on a route of its own because vert.x-web wants the body handler first.
   */
  public Route guard(Router router, String path, long bodyLimit) {
    return guard(router, path, bodyLimit, false, auth::requireWebhookSecret);
  }

  /**
   * As {@link #guard(Router, String, long)} with another secret check, run once the body is read;
   * {@code bodySecret}: the secret may be in the body (PhantomBuster), so a request without one in the
   * query or a header still has its body read (within the body budget).
   */
  public Route guard(Router router, String path, long bodyLimit, boolean bodySecret,
                     io.vertx.core.Handler<RoutingContext> secretCheck) {
    router.post(path).handler(WebhookIntake::requireJsonContentType);
    // Everything that can be decided from the headers is, before a byte of the body is read or held.
    router.post(path).handler(ctx -> auth.requireSecretBeforeBody(ctx, bodySecret));
    router.post(path).handler(ctx -> budget.reserve(ctx, bodyLimit));
    return router.post(path)
        .handler(BodyHandler.create(false).setBodyLimit(bodyLimit))
        .handler(secretCheck)
        .failureHandler(ctx -> {
          if (ctx.statusCode() == 413) {
            ErrorResponder.send(ctx, 413, tooLarge(bodyLimit));
          } else {
            ctx.next();
          }
        });
  }

  static String tooLarge(long bodyLimit) {
    return "request body too large: this webhook takes at most " + megabytes(bodyLimit);
  }

  /** JSON or no declared type (some senders set none); anything else is refused before the body is read. */
  static void requireJsonContentType(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    if (type != null && !type.isBlank()) {
      String mime = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (!mime.equals("application/json") && !(mime.startsWith("application/") && mime.endsWith("+json"))) {
        throw new ApiError(415, "unsupported content type " + truncate(mime, 80) + ": send application/json");
      }
    }
    ctx.next();
  }

  /** The client the webhook is for, after its accept-rate and inbox-backlog checks. */
  public Future<Client> admit(RoutingContext ctx) {
    // A request whose client is not known yet must still prove itself before it hears why it has none.
    return clients.resolve(ctx).recover(e -> Future.failedFuture(auth.authenticateUnresolved(ctx, e))).compose(client -> {
      auth.requireSecretOfResolvedClient(ctx, client.clientId());
      long wait = rateLimiter.tryAcquire(client.clientId(), System.nanoTime());
      if (wait > 0) {
        ctx.response().putHeader("Retry-After", Long.toString(wait));
        return Future.failedFuture(new ApiError(429, "too many webhooks for client " + client.clientId()
            + ": retry after " + wait + " s"));
      }
      ApiError full = backlogLimit.refusal(client.clientId());
      if (full != null) {
        ctx.response().putHeader("Retry-After", Long.toString(InboxBacklogLimit.RETRY_AFTER_S));
        return Future.failedFuture(full);
      }
      return Future.succeededFuture(client);
    });
  }

  /** The body as JSON (null when empty): valid UTF-8, at most 64 levels deep, no field over the size cap. */
  public static Object parse(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) return null;
    BodyChecks.requireUtf8(body);
    Object parsed = JsonBodies.parse(body);
    BodyChecks.requireFieldSizes(parsed);
    return parsed;
  }

  /** Appends the raw body to the inbox; completes once it is durable. */
  public Future<Inbox.Acceptance> accept(RoutingContext ctx, Client client, String kind, Instant receivedAt) {
    return accept(ctx, client, kind, receivedAt, ctx.body().buffer() == null ? Buffer.buffer() : ctx.body().buffer());
  }

  /** Bodies from this size on are hashed and framed for the journal on a worker thread. */
  static final int OFF_LOOP_BODY_BYTES = 64 * 1024;

  /** Appends {@code body} (the request's, or what of it may be kept) to the inbox; completes once it is durable. */
  public Future<Inbox.Acceptance> accept(RoutingContext ctx, Client client, String kind, Instant receivedAt, Buffer body) {
    JsonObject headers = new JsonObject();
    for (String h : KEPT_HEADERS) {
      String v = ctx.request().getHeader(h);
      if (v != null) headers.put(h, truncate(v, 200));
    }
    String key = ctx.request().getHeader("webhook-id");
    if (key == null) key = ctx.request().getHeader("Idempotency-Key");
    // An idempotency key the signature does not cover is ignored: a copy is then recognised by its body.
    if (ctx.get(WebhookSignature.KEY_UNSIGNED) != null) key = null;
    if (key != null) key = truncate(key.trim(), 200);
    String idempotencyKey = key == null || key.isEmpty() ? null : key;
    if (body.length() < OFF_LOOP_BODY_BYTES) {
      return inbox.accept(client.clientId(), kind, headers, idempotencyKey, body, receivedAt);
    }
    // Hashing and copying megabytes would hold up every other request on this event loop meanwhile.
    return ctx.vertx().<Future<Inbox.Acceptance>>executeBlocking(
        () -> inbox.accept(client.clientId(), kind, headers, idempotencyKey, body, receivedAt), false).compose(f -> f);
  }

  public Inbox inbox() {
    return inbox;
  }

  /** Time a {@code ?wait=true} webhook waits for its delivery before answering "pending". */
  public static final long WAIT_LIMIT_MS = 30_000;

  /**
   * For {@code ?wait=true}: the delivery outcome of an accepted webhook ({@code {status: delivered|dead,
   * reply, reason}}), or {@code {status: pending}} when it takes longer than {@link #WAIT_LIMIT_MS}.
   */
  public Future<JsonObject> awaitOutcome(io.vertx.core.Vertx vertx, Inbox.Acceptance a) {
    Future<JsonObject> outcome = inbox.outcome(a.inboxId());
    io.vertx.core.Promise<JsonObject> timeout = io.vertx.core.Promise.promise();
    long timer = vertx.setTimer(WAIT_LIMIT_MS, id -> timeout.tryComplete(new JsonObject().put("status", "pending")));
    return Future.any(outcome, timeout.future()).map(v -> {
      vertx.cancelTimer(timer);
      return outcome.isComplete() && outcome.succeeded() ? outcome.result() : new JsonObject().put("status", "pending");
    });
  }

  private static String megabytes(long bytes) {
    return bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB" : bytes / 1024 + " KB";
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + "…";
  }
}
