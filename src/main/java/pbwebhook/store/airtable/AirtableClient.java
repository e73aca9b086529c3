package pbwebhook.store.airtable;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.ConnectException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.metrics.ServerMetrics;
import pbwebhook.store.StoreException;
import pbwebhook.store.WriteFence;
import pbwebhook.store.StoreException.Kind;

/**
 * The Airtable HTTP client with its cross-cutting behaviour in one place: bearer auth, per-base and
 * per-token rate limiting, the 429 penalty pause, retries with backoff and jitter, typed errors and
 * counters. {@link AirtableStore} only builds requests and reads answers.
 */
final class AirtableClient {

  private static final Logger LOG = LoggerFactory.getLogger(AirtableClient.class);

  static final long BACKOFF_BASE_MS = 250;
  static final long BACKOFF_MAX_MS = 10_000;
  /** 429s are waited out, not counted as failures; this only stops a base that never recovers. */
  static final int MAX_RATE_LIMIT_RETRIES = 20;

  private final Vertx vertx;
  private final AirtableOptions options;
  private final WebClient web;
  private final RateLimitScheduler scheduler;
  private final AirtableErrorMapper errors;

  private final AtomicLong requestsSent = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private final AtomicLong billingLimited = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong serverErrors = new AtomicLong();

  AirtableClient(Vertx vertx, AirtableOptions options) {
    this.vertx = vertx;
    this.options = options;
    WebClientOptions wo = new WebClientOptions().setKeepAlive(true).setUserAgent("pb-webhook-server")
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, options.timeoutMs()));
    // Enough connections for the token's whole rate with a few hundred milliseconds of latency.
    PoolOptions po = new PoolOptions().setHttp1MaxSize(Math.max(8, options.tokenRequestsPerSecond() / 2));
    this.web = WebClient.create(vertx, wo, po);
    this.scheduler = new RateLimitScheduler(vertx, options.requestsPerSecondPerBase(),
        options.tokenRequestsPerSecond(), options.maxQueuePerBase());
    this.errors = new AirtableErrorMapper(options.apiKey());
  }

  /** Sends the request when the limits allow, retrying what can safely be retried; the answer's JSON body. */
  Future<JsonObject> call(AirtableRequest req) {
    Context ctx = vertx.getOrCreateContext();
    return attempt(ctx, req, 0, 0, false);
  }

  AirtableStats stats() {
    return new AirtableStats(requestsSent.get(), rateLimited.get(), billingLimited.get(), retries.get(),
        serverErrors.get());
  }

  int queued(String baseId) { return scheduler.queued(baseId); }

  Future<Void> close() {
    scheduler.cancelTimers();
    web.close();
    return Future.succeededFuture();
  }

  private Future<JsonObject> attempt(Context ctx, AirtableRequest req, int failures, int rateLimits, boolean retry) {
    return scheduler.submit(ctx, req.baseId(), () -> mayLeave(ctx, req) ? send(req)
            : Future.<HttpResponse<Buffer>>failedFuture(new FenceRefusal()), retry)
        .andThen(ar -> {
          if (!(ar.cause() instanceof FenceRefusal)) ServerMetrics.of(vertx).airtableRequest(req.baseId(),
              ar.succeeded() ? Integer.toString(ar.result().statusCode()) : "error");
        })
        .transform(ar -> ar.succeeded() ? answered(ctx, req, ar.result(), failures, rateLimits)
            : ar.cause() instanceof FenceRefusal ? Future.failedFuture(new StoreException(Kind.NOT_OWNER,
                "the writer no longer owns this client (its lease lapsed or moved); the "
                    + req.operation().name().toLowerCase() + " to " + AirtableErrorMapper.where(req) + " was not sent"))
            : lost(ctx, req, ar.cause(), failures, rateLimits));
  }

  /** Checked as a write leaves, not when it was queued: its writer may have lost the client meanwhile. */
  private static boolean mayLeave(Context ctx, AirtableRequest req) {
    return req.operation() == AirtableRequest.Operation.READ || req.operation() == AirtableRequest.Operation.METADATA
        || WriteFence.allows(ctx);
  }

  private Future<HttpResponse<Buffer>> send(AirtableRequest req) {
    requestsSent.incrementAndGet();
    HttpRequest<Buffer> http = web.requestAbs(req.method(), options.endpointUrl() + req.pathAndQuery())
        .bearerTokenAuthentication(options.apiKey())
        .putHeader("Accept", "application/json")
        .timeout(options.timeoutMs());
    return req.body() == null ? http.send() : http.sendJsonObject(req.body());
  }

  private Future<JsonObject> answered(Context ctx, AirtableRequest req, HttpResponse<Buffer> resp, int failures,
                                      int rateLimits) {
    int status = resp.statusCode();
    if (status >= 200 && status < 300) {
      try {
        Buffer body = resp.body();
        return Future.succeededFuture(body == null || body.length() == 0 ? new JsonObject() : body.toJsonObject());
      } catch (RuntimeException e) {
        return Future.failedFuture(new StoreException(Kind.UNAVAILABLE,
            "Airtable answered " + status + " with a body that is not JSON for " + AirtableErrorMapper.where(req)));
      }
    }
    StoreException mapped = errors.map(req, status, resp.body());
    if (mapped.kind() == Kind.BILLING_LIMIT) {
      billingLimited.incrementAndGet();
      LOG.error("{}", mapped.getMessage());
      return Future.failedFuture(mapped);
    }
    if (status == 429) {
      rateLimited.incrementAndGet();
      scheduler.pause(req.baseId(), options.penaltySeconds() * 1000L);
      if (rateLimits >= MAX_RATE_LIMIT_RETRIES) return Future.failedFuture(mapped);
      retries.incrementAndGet();
      // A 429 is refused before any work, so even a create is safe to send again after the pause.
      return attempt(ctx, req, failures, rateLimits + 1, true);
    }
    if (status >= 500) {
      serverErrors.incrementAndGet();
      if (req.operation().idempotent() && failures < options.maxRetries()) {
        LOG.warn("{}; retrying ({} of {})", mapped.getMessage(), failures + 1, options.maxRetries());
        return backoff(ctx, req, failures, rateLimits);
      }
      return Future.failedFuture(req.operation().idempotent() ? mapped : notRetried(req, mapped.getMessage()));
    }
    return Future.failedFuture(mapped);
  }

  private Future<JsonObject> lost(Context ctx, AirtableRequest req, Throwable cause, int failures, int rateLimits) {
    serverErrors.incrementAndGet();
    String reason = errors.sanitize(cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    String message = "Airtable did not answer for " + AirtableErrorMapper.where(req) + " (" + reason + ")";
    // A refused connection means the request never left, so it is safe to repeat whatever it was.
    boolean safe = req.operation().idempotent() || cause instanceof ConnectException;
    if (safe && failures < options.maxRetries()) {
      LOG.warn("{}; retrying ({} of {})", message, failures + 1, options.maxRetries());
      return backoff(ctx, req, failures, rateLimits);
    }
    if (!safe) return Future.failedFuture(notRetried(req, message));
    return Future.failedFuture(new StoreException(Kind.UNAVAILABLE, message));
  }

  /** A write its writer may no longer send (see {@link WriteFence}). */
  private static final class FenceRefusal extends Exception {
    FenceRefusal() {
      super("write fence", null, false, false);
    }
  }

  private static StoreException notRetried(AirtableRequest req, String message) {
    return new StoreException(Kind.UNAVAILABLE, message + "; the " + req.operation().name().toLowerCase()
        + " was not retried because it may already have been applied");
  }

  /** Exponential backoff with jitter (half to full delay), so many callers do not retry in step. */
  private Future<JsonObject> backoff(Context ctx, AirtableRequest req, int failures, int rateLimits) {
    long ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS << Math.min(failures, 20));
    long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    retries.incrementAndGet();
    Promise<Void> waited = Promise.promise();
    ctx.runOnContext(v -> vertx.setTimer(delay, id -> waited.complete()));
    return waited.future().compose(v -> attempt(ctx, req, failures + 1, rateLimits, true));
  }
}
