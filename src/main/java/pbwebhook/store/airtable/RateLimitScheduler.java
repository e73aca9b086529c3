package pbwebhook.store.airtable;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits requests so that no base sees more than its limit in any rolling second, and the token as a whole
 * no more than its own. Each base has a FIFO queue; a request waits there (its future completes later) until
 * both sliding windows have room and the base is not paused after a 429. Timers wake the queues; nothing
 * sleeps. State is guarded by this object's lock because callers come from any thread.
 */
final class RateLimitScheduler {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimitScheduler.class);

  /**
   * Added to the one-second window: the server counts arrivals, not our send times, and a request delayed on
   * its way would otherwise land inside the next request's window. 100 ms costs 9% of the rate. When the
   * base answers slowly, delays vary more, so the guard grows to twice the recent round-trip time (up to
   * {@link #MAX_GUARD_MS}): a slow or loaded path gets a wider margin, a fast one keeps the rate.
   */
  static final long WINDOW_GUARD_MS = 100;
  static final long MAX_GUARD_MS = 400;
  static final long WINDOW_MS = 1000 + WINDOW_GUARD_MS;

  /**
   * Where the wake-up timers live: a context of no deployment. A timer set on a caller's context (a client's
   * worker) would be cancelled with that worker's undeployment, and its base would never wake again.
   */
  private final ContextInternal timers;
  private final int perBase;
  private final int maxQueuePerBase;
  private final SlidingWindow tokenWindow;
  private final Map<String, Lane> lanes = new HashMap<>();

  RateLimitScheduler(Vertx vertx, int perBase, int perToken, int maxQueuePerBase) {
    this.timers = ((VertxInternal) vertx).createEventLoopContext();
    this.perBase = perBase;
    this.maxQueuePerBase = maxQueuePerBase;
    this.tokenWindow = new SlidingWindow(perToken);
  }

  /**
   * Runs {@code action} on {@code ctx} once the base may take another request.
   *
   * @param retry a request already admitted once goes to the head of the queue, ahead of newer ones
   */
  <T> Future<T> submit(Context ctx, String baseId, Supplier<Future<T>> action, boolean retry) {
    Promise<T> promise = Promise.promise();
    Task<T> task = new Task<>(ctx, action, promise);
    synchronized (this) {
      Lane lane = lanes.computeIfAbsent(baseId, k -> new Lane());
      if (retry) {
        lane.ready.addFirst(task);
      } else if (lane.ready.size() < maxQueuePerBase) {
        lane.ready.addLast(task);
      } else {
        // Back-pressure, not failure: the caller simply waits longer to be admitted.
        if (lane.parked.isEmpty()) LOG.warn("Airtable queue for base {} is full ({}); callers wait", baseId, maxQueuePerBase);
        lane.parked.addLast(task);
      }
      pump(lane);
    }
    return promise.future();
  }

  /** Holds every request to the base until the penalty has passed (Airtable refuses them meanwhile). */
  synchronized void pause(String baseId, long millis) {
    Lane lane = lanes.computeIfAbsent(baseId, k -> new Lane());
    long until = now() + millis;
    if (until > lane.pausedUntil) {
      lane.pausedUntil = until;
      LOG.warn("Airtable base {} paused for {} ms after a 429", baseId, millis);
    }
  }

  /** Requests waiting for the base, admitted or parked. */
  synchronized int queued(String baseId) {
    Lane lane = lanes.get(baseId);
    return lane == null ? 0 : lane.ready.size() + lane.parked.size();
  }

  synchronized void cancelTimers() {
    for (Lane lane : lanes.values()) {
      if (lane.timerId >= 0) timers.owner().cancelTimer(lane.timerId);
      lane.timerId = -1;
    }
  }

  private void pump(Lane lane) {
    while (!lane.ready.isEmpty()) {
      long now = now();
      long wait = Math.max(lane.pausedUntil - now,
          Math.max(lane.window.waitMs(now, lane.windowMs()), tokenWindow.waitMs(now, WINDOW_MS)));
      if (wait > 0) {
        wake(lane, wait);
        return;
      }
      Task<?> task = lane.ready.pollFirst();
      if (!lane.parked.isEmpty()) lane.ready.addLast(lane.parked.pollFirst());
      Slot slot = new Slot(now);
      lane.window.add(slot);
      tokenWindow.add(slot);
      dispatch(lane, task, slot);
    }
  }

  private <T> void dispatch(Lane lane, Task<T> task, Slot slot) {
    task.ctx.runOnContext(v -> {
      // The window counts the moment the request really leaves, which may be later than its admission.
      synchronized (this) {
        slot.at = now();
        slot.sent = true;
      }
      Future<T> f;
      try {
        f = task.action.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        synchronized (this) {
          lane.roundTrip(now() - slot.at);
        }
        task.promise.handle(ar);
      });
    });
  }

  private void wake(Lane lane, long waitMs) {
    if (lane.timerId >= 0) return;
    lane.timerId = timers.setTimer(Math.max(1, waitMs), id -> {
      synchronized (this) {
        lane.timerId = -1;
        pump(lane);
      }
    });
  }

  static long now() {
    return System.nanoTime() / 1_000_000;
  }

  private final class Lane {
    final ArrayDeque<Task<?>> ready = new ArrayDeque<>();
    final ArrayDeque<Task<?>> parked = new ArrayDeque<>();
    final SlidingWindow window = new SlidingWindow(perBase);
    long pausedUntil;
    long timerId = -1;
    /** Recent round-trip time: jumps up with a slow answer, decays by a tenth per answer. */
    double roundTripMs;

    void roundTrip(long ms) {
      roundTripMs = Math.max(ms, roundTripMs * 0.9);
    }

    long windowMs() {
      return 1000 + Math.max(WINDOW_GUARD_MS, Math.min(MAX_GUARD_MS, (long) (2 * roundTripMs)));
    }
  }

  private record Task<T>(Context ctx, Supplier<Future<T>> action, Promise<T> promise) {}

  private static final class Slot {
    long at;
    /**
     * Until the request has really left, its slot cannot expire: a caller's busy context may hold it back for a
     * long time, and it must not then go out together with the requests admitted after it.
     */
    boolean sent;

    Slot(long at) { this.at = at; }

    long effectiveAt(long now) { return sent ? at : Math.max(at, now); }
  }

  /** Send times within the last window; room when fewer than {@code limit} remain. */
  private static final class SlidingWindow {
    private final int limit;
    private final List<Slot> slots = new ArrayList<>();

    SlidingWindow(int limit) { this.limit = limit; }

    void add(Slot s) { slots.add(s); }

    /** Milliseconds until one more request fits; 0 when it fits now. */
    long waitMs(long now, long windowMs) {
      slots.removeIf(s -> s.sent && s.at + windowMs <= now);
      // Even spacing as well: a burst admitted at once can reach the server later, all together, and crowd the
      // next window (seen under load); spreading the same rate evenly keeps every window's count honest.
      long spacing = 0;
      for (Slot s : slots) spacing = Math.max(spacing, s.effectiveAt(now) + windowMs / limit - now);
      if (slots.size() < limit) return Math.max(0, spacing);
      List<Long> times = new ArrayList<>(slots.size());
      for (Slot s : slots) times.add(s.effectiveAt(now));
      Collections.sort(times);
      return Math.max(spacing, times.get(slots.size() - limit) + windowMs - now);
    }
  }
}
