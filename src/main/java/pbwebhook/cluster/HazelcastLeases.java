package pbwebhook.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import java.io.Serial;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Leases in a Hazelcast map. An entry holds its owner's token and the time it expires, by the clock of the member
 * holding the entry's partition; every step on it (take, renew, release, read) is one atomic entry processor on
 * that partition. An expired lease keeps its token until another member takes it: a renewal that could not reach
 * the entry for a while (its partition sat on a member that froze, or was migrating) still renews it afterwards
 * when nobody took it meanwhile, instead of losing a client nobody else claimed. A renewal never extends a lease
 * another member took, and a reader sees an expired lease as free.
 */
final class HazelcastLeases implements LeaseTable {

  static final String LEASES = "pb.client-leases";
  static final String READY = "pb.members-ready";

  private final HazelcastInstance hz;
  private final long opTimeoutMs;
  private final long renewTimeoutMs;

  /**
   * @param opTimeoutMs how long a batch of reads or takes waits for its answers
   * @param renewTimeoutMs how long the renewals wait: longer, since a renewal that answers late on a loaded
   *     machine would otherwise leave the owner refusing its own writes while the cluster still names it
   */
  HazelcastLeases(HazelcastInstance hz, long opTimeoutMs, long renewTimeoutMs) {
    this.hz = hz;
    this.opTimeoutMs = opTimeoutMs;
    this.renewTimeoutMs = renewTimeoutMs;
  }

  private IMap<String, String> leases() { return hz.getMap(LEASES); }

  @Override
  public String self() {
    return hz.getCluster().getLocalMember().getUuid().toString();
  }

  @Override
  public Set<String> members() {
    return hz.getCluster().getMembers().stream().map(m -> m.getUuid().toString()).collect(Collectors.toSet());
  }

  @Override
  public boolean acquire(String clientId, String token, long ttlMs) {
    return Boolean.TRUE.equals(wait(leases().submitToKey(clientId, Step.acquire(token, ttlMs))));
  }

  @Override
  public boolean renew(String clientId, String token, long ttlMs) {
    return Boolean.TRUE.equals(wait(leases().submitToKey(clientId, Step.renew(token, ttlMs))));
  }

  @Override
  public void release(String clientId, String token) {
    wait(leases().submitToKey(clientId, Step.release(token)));
  }

  @Override
  public String holder(String clientId) {
    return wait(holderAsync(clientId));
  }

  /** Non-blocking holder lookup (null: free or expired), for the check before each write. */
  CompletionStage<String> holderAsync(String clientId) {
    return leases().submitToKey(clientId, new Holder());
  }

  /** Sent without waiting for the answer: the tick goes on with its renewals meanwhile. */
  @Override
  public void markReady(long ttlMs) {
    hz.<String, String>getMap(READY).setAsync(self(), "ready", ttlMs, TimeUnit.MILLISECONDS);
  }

  @Override
  public void unmarkReady() {
    wait(hz.<String, String>getMap(READY).removeAsync(self()));
  }

  /** Members whose readiness entry answers in time: one whose partition sits on a frozen member counts as not ready. */
  @Override
  public Set<String> ready() {
    IMap<String, String> ready = hz.getMap(READY);
    Map<String, CompletionStage<String>> asked = new HashMap<>();
    for (String m : members()) asked.put(m, ready.getAsync(m));
    Set<String> out = new HashSet<>();
    waitAll(asked, opTimeoutMs).forEach((m, answer) -> {
      if (answer != null) out.add(m);
    });
    return out;
  }

  // The batch calls send every request at once and wait for all of them together, at most one timeout:
  // entries on a frozen member's partitions cost the tick one timeout, not one each.

  @Override
  public Map<String, Boolean> renewAll(Map<String, String> tokens, long ttlMs) {
    Map<String, CompletionStage<Boolean>> asked = new HashMap<>();
    tokens.forEach((id, token) -> asked.put(id, leases().submitToKey(id, Step.renew(token, ttlMs))));
    return waitAll(asked, renewTimeoutMs);
  }

  @Override
  public Map<String, String> holders(Set<String> clientIds) {
    Map<String, CompletionStage<String>> asked = new HashMap<>();
    clientIds.forEach(id -> asked.put(id, holderAsync(id)));
    return waitAll(asked, opTimeoutMs);
  }

  @Override
  public Map<String, Boolean> acquireAll(Map<String, String> tokens, long ttlMs) {
    Map<String, CompletionStage<Boolean>> asked = new HashMap<>();
    tokens.forEach((id, token) -> asked.put(id, leases().submitToKey(id, Step.acquire(token, ttlMs))));
    return waitAll(asked, opTimeoutMs);
  }

  /** The answers that came within {@code timeoutMs} (a null answer is kept); the others are left out. */
  private <T> Map<String, T> waitAll(Map<String, CompletionStage<T>> asked, long timeoutMs) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    Map<String, T> out = new HashMap<>();
    for (var e : asked.entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().toCompletableFuture().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception noAnswer) {
        // left out: not known
      }
    }
    return out;
  }

  private <T> T wait(CompletionStage<T> op) {
    try {
      return op.toCompletableFuture().get(opTimeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    } catch (Exception e) {
      throw new IllegalStateException("cluster map did not answer: " + e, e);
    }
  }

  /** An entry's value: {@code token|expiresAtMillis}. */
  record Lease(String token, long expiresAtMillis) {
    static Lease parse(String value) {
      if (value == null) return null;
      int bar = value.lastIndexOf('|');
      if (bar < 0) return null;
      try {
        return new Lease(value.substring(0, bar), Long.parseLong(value.substring(bar + 1)));
      } catch (NumberFormatException e) {
        return null;
      }
    }

    String encode() {
      return token + "|" + expiresAtMillis;
    }

    boolean expired(long nowMillis) {
      return nowMillis >= expiresAtMillis;
    }
  }

  /** How long an entry nobody renews or releases stays in the map at all (a client deleted while its owner died). */
  static final long KEEP_MS = TimeUnit.DAYS.toMillis(1);

  /**
   * One atomic step on a lease entry, decided on the partition's primary by its clock. The backups are given the
   * value the primary decided (never re-decided by their own clocks), so a promoted backup holds exactly it.
   */
  static final class Step implements EntryProcessor<String, String, Boolean> {
    @Serial private static final long serialVersionUID = 2L;
    private enum Op { ACQUIRE, RENEW, RELEASE }
    private final Op op;
    private final String token;
    private final long ttlMs;
    private transient String decided;
    private transient boolean changed;

    private Step(Op op, String token, long ttlMs) {
      this.op = op;
      this.token = token;
      this.ttlMs = ttlMs;
    }

    /** Takes the lease when nobody holds it or its holder let it expire. */
    static Step acquire(String token, long ttlMs) { return new Step(Op.ACQUIRE, token, ttlMs); }

    /** Extends the lease while {@code token} holds it, even past its expiry as long as nobody took it meanwhile. */
    static Step renew(String token, long ttlMs) { return new Step(Op.RENEW, token, ttlMs); }

    /** Frees the lease when {@code token} holds it. */
    static Step release(String token) { return new Step(Op.RELEASE, token, 0); }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      long now = System.currentTimeMillis();
      Lease current = Lease.parse(entry.getValue());
      boolean mine = current != null && current.token().equals(token);
      boolean ok = switch (op) {
        case ACQUIRE -> current == null || current.expired(now);
        case RENEW, RELEASE -> mine;
      };
      if (!ok) return false;
      changed = true;
      decided = op == Op.RELEASE ? null : new Lease(token, now + ttlMs).encode();
      put(entry, decided);
      return true;
    }

    @Override
    public EntryProcessor<String, String, Boolean> getBackupProcessor() {
      return changed ? new Put(decided) : null;
    }
  }

  /** What the backups apply: the primary's decision. */
  static final class Put implements EntryProcessor<String, String, Boolean> {
    @Serial private static final long serialVersionUID = 1L;
    private final String value;

    Put(String value) {
      this.value = value;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      put(entry, value);
      return true;
    }

    @Override
    public EntryProcessor<String, String, Boolean> getBackupProcessor() {
      return this;
    }
  }

  private static void put(Map.Entry<String, String> entry, String value) {
    if (value == null) entry.setValue(null);
    else ((ExtendedMapEntry<String, String>) entry).setValue(value, KEEP_MS, TimeUnit.MILLISECONDS);
  }

  /** The token holding a lease that has not expired, or null; read on the primary, nothing written. */
  static final class Holder implements EntryProcessor<String, String, String>, ReadOnly {
    @Serial private static final long serialVersionUID = 1L;

    @Override
    public String process(Map.Entry<String, String> entry) {
      Lease l = Lease.parse(entry.getValue());
      return l == null || l.expired(System.currentTimeMillis()) ? null : l.token();
    }

    @Override
    public EntryProcessor<String, String, String> getBackupProcessor() {
      return null;
    }
  }
}
