package pbwebhook;

import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The one bounded wait of the test tree: a future's result, or a test failure naming the wait after 30 s. */
public final class Await {
  private Await() {}

  public static final int SECONDS = 30;

  public static <T> T within(Future<T> future) {
    return within(future, SECONDS);
  }

  /** Benchmarks wait longer for a step (a drain of thousands of deliveries). */
  public static <T> T within(Future<T> future, int seconds) {
    try {
      return future.await(seconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no result within " + seconds + " s", e);
    }
  }
}
