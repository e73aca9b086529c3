package pbwebhook.cluster;

import com.hazelcast.core.HazelcastInstance;
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
 * Leases in Hazelcast maps with a time to live. A renewal is one atomic step on the entry's partition
 * (compare the token, extend the time to live), so a lease that expired, or that another member took,
 * is never extended by its former owner.
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
    return Boolean.TRUE.equals(wait(leases().submitToKey(clientId, new Renew(null, token, ttlMs))));
  }

  @Override
  public boolean renew(String clientId, String token, long ttlMs) {
    return Boolean.TRUE.equals(wait(leases().submitToKey(clientId, new Renew(token, token, ttlMs))));
  }

  @Override
  public void release(String clientId, String token) {
    wait(leases().submitToKey(clientId, new Renew(token, null, 0)));
  }

  @Override
  public String holder(String clientId) {
    return wait(leases().getAsync(clientId));
  }

  /** Non-blocking holder lookup, for the check before each write. */
  java.util.concurrent.CompletionStage<String> holderAsync(String clientId) {
    return leases().getAsync(clientId);
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
    tokens.forEach((id, token) -> asked.put(id, leases().submitToKey(id, new Renew(token, token, ttlMs))));
    return waitAll(asked, renewTimeoutMs);
  }

  @Override
  public Map<String, String> holders(Set<String> clientIds) {
    Map<String, CompletionStage<String>> asked = new HashMap<>();
    clientIds.forEach(id -> asked.put(id, leases().getAsync(id)));
    return waitAll(asked, opTimeoutMs);
  }

  @Override
  public Map<String, Boolean> acquireAll(Map<String, String> tokens, long ttlMs) {
    Map<String, CompletionStage<Boolean>> asked = new HashMap<>();
    tokens.forEach((id, token) -> asked.put(id, leases().submitToKey(id, new Renew(null, token, ttlMs))));
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

  private <T> T wait(java.util.concurrent.CompletionStage<T> op) {
    try {
      return op.toCompletableFuture().get(opTimeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    } catch (Exception e) {
      throw new IllegalStateException("cluster map did not answer: " + e, e);
    }
  }

  /**
   * One atomic step on a lease entry: when it holds {@code expected} (null: when it is empty), it becomes
   * {@code next} for {@code ttlMs} (null: it is removed).
   */
  static final class Renew implements EntryProcessor<String, String, Boolean> {
    @Serial private static final long serialVersionUID = 1L;
    private final String expected;
    private final String next;
    private final long ttlMs;

    Renew(String expected, String next, long ttlMs) {
      this.expected = expected;
      this.next = next;
      this.ttlMs = ttlMs;
    }

    @Override
    public Boolean process(Map.Entry<String, String> entry) {
      if (!java.util.Objects.equals(expected, entry.getValue())) return false;
      if (next == null) entry.setValue(null);
      else ((ExtendedMapEntry<String, String>) entry).setValue(next, ttlMs, TimeUnit.MILLISECONDS);
      return true;
    }
  }
}
