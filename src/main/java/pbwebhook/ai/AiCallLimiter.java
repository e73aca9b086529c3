package pbwebhook.ai;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * An asynchronous semaphore for AI calls: at most {@code permits} run at once, the rest wait in order. Safe to
 * share between clients' worker contexts; a waiting caller resumes on its own context.
 */
public final class AiCallLimiter {

  private final Vertx vertx;
  private final int permits;
  private int inUse;
  private final Queue<Runnable> waiting = new ArrayDeque<>();

  public AiCallLimiter(Vertx vertx, int permits) {
    this.vertx = vertx;
    this.permits = Math.max(1, permits);
  }

  public int permits() { return permits; }

  public <T> Future<T> submit(Supplier<Future<T>> call) {
    Context ctx = vertx.getOrCreateContext();
    Promise<T> result = Promise.promise();
    Runnable start = () -> ctx.runOnContext(v -> {
      Future<T> f;
      try {
        f = call.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        release();
        result.handle(ar);
      });
    });
    boolean now;
    synchronized (this) {
      now = inUse < permits;
      if (now) inUse++;
      else waiting.add(start);
    }
    if (now) start.run();
    return result.future();
  }

  private void release() {
    Runnable next;
    synchronized (this) {
      next = waiting.poll();
      if (next == null) inUse--;
    }
    if (next != null) next.run();
  }
}
