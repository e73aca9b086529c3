package pbwebhook.inbox;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import pbwebhook.alerts.Alert;
import pbwebhook.alerts.AlertKind;
import pbwebhook.metrics.ServerMetrics;
import org.slf4j.LoggerFactory;

/**
 * Hands inbox entries to their client's worker ({@link WebhookKind#address}) and records the outcome:
 * delivered when the worker acknowledges the store write; dead-lettered when the data itself is refused,
 * or when the entry's client has been removed and stays missing for {@link Policy#missingClientAttempts}
 * attempts; otherwise (store unavailable or rate-limited, no worker yet, no answer within
 * INBOX_ACK_TIMEOUT_S) tried again with exponential backoff and jitter, never dropped.
 *
 * <p>A large body is delivered in slices ({@link WebhookKind#slicer}), one after another, each with its
 * own acknowledgement timeout: progress is remembered per entry, so a retry resumes at the first slice not
 * yet acknowledged, and every slice carries {@link #SLICE_FIELD} so the worker ({@link DeliveryReceiver})
 * never processes one slice twice at once. The message is built (the stored body parsed) on a worker
 * thread; this verticle's event loop only sends event-bus requests.
 *
 * <p>Flow: {@link #pump} takes due entries → {@link #deliver} builds the slices → {@link #sendSlices} →
 * {@link #acknowledged} or {@link #failed} (which decides retry or dead letter).
 */
public class InboxDelivery extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(InboxDelivery.class);

  /** Added to every slice: {@code {id, round, slice, slices}}: the entry, its replay count, which part this is. */
  public static final String SLICE_FIELD = "_inbox";
  /** Enough to keep a worker's coalescing writer busy without queueing a whole backlog on the bus. */
  static final int MAX_IN_FLIGHT_PER_CLIENT = 32;
  static final int MAX_IN_FLIGHT = 256;
  static final long SWEEP_INTERVAL_MS = 250;
  /** Bodies up to this size are turned into a message on this event loop (microseconds); larger ones on a worker. */
  static final int BUILD_INLINE_BYTES = 64 * 1024;
  static final long COMPACTION_INTERVAL_MS = Duration.ofMinutes(10).toMillis();
  /** An entry that keeps failing is logged once at this attempt, not at every retry. */
  private static final int NOISY_ATTEMPT = 5;

  /**
   * Retry timing, and how many attempts in a row may find the entry's client missing from the Clients
   * table before the entry is dead-lettered (a client being added or taken over is only briefly missing).
   */
  record Policy(long firstRetryMs, long maxRetryMs, int missingClientAttempts, long sweepMs) {
    static final Policy DEFAULT = new Policy(500, 30_000, 10);

    Policy(long firstRetryMs, long maxRetryMs, int missingClientAttempts) {
      this(firstRetryMs, maxRetryMs, missingClientAttempts, SWEEP_INTERVAL_MS);
    }
  }

  /** Whether a client still exists (false only when the Clients table says it does not). */
  @FunctionalInterface
  public interface ClientDirectory {
    Future<Boolean> exists(String clientId);
  }

  private final Inbox inbox;
  private final WebhookKinds kinds;
  private final long ackTimeoutMs;
  private final ClientDirectory clients;
  private final Policy policy;
  private final AtomicBoolean pumpQueued = new AtomicBoolean();
  private int inFlight;
  /** Deliveries awaiting their acknowledgement: {@link #resendInFlight} fails them so they are sent again. */
  private final java.util.Set<Promise<Message<JsonObject>>> awaiting = new java.util.HashSet<>();
  private boolean stopping;
  private Promise<Void> drained;

  public InboxDelivery(Inbox inbox, WebhookKinds kinds, Duration ackTimeout, ClientDirectory clients) {
    this(inbox, kinds, ackTimeout, clients, Policy.DEFAULT);
  }

  InboxDelivery(Inbox inbox, WebhookKinds kinds, Duration ackTimeout, ClientDirectory clients, Policy policy) {
    this.inbox = inbox;
    this.kinds = kinds;
    this.ackTimeoutMs = ackTimeout.toMillis();
    this.clients = clients;
    this.policy = policy;
  }

  @Override
  public Future<?> start() {
    inbox.onArrival(this::schedulePump);
    // The sweep only picks up retries whose time has come: new arrivals and finished deliveries pump at once.
    vertx.setPeriodic(policy.sweepMs(), id -> pump());
    vertx.setPeriodic(COMPACTION_INTERVAL_MS, id -> compact());
    compact();
    pump();
    return Future.succeededFuture();
  }

  private void compact() {
    inbox.compact().whenComplete((v, e) -> {
      if (e != null) log.warn("inbox: compaction failed: {}", e.getMessage());
    });
  }

  /**
   * Stops sending and waits (at most {@code timeout}) for deliveries already sent to be acknowledged;
   * whatever is not acknowledged by then stays journaled and is delivered after the restart.
   */
  public Future<Void> drain(Duration timeout) {
    Promise<Void> p = Promise.promise();
    context.runOnContext(v -> {
      stopping = true;
      if (inFlight == 0) {
        p.complete();
        return;
      }
      drained = p;
      vertx.setTimer(Math.max(1, timeout.toMillis()), id -> {
        if (p.tryComplete()) log.info("inbox: {} deliveries unacknowledged at shutdown; kept for the next start", inFlight);
      });
    });
    return p.future();
  }

  /**
   * Pumps soon on this verticle's context (from any thread); requests made before it runs share one pump.
   * Called on every arrival and every finished delivery: a backlog that outlasts the arrivals (the end of a
   * burst) keeps MAX_IN_FLIGHT_PER_CLIENT deliveries going instead of one round per sweep.
   */
  private void schedulePump() {
    if (pumpQueued.compareAndSet(false, true)) context.runOnContext(v -> {
      pumpQueued.set(false);
      pump();
    });
  }

  /**
   * A cluster member left: deliveries sent to a worker there would wait out INBOX_ACK_TIMEOUT_S, so they are
   * retried now (they reach the client's new owner; a late answer from the old one is ignored).
   */
  public void resendInFlight() {
    context.runOnContext(v -> List.copyOf(awaiting).forEach(p -> p.tryFail(
        new ReplyException(ReplyFailure.TIMEOUT, "a cluster member left before acknowledging"))));
  }

  private void pump() {
    if (stopping) return;
    for (Inbox.State s : inbox.takeDue(System.currentTimeMillis(), MAX_IN_FLIGHT_PER_CLIENT, MAX_IN_FLIGHT, inFlight)) {
      deliver(s);
    }
  }

  /** The stored body could not be turned into a worker message: the payload itself is unusable. */
  private static final class PayloadRejected extends Exception {
    PayloadRejected(Throwable cause) {
      super("payload rejected: " + cause.getMessage(), cause, false, false);
    }
  }

  private void deliver(Inbox.State s) {
    WebhookKind kind = kinds.find(s.entry.kind()).orElse(null);
    if (kind == null) {
      deadLetter(s, "no delivery is configured for webhook kind '" + s.entry.kind() + "'");
      return;
    }
    inFlight++;
    // Parsing a large body (up to 10 MB) and slicing it is CPU work for a worker thread, not this event
    // loop; a small one (the usual single profile) is built right here, in arrival order.
    Callable<List<JsonObject>> build = () -> {
      try {
        return kind.slicer().slices(kind.message().build(s.full()));
      } catch (Exception e) {
        throw new PayloadRejected(e);
      }
    };
    Future<List<JsonObject>> slices;
    if (s.bytes > BUILD_INLINE_BYTES) {
      slices = vertx.executeBlocking(build, false);
    } else {
      try {
        slices = Future.succeededFuture(build.call());
      } catch (Exception e) {
        slices = Future.failedFuture(e);
      }
    }
    slices.compose(parts -> sendSlices(s, kind, parts))
        .onComplete(ar -> {
          inFlight--;
          if (ar.succeeded()) acknowledged(s, ar.result());
          else if (ar.cause() instanceof PayloadRejected e) deadLetter(s, e.getMessage());
          else failed(s, ar.cause());
          if (stopping && inFlight == 0 && drained != null) drained.tryComplete();
          schedulePump();
        });
  }

  /** Dead-letters the entry and raises an alert (digested per client, never one message per entry). */
  private void deadLetter(Inbox.State s, String reason) {
    // Counted first: a scrape that sees the entry among the dead (the gauge) sees it counted too.
    ServerMetrics.of(vertx).delivery(s.clientId(), s.entry.kind(), "dead");
    inbox.markDead(s, reason);
    Alert.raise(vertx, AlertKind.DEAD_LETTER, s.clientId(), "webhook " + s.id() + " (" + s.entry.kind()
        + ") dead-lettered: " + reason + "; replay it with POST /api/inbox/dead/" + s.id() + "/replay");
  }

  /**
   * Sends the slices not yet acknowledged, one at a time, each with the full acknowledgement timeout, and
   * completes with the worker's replies added up.
   */
  private Future<JsonObject> sendSlices(Inbox.State s, WebhookKind kind, List<JsonObject> slices) {
    int i = s.slicesDone;
    if (i >= slices.size()) return Future.succeededFuture(s.sliceReplies == null ? new JsonObject() : s.sliceReplies);
    if (stopping) return Future.failedFuture("the server is stopping; slice " + (i + 1) + " of " + slices.size() + " not sent");
    JsonObject message = slices.get(i).put(SLICE_FIELD, new JsonObject().put("id", s.id()).put("round", s.round)
        .put("slice", i).put("slices", slices.size()));
    return request(kind.address().apply(s.clientId()), message)
        .compose(reply -> {
          s.sliceReplies = addUp(s.sliceReplies, reply.body());
          s.slicesDone = i + 1;
          s.clientMissing = 0;
          // Progress: a later timeout is backed off as a first failure, not as the n-th of a long run.
          s.attempts = 1;
          if (slices.size() > 1) log.debug("inbox: {} slice {}/{} acknowledged", s.id(), i + 1, slices.size());
          return sendSlices(s, kind, slices);
        });
  }

  /**
   * One slice's request, failed early by {@link #resendInFlight} when a member leaves (a late answer from the
   * old owner is then ignored, and no later slice follows it).
   */
  private Future<Message<JsonObject>> request(String address, JsonObject message) {
    Promise<Message<JsonObject>> answer = Promise.promise();
    awaiting.add(answer);
    vertx.eventBus().<JsonObject>request(address, message, new DeliveryOptions().setSendTimeout(ackTimeoutMs))
        .onComplete(ar -> {
          if (ar.succeeded()) answer.tryComplete(ar.result());
          else answer.tryFail(ar.cause());
        });
    return answer.future().onComplete(ar -> awaiting.remove(answer));
  }

  /** The replies of several slices as one: counts added, lists joined, anything else from the last. */
  static JsonObject addUp(JsonObject sum, JsonObject reply) {
    JsonObject r = reply == null ? new JsonObject() : reply;
    if (sum == null) return r.copy();
    r.forEach(e -> {
      Object had = sum.getValue(e.getKey());
      if (had instanceof Integer a && e.getValue() instanceof Integer b) sum.put(e.getKey(), a + b);
      else if (had instanceof Number a && e.getValue() instanceof Number b) sum.put(e.getKey(), a.longValue() + b.longValue());
      else if (had instanceof JsonArray a && e.getValue() instanceof JsonArray b) sum.put(e.getKey(), a.copy().addAll(b));
      else sum.put(e.getKey(), e.getValue());
    });
    return sum;
  }

  private void acknowledged(Inbox.State s, JsonObject body) {
    int failed = body.getInteger("failed", 0);
    if (failed > 0) {
      JsonArray errors = body.getJsonArray("errors", new JsonArray());
      deadLetter(s, "the store refused " + failed + " item(s): " + String.join("; ", errors.stream().map(String::valueOf).toList()));
      return;
    }
    log.debug("inbox: {} delivered to client {}", s.id(), s.clientId());
    ServerMetrics.of(vertx).delivery(s.clientId(), s.entry.kind(), "delivered");
    inbox.markDelivered(s, body);
  }

  private void failed(Inbox.State s, Throwable e) {
    if (permanent(e)) {
      deadLetter(s, e.getMessage());
      return;
    }
    if (e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      // No worker: a client starting or moving to another member (retry), or one removed (dead letter, in time).
      inFlight++;
      clients.exists(s.clientId()).otherwise(true).onComplete(ar -> {
        inFlight--;
        if (ar.result()) {
          s.clientMissing = 0;
          retry(s, e);
        } else if (++s.clientMissing >= policy.missingClientAttempts()) {
          deadLetter(s, "client '" + s.clientId() + "' no longer exists (it is not in the Clients table; checked "
              + s.clientMissing + " times); replay this entry once the client is back");
        } else {
          retry(s, e);
        }
        if (stopping && inFlight == 0 && drained != null) drained.tryComplete();
        schedulePump();
      });
      return;
    }
    retry(s, e);
  }

  private void retry(Inbox.State s, Throwable e) {
    long delay = backoff(s.attempts);
    String reason = describe(e);
    if (s.attempts == NOISY_ATTEMPT) {
      log.warn("inbox: {} for client {} still not delivered after {} attempts ({}); retrying", s.id(), s.clientId(),
          s.attempts, reason);
    } else {
      log.debug("inbox: {} for client {} attempt {} failed ({}); retry in {} ms", s.id(), s.clientId(), s.attempts, reason, delay);
    }
    inbox.markRetry(s, reason, System.currentTimeMillis() + delay);
    ServerMetrics.of(vertx).deliveryRetry(s.clientId(), s.entry.kind());
  }

  /** The worker refused the data itself (the store's INVALID_FIELD / INVALID_VALUE / INVALID_REQUEST, or a bad payload). */
  static boolean permanent(Throwable e) {
    return e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && (re.failureCode() == 400 || re.failureCode() == 422);
  }

  private static String describe(Throwable e) {
    if (e instanceof ReplyException re) {
      return switch (re.failureType()) {
        case NO_HANDLERS -> "the client's worker is not running";
        case TIMEOUT -> "no acknowledgement in time";
        default -> re.failureCode() + ": " + re.getMessage();
      };
    }
    return String.valueOf(e.getMessage());
  }

  /** 0.5 s, 1 s, 2 s, … capped at 30 s, with jitter so a recovering store is not hit all at once. */
  long backoff(int attempts) {
    long base = Math.min(policy.maxRetryMs(), policy.firstRetryMs() << Math.min(16, Math.max(0, attempts - 1)));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }
}
