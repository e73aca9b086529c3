package pbwebhook.http;

import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One budget for the bytes of webhook bodies being read or held at once, across every request
 * (MAX_INFLIGHT_BODY_BYTES), so that no mix of uploads can fill the heap. A request reserves its declared
 * length (or its route's limit when it declares none) before its body is read, gets 503 with Retry-After
 * when the budget cannot take it, and gives the bytes back when its exchange ends, however it ends. A body
 * that does not arrive within the body timeout gets 408.
 */
public final class BodyBudget {

  static final String RETRY_AFTER_S = "5";

  private final long capacity;
  private final long bodyTimeoutMs;
  private final AtomicLong reserved = new AtomicLong();

  public BodyBudget(long capacity, long bodyTimeoutMs) {
    this.capacity = capacity;
    this.bodyTimeoutMs = bodyTimeoutMs;
  }

  /** Bytes reserved right now. */
  public long inFlight() {
    return reserved.get();
  }

  /** Takes {@code bytes} from the budget, or nothing and false when that would exceed it. */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = reserved.get();
      if (now + bytes > capacity) return false;
      if (reserved.compareAndSet(now, now + bytes)) return true;
    }
  }

  void release(long bytes) {
    reserved.addAndGet(-bytes);
  }

  /**
   * Route handler in front of a body handler of limit {@code bodyLimit}: 413 for a declared length over the
   * limit, 503 when the budget is spent, else reserves and goes on.
   */
  public void reserve(RoutingContext ctx, long bodyLimit) {
    long declared = declaredLength(ctx);
    if (declared > bodyLimit) throw new ApiError(413, WebhookIntake.tooLarge(bodyLimit));
    long bytes = declared >= 0 ? declared : bodyLimit;
    if (!tryReserve(bytes)) {
      ctx.response().putHeader("Retry-After", RETRY_AFTER_S);
      throw new ApiError(503, "the server is reading as many webhook bodies as it can hold; retry shortly");
    }
    long timer = ctx.vertx().setTimer(bodyTimeoutMs, t -> {
      if (!ctx.request().isEnded() && !ctx.response().ended()) {
        ErrorResponder.send(ctx, 408, "the request body did not arrive within " + bodyTimeoutMs / 1000 + " s");
      }
    });
    boolean[] released = new boolean[1];
    ctx.addEndHandler(ar -> {
      ctx.vertx().cancelTimer(timer);
      if (!released[0]) {
        released[0] = true;
        release(bytes);
      }
    });
    ctx.next();
  }

  private static long declaredLength(RoutingContext ctx) {
    String v = ctx.request().getHeader("Content-Length");
    if (v == null) return -1;
    try {
      long n = Long.parseLong(v.trim());
      if (n < 0) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("Content-Length must be a whole number of bytes");
    }
  }
}
