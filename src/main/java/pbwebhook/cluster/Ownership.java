package pbwebhook.cluster;

import com.hazelcast.core.LifecycleEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.config.ClusterSettings;
import pbwebhook.store.StoreException;

/**
 * Which clients this member owns, fenced by leases. Each client goes to its preferred member (rendezvous
 * hashing over the members that are ready), through a lease in the cluster that its owner renews every tick.
 * An owner writes only while its lease is valid by its own monotonic clock, counted from the moment it sent
 * the renewal, so a new owner (which waits for the lease to expire in the cluster) never overlaps it.
 * A member drops every client when it sees fewer than {@code CLUSTER_MIN_MEMBERS} members, when its side
 * loses a merge, and when it finds it was paused longer than a lease (a freeze, a stop-the-world pause):
 * then it stays out for a heartbeat timeout, by which time the others have either dropped it or kept it.
 */
public final class Ownership {

  private static final Logger log = LoggerFactory.getLogger(Ownership.class);

  /** What this member does when it gains or loses a client; called on the caller's event loop. */
  public interface Owner {
    Future<Void> take(String clientId);

    Future<Void> drop(String clientId, String reason);

    /** A run is under way: the client is not handed over to a preferred member until it ends. */
    boolean busy(String clientId);
  }

  private record Held(String token, long validUntilNanos) {}

  /** How often a write waiting for a late renewal looks again. */
  static final long CHECK_RETRY_MS = 100;

  private enum Renewal { RENEWED, LOST, UNKNOWN }

  private record Plan(String dropAll, Map<String, Renewal> renewals, Map<String, Long> renewSent,
                      Map<String, String> acquired, Map<String, Long> acquireSent, Set<String> handOver,
                      Set<String> unwanted) {}

  private final Vertx vertx;
  private final LeaseTable leases;
  private final boolean clustered;
  private final int minMembers;
  private final long leaseMs;
  private final long quietMs;
  private final Owner owner;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  private final Map<String, Long> unheldSince = new HashMap<>();
  private volatile Set<String> wanted = Set.of();
  private volatile long quietUntilNanos;
  private volatile boolean stopping;
  private long lastTimerNanos;
  private volatile Future<Void> ticking;
  private long timer = -1;

  private Ownership(Vertx vertx, LeaseTable leases, boolean clustered, ClusterSettings settings, Owner owner) {
    this.vertx = vertx;
    this.leases = leases;
    this.clustered = clustered;
    this.minMembers = clustered ? settings.minMembers() : 1;
    this.leaseMs = settings.leaseMs();
    this.quietMs = settings.heartbeatTimeoutS() * 1000L + 2L * settings.leaseMs();
    this.owner = owner;
  }

  /** On the Hazelcast cluster Vert.x runs on, or (not clustered) a member that owns every client at once. */
  public static Ownership create(Vertx vertx, ClusterSettings settings, Owner owner) {
    if (!vertx.isClustered()) return new Ownership(vertx, new LocalLeases(), false, settings, owner);
    var hz = ((HazelcastClusterManager) ((VertxInternal) vertx).clusterManager()).getHazelcastInstance();
    Ownership o = new Ownership(vertx, new HazelcastLeases(hz, opTimeoutMs(settings.leaseMs()), renewTimeoutMs(settings.leaseMs())), true, settings, owner);
    var ctx = vertx.getOrCreateContext();
    hz.getLifecycleService().addLifecycleListener(e -> {
      if (e.getState() == LifecycleEvent.LifecycleState.MERGING) ctx.runOnContext(v -> o.suspect("its side of the cluster is merging into the other"));
    });
    return o;
  }

  /**
   * How long a tick waits for the answers to its renewals (half a lease) and to each other batch of cluster calls
   * (readiness, holders, takes: a sixth each). A tick that meets a frozen member in every batch still ends
   * within about 0.8 lease, so the next renewals go out in time; a renewal that answers late on a loaded
   * machine still counts.
   */
  static long opTimeoutMs(long leaseMs) {
    return Math.max(300, leaseMs / 6);
  }

  static long renewTimeoutMs(long leaseMs) {
    return Math.max(300, leaseMs / 2);
  }

  /** The cluster's answer to the check before a write: a third of a lease, then the write is refused. */
  static long checkTimeoutMs(long leaseMs) {
    return Math.max(300, leaseMs / 3);
  }

  /** On the given lease table (tests stand in for the cluster with one they control). */
  static Ownership on(Vertx vertx, LeaseTable leases, ClusterSettings settings, Owner owner) {
    return new Ownership(vertx, leases, true, settings, owner);
  }

  /** Ticks every {@code min(CLUSTER_OWNERSHIP_SWEEP_MS, lease / 4)}: renews, takes, hands over, drops. */
  public void start(ClusterSettings settings) {
    long every = Math.max(100, Math.min(settings.ownershipSweepMs(), settings.leaseMs() / 4));
    lastTimerNanos = System.nanoTime();
    timer = vertx.setPeriodic(every, every, id -> onTimer());
  }

  /** The clients there are; the next tick takes or gives up the difference. */
  public Future<Void> want(Set<String> clientIds) {
    wanted = Set.copyOf(clientIds);
    // A tick under way planned with the old list: the next one uses this one.
    return ticking == null ? tick() : ticking.compose(v -> tick());
  }

  public String self() {
    return leases.self();
  }

  /** How many members this member sees, itself included. */
  public int members() {
    try {
      return leases.members().size();
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** True while this member may write for the client: it holds the lease and the lease has not lapsed. */
  public boolean valid(String clientId) {
    Held h = held.get(clientId);
    return h != null && System.nanoTime() - h.validUntilNanos() < 0;
  }

  /**
   * The check before every write batch: the lease is valid here and, in a cluster, the cluster still names
   * this member's token for it. A lease still held but lapsed (a late renewal) is waited for, up to one lease. Fails with {@link StoreException.Kind#UNAVAILABLE} (a retry goes to the new owner).
   */
  public Future<Void> check(String clientId) {
    return check(clientId, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMs));
  }

  private Future<Void> check(String clientId, long waitUntilNanos) {
    Held h = held.get(clientId);
    if (h == null) return refused(clientId);
    if (System.nanoTime() - h.validUntilNanos() >= 0) {
      // Still held but lapsed: a renewal is late (its entry's partition is migrating, or sat on a member that
      // froze). The write waits for it, up to one lease, instead of failing a run's leads on a hiccup; a lease
      // lost meanwhile refuses it.
      if (System.nanoTime() - waitUntilNanos >= 0) return refused(clientId);
      io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
      vertx.setTimer(CHECK_RETRY_MS, t -> check(clientId, waitUntilNanos).onComplete(later));
      return later.future();
    }
    if (!(leases instanceof HazelcastLeases hz)) return Future.succeededFuture();
    // Answered on the caller's context: Hazelcast completes its futures on its own threads (a partition or
    // response thread), where the write that follows would run outside its worker and its write fence.
    return Future.fromCompletionStage(hz.holderAsync(clientId), vertx.getOrCreateContext())
        .timeout(checkTimeoutMs(leaseMs), TimeUnit.MILLISECONDS)
        .transform(ar -> ar.succeeded() && h.token().equals(ar.result()) && valid(clientId)
            ? Future.succeededFuture() : refused(clientId));
  }

  private Future<Void> refused(String clientId) {
    String why = stopping
        ? "this member is shutting down and has given client " + clientId + " up; the write was refused (a webhook "
            + "stays in the inbox for the client's owner)"
        : "this member does not own client " + clientId + " now (its lease lapsed or moved); the write was refused";
    return Future.failedFuture(new StoreException(StoreException.Kind.NOT_OWNER, why));
  }

  /** Gives every client up (shutdown): workers stop first, then the leases go so others take over at once. */
  public Future<Void> releaseAll() {
    stopping = true;
    if (timer >= 0) vertx.cancelTimer(timer);
    wanted = Set.of();
    Map<String, Held> mine = new LinkedHashMap<>(held);
    // Still the owner while the workers stop: a run they end gets its log entry.
    return Future.join(mine.keySet().stream().map(id -> owner.drop(id, "this member is shutting down")).toList())
        .transform(ar -> vertx.executeBlocking(() -> {
          held.clear();
          mine.forEach((id, h) -> quietly(() -> leases.release(id, h.token())));
          quietly(leases::unmarkReady);
          return null;
        }, false))
        .mapEmpty();
  }

  private void onTimer() {
    long now = System.nanoTime();
    long gapMs = TimeUnit.NANOSECONDS.toMillis(now - lastTimerNanos);
    lastTimerNanos = now;
    if (clustered && gapMs > leaseMs) suspect("this member was paused for " + gapMs / 1000 + " s, longer than its lease");
    tick();
  }

  /** Drops every client at once and takes none for a heartbeat timeout: the cluster may have moved on. */
  void suspect(String reason) {
    quietUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(quietMs);
    if (held.isEmpty()) {
      log.warn("cluster: {}; taking no client for {} s", reason, quietMs / 1000);
      return;
    }
    log.warn("cluster: {}; dropping clients {} and taking none for {} s", reason, held.keySet(), quietMs / 1000);
    dropAll(reason);
  }

  private void dropAll(String reason) {
    Set<String> ids = new HashSet<>(held.keySet());
    held.clear();
    ids.forEach(id -> owner.drop(id, reason));
  }

  private Future<Void> tick() {
    if (ticking != null) return ticking;
    Set<String> want = wanted;
    Map<String, Held> mine = new HashMap<>(held);
    boolean quiet = System.nanoTime() - quietUntilNanos < 0;
    Future<Void> t = vertx.executeBlocking(() -> plan(want, mine, quiet)).compose(this::apply)
        .onFailure(e -> log.warn("cluster: ownership tick failed: {}", e.getMessage()))
        .recover(e -> Future.succeededFuture());
    ticking = t;
    // Registered after the assignment: a tick that already ended clears it here, never before.
    t.onComplete(ar -> {
      if (ticking == t) ticking = null;
    });
    return t;
  }

  /**
   * Runs on a worker thread: every cluster call here may block (a member that froze holds a partition). The
   * renewals go first, all at once; then readiness, the free leases and the takes, each phase one batch bounded
   * by one operation timeout, so a tick never waits on a frozen member once per client.
   */
  private Plan plan(Set<String> want, Map<String, Held> mine, boolean quiet) {
    Set<String> members = leases.members();
    if (members.size() < minMembers) {
      return dropAllPlan("this member sees " + members.size() + " of the " + minMembers + " members it needs (CLUSTER_MIN_MEMBERS)");
    }
    if (quiet) return dropAllPlan(null);
    String self = leases.self();
    Map<String, String> tokens = new HashMap<>();
    mine.forEach((id, h) -> tokens.put(id, h.token()));
    // Validity is counted from before the renewals were sent: never longer than the cluster's time to live.
    long renewSentAt = System.nanoTime();
    Map<String, Boolean> renewed = tokens.isEmpty() ? Map.of() : leases.renewAll(tokens, leaseMs);
    quietly(() -> leases.markReady(leaseMs));
    Set<String> ready = new HashSet<>(leases.ready());
    ready.retainAll(members);
    ready.add(self);
    Map<String, Renewal> renewals = new HashMap<>();
    Map<String, Long> renewSent = new HashMap<>();
    Set<String> handOver = new HashSet<>();
    Set<String> unwanted = new HashSet<>();
    for (String id : mine.keySet()) {
      Boolean answer = renewed.get(id);
      Renewal r = answer == null ? Renewal.UNKNOWN : answer ? Renewal.RENEWED : Renewal.LOST;
      renewals.put(id, r);
      renewSent.put(id, renewSentAt);
      if (!want.contains(id)) unwanted.add(id);
      else if (r == Renewal.RENEWED && !self.equals(Rendezvous.owner(id, ready))) handOver.add(id);
    }
    long now = System.nanoTime();
    unheldSince.keySet().retainAll(want);
    Set<String> notMine = new HashSet<>(want);
    notMine.removeAll(mine.keySet());
    Map<String, String> holders = notMine.isEmpty() ? Map.of() : leases.holders(notMine);
    Map<String, String> toTake = new HashMap<>();
    for (String id : notMine) {
      if (!holders.containsKey(id)) continue;   // its partition does not answer (a frozen member): next tick
      if (holders.get(id) != null) {
        unheldSince.remove(id);
        continue;
      }
      long since = unheldSince.computeIfAbsent(id, k -> now);
      // The preferred member takes it; anyone does when it has stayed without an owner for two leases.
      boolean preferred = self.equals(Rendezvous.owner(id, ready));
      if (!preferred && now - since < TimeUnit.MILLISECONDS.toNanos(2 * leaseMs)) continue;
      toTake.put(id, self + "/" + System.currentTimeMillis());
    }
    Map<String, String> acquired = new HashMap<>();
    Map<String, Long> acquireSent = new HashMap<>();
    long acquireSentAt = System.nanoTime();
    // A take that does not answer is not known to have happened; if it did, the lease expires unrenewed.
    Map<String, Boolean> got = toTake.isEmpty() ? Map.of() : leases.acquireAll(toTake, leaseMs);
    toTake.forEach((id, token) -> {
      if (Boolean.TRUE.equals(got.get(id))) {
        acquired.put(id, token);
        acquireSent.put(id, acquireSentAt);
        unheldSince.remove(id);
      }
    });
    return new Plan(null, renewals, renewSent, acquired, acquireSent, handOver, unwanted);
  }

  private static Plan dropAllPlan(String reason) {
    return new Plan(reason == null ? "" : reason, Map.of(), Map.of(), Map.of(), Map.of(), Set.of(), Set.of());
  }

  private Future<Void> apply(Plan plan) {
    if (plan.dropAll() != null) {
      if (!plan.dropAll().isEmpty() && !held.isEmpty()) {
        log.warn("cluster: {}; dropping clients {}", plan.dropAll(), held.keySet());
        dropAll(plan.dropAll());
      }
      return Future.succeededFuture();
    }
    // Alone, nobody can take a client over: the lease never lapses (a stalled event loop refuses no write).
    long leaseNs = clustered ? TimeUnit.MILLISECONDS.toNanos(leaseMs) : Long.MAX_VALUE / 4;
    plan.renewals().forEach((id, r) -> {
      Held h = held.get(id);
      if (h == null) return;
      if (r == Renewal.RENEWED) {
        held.put(id, new Held(h.token(), plan.renewSent().get(id) + leaseNs));
      } else if (r == Renewal.LOST) {
        held.remove(id);
        log.warn("cluster: client {}: lease lost (another member took it after it expired); worker dropped", id);
        owner.drop(id, "its lease was lost");
      }
    });
    var changes = new java.util.ArrayList<Future<?>>();
    for (String id : plan.unwanted()) changes.add(giveUp(id, "the client is gone"));
    for (String id : plan.handOver()) {
      if (!owner.busy(id)) changes.add(giveUp(id, "handed over to its preferred member"));
    }
    boolean quiet = System.nanoTime() - quietUntilNanos < 0;
    plan.acquired().forEach((id, token) -> {
      if (quiet) {
        // Suspected while this tick was under way: the lease is left to expire.
        return;
      }
      held.put(id, new Held(token, plan.acquireSent().get(id) + leaseNs));
      changes.add(owner.take(id).onFailure(e -> giveUp(id, "its worker did not start")));
    });
    return Future.join(changes).mapEmpty();
  }

  /** Stops the worker first (no write after this), then frees the lease so the next owner need not wait. */
  private Future<Void> giveUp(String id, String reason) {
    Held h = held.get(id);
    if (h == null) return Future.succeededFuture();
    // Still the owner while the worker stops (a run it ends gets its log entry), then the lease goes.
    return owner.drop(id, reason).eventually(() -> vertx.executeBlocking(() -> {
      held.remove(id, h);
      quietly(() -> leases.release(id, h.token()));
      return null;
    }, false)).mapEmpty();
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.debug("cluster: {}", e.getMessage());
    }
  }

  /**
   * Each client's owner token (node id / epoch), for {@code /api/clients}; null where no lease is held or the
   * cluster does not answer within a second. Asked all at once, without blocking a thread.
   */
  public Future<Map<String, String>> holders(Set<String> clientIds) {
    Map<String, Future<String>> asked = new HashMap<>();
    for (String id : clientIds) {
      Future<String> f = leases instanceof HazelcastLeases hz
          ? Future.fromCompletionStage(hz.holderAsync(id), vertx.getOrCreateContext()).timeout(1, TimeUnit.SECONDS)
          : Future.succeededFuture(leases.holder(id));
      asked.put(id, f.otherwise((String) null));
    }
    return Future.join(new java.util.ArrayList<>(asked.values())).transform(ar -> {
      Map<String, String> out = new HashMap<>();
      asked.forEach((id, f) -> {
        if (f.result() != null) out.put(id, f.result());
      });
      return Future.succeededFuture(out);
    });
  }
}
