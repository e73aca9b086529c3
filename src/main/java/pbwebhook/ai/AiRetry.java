package pbwebhook.ai;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an AI call that failed with a {@link RetryableAiException} (429, 5xx, timeout): exponential backoff with
 * full jitter, or exactly the delay the server asked for, on Vert.x timers. Other failures pass through at once.
 */
public final class AiRetry {

  private static final Logger log = LoggerFactory.getLogger(AiRetry.class);

  public static final int DEFAULT_MAX_ATTEMPTS = 5;
  public static final long DEFAULT_BASE_DELAY_MS = 1_000;
  public static final long DEFAULT_MAX_DELAY_MS = 60_000;

  private final Vertx vertx;
  private final int maxAttempts;
  private final long baseDelayMs;
  private final long maxDelayMs;

  public AiRetry(Vertx vertx, int maxAttempts, long baseDelayMs, long maxDelayMs) {
    this.vertx = vertx;
    this.maxAttempts = Math.max(1, maxAttempts);
    this.baseDelayMs = Math.max(1, baseDelayMs);
    this.maxDelayMs = Math.max(baseDelayMs, maxDelayMs);
  }

  public static AiRetry defaults(Vertx vertx) {
    return new AiRetry(vertx, DEFAULT_MAX_ATTEMPTS, DEFAULT_BASE_DELAY_MS, DEFAULT_MAX_DELAY_MS);
  }

  public <T> Future<T> run(String what, Supplier<Future<T>> call) {
    return attempt(what, call, 1);
  }

  private <T> Future<T> attempt(String what, Supplier<Future<T>> call, int n) {
    return call.get().recover(e -> {
      if (!(e instanceof RetryableAiException r) || n >= maxAttempts) return Future.failedFuture(e);
      long delay = delayFor(r, n);
      log.info("{}: {} (attempt {} of {}); retrying in {} ms", what, r.getMessage(), n, maxAttempts, delay);
      return vertx.timer(delay).compose(t -> attempt(what, call, n + 1));
    });
  }

  /** The server's delay when it gave one (never beyond the cap), else base·2^(n-1) with full jitter. */
  long delayFor(RetryableAiException e, int attempt) {
    if (e.retryAfterMs() >= 0) return Math.max(1, Math.min(maxDelayMs, e.retryAfterMs()));
    long ceiling = Math.min(maxDelayMs, baseDelayMs << Math.min(20, attempt - 1));
    return Math.max(1, ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
  }
}
