package pbwebhook.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Client ownership leases, shared by the members: one entry per owned client holding its owner's token
 * ({@code nodeId/epoch}), expiring unless renewed. Blocking calls: {@link Ownership} runs them off the event loop.
 */
interface LeaseTable {

  /** This member's node id. */
  String self();

  /** The members this member currently sees, itself included. */
  Set<String> members();

  /** Takes the lease when nobody holds it (never taken, released, or expired unrenewed). */
  boolean acquire(String clientId, String token, long ttlMs);

  /**
   * Extends the lease when it still holds {@code token}, even one that expired while its renewals could not
   * reach it, as long as nobody took it meanwhile; false when another token holds it or it was released.
   */
  boolean renew(String clientId, String token, long ttlMs);

  /** Gives the lease up, if {@code token} still holds it. */
  void release(String clientId, String token);

  /** The token holding the lease, or null when it is free (never taken, released or expired). */
  String holder(String clientId);

  /** Says this member is ready to own clients, for {@code ttlMs}; {@link #ready()} lists those that said so. */
  void markReady(long ttlMs);

  void unmarkReady();

  Set<String> ready();

  /**
   * Renews several leases at once: per client true (renewed) or false (lost). A client missing from the answer
   * did not answer in time (its entry sits on a member that froze): one slow entry never delays the others.
   */
  default Map<String, Boolean> renewAll(Map<String, String> tokens, long ttlMs) {
    Map<String, Boolean> out = new HashMap<>();
    tokens.forEach((id, token) -> answered(out, id, () -> renew(id, token, ttlMs)));
    return out;
  }

  /** The holders of several leases: a client mapped to null is free; one missing from the answer did not answer. */
  default Map<String, String> holders(Set<String> clientIds) {
    Map<String, String> out = new HashMap<>();
    clientIds.forEach(id -> answered(out, id, () -> holder(id)));
    return out;
  }

  /** Takes several free leases at once: per client whether it was taken; missing: no answer (not known taken). */
  default Map<String, Boolean> acquireAll(Map<String, String> tokens, long ttlMs) {
    Map<String, Boolean> out = new HashMap<>();
    tokens.forEach((id, token) -> answered(out, id, () -> acquire(id, token, ttlMs)));
    return out;
  }

  private static <T> void answered(Map<String, T> out, String id, java.util.function.Supplier<T> call) {
    try {
      out.put(id, call.get());
    } catch (RuntimeException noAnswer) {
      // left out: not known
    }
  }
}
