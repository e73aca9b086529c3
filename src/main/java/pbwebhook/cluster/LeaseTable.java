package pbwebhook.cluster;

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

  /** Takes the lease when nobody holds it. */
  boolean acquire(String clientId, String token, long ttlMs);

  /** Extends the lease when it still holds {@code token}; false when it expired or another token holds it. */
  boolean renew(String clientId, String token, long ttlMs);

  /** Gives the lease up, if {@code token} still holds it. */
  void release(String clientId, String token);

  /** The token holding the lease, or null. */
  String holder(String clientId);

  /** Says this member is ready to own clients, for {@code ttlMs}; {@link #ready()} lists those that said so. */
  void markReady(long ttlMs);

  void unmarkReady();

  Set<String> ready();
}
