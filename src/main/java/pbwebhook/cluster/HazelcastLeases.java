package pbwebhook.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.map.IMap;
import java.io.Serial;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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

  HazelcastLeases(HazelcastInstance hz, long opTimeoutMs) {
    this.hz = hz;
    this.opTimeoutMs = opTimeoutMs;
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

  @Override
  public void markReady(long ttlMs) {
    wait(hz.<String, String>getMap(READY).setAsync(self(), "ready", ttlMs, TimeUnit.MILLISECONDS));
  }

  @Override
  public void unmarkReady() {
    wait(hz.<String, String>getMap(READY).removeAsync(self()));
  }

  /** Members whose readiness entry answers in time: one whose partition sits on a frozen member counts as not ready. */
  @Override
  public Set<String> ready() {
    IMap<String, String> ready = hz.getMap(READY);
    Map<String, java.util.concurrent.CompletionStage<String>> asked = new java.util.HashMap<>();
    for (String m : members()) asked.put(m, ready.getAsync(m));
    Set<String> out = new HashSet<>();
    asked.forEach((m, answer) -> {
      try {
        if (wait(answer) != null) out.add(m);
      } catch (IllegalStateException notInTime) {
        // not ready, as far as this member can tell
      }
    });
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
