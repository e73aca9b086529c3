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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands inbox entries to their client's worker ({@link WebhookKind#address}) and records the outcome:
 * delivered when the worker acknowledges the store write; dead-lettered when the data itself is refused;
 * otherwise (store unavailable or rate-limited, no worker yet, no answer within INBOX_ACK_TIMEOUT_S)
 * tried again with exponential backoff and jitter, never dropped. Runs on one event loop; it only sends
 * event-bus requests and does no I/O itself.
 */
public class InboxDelivery extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(InboxDelivery.class);

  /** Enough to keep a worker's coalescing writer busy without queueing a whole backlog on the bus. */
  static final int MAX_IN_FLIGHT_PER_CLIENT = 32;
  static final int MAX_IN_FLIGHT = 256;
  static final long SWEEP_INTERVAL_MS = 250;
  static final long FIRST_RETRY_MS = 500;
  static final long MAX_RETRY_MS = 30_000;
  static final long COMPACTION_INTERVAL_MS = Duration.ofMinutes(10).toMillis();
  /** An entry that keeps failing is logged once at this attempt, not at every retry. */
  private static final int NOISY_ATTEMPT = 5;

  private final Inbox inbox;
  private final WebhookKinds kinds;
  private final long ackTimeoutMs;
  private final AtomicBoolean pumpQueued = new AtomicBoolean();
  private int inFlight;
  /** Deliveries awaiting their acknowledgement: {@link #resendInFlight} fails them so they are sent again. */
  private final java.util.Set<Promise<Message<JsonObject>>> awaiting = new java.util.HashSet<>();
  private boolean stopping;
  private Promise<Void> drained;

  public InboxDelivery(Inbox inbox, WebhookKinds kinds, Duration ackTimeout) {
    this.inbox = inbox;
    this.kinds = kinds;
    this.ackTimeoutMs = ackTimeout.toMillis();
  }

  @Override
  public Future<?> start() {
    var ctx = context;
    inbox.onArrival(() -> {
      if (pumpQueued.compareAndSet(false, true)) ctx.runOnContext(v -> {
        pumpQueued.set(false);
        pump();
      });
    });
    vertx.setPeriodic(SWEEP_INTERVAL_MS, id -> pump());
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

  private void deliver(Inbox.State s) {
    WebhookKind kind = kinds.find(s.entry.kind()).orElse(null);
    if (kind == null) {
      inbox.markDead(s, "no delivery is configured for webhook kind '" + s.entry.kind() + "'");
      return;
    }
    JsonObject message;
    try {
      message = kind.message().build(s.full());
    } catch (Exception e) {
      inbox.markDead(s, "payload rejected: " + e.getMessage());
      return;
    }
    inFlight++;
    Promise<Message<JsonObject>> answer = Promise.promise();
    awaiting.add(answer);
    vertx.eventBus().<JsonObject>request(kind.address().apply(s.clientId()), message,
            new DeliveryOptions().setSendTimeout(ackTimeoutMs))
        .onComplete(ar -> {
          if (ar.succeeded()) answer.tryComplete(ar.result());
          else answer.tryFail(ar.cause());
        });
    answer.future()
        .onComplete(ar -> {
          awaiting.remove(answer);
          inFlight--;
          if (ar.succeeded()) acknowledged(s, ar.result());
          else failed(s, ar.cause());
          if (stopping && inFlight == 0 && drained != null) drained.tryComplete();
        });
  }

  private void acknowledged(Inbox.State s, Message<JsonObject> reply) {
    JsonObject body = reply.body() == null ? new JsonObject() : reply.body();
    int failed = body.getInteger("failed", 0);
    if (failed > 0) {
      JsonArray errors = body.getJsonArray("errors", new JsonArray());
      inbox.markDead(s, "the store refused " + failed + " item(s): " + String.join("; ", errors.stream().map(String::valueOf).toList()));
      return;
    }
    log.debug("inbox: {} delivered to client {}", s.id(), s.clientId());
    inbox.markDelivered(s, body);
  }

  private void failed(Inbox.State s, Throwable e) {
    if (permanent(e)) {
      inbox.markDead(s, e.getMessage());
      return;
    }
    long delay = backoff(s.attempts);
    String reason = describe(e);
    if (s.attempts == NOISY_ATTEMPT) {
      log.warn("inbox: {} for client {} still not delivered after {} attempts ({}); retrying", s.id(), s.clientId(),
          s.attempts, reason);
    } else {
      log.debug("inbox: {} for client {} attempt {} failed ({}); retry in {} ms", s.id(), s.clientId(), s.attempts, reason, delay);
    }
    inbox.markRetry(s, reason, System.currentTimeMillis() + delay);
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
  static long backoff(int attempts) {
    long base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(16, Math.max(0, attempts - 1)));
    return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
  }
}
