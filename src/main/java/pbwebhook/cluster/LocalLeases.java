package pbwebhook.cluster;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Without a cluster this member is the only one: its leases never expire and nobody else can take them. */
final class LocalLeases implements LeaseTable {

  static final String SELF = "local";

  private final ConcurrentHashMap<String, String> held = new ConcurrentHashMap<>();

  @Override public String self() { return SELF; }
  @Override public Set<String> members() { return Set.of(SELF); }
  @Override public boolean acquire(String clientId, String token, long ttlMs) { return held.putIfAbsent(clientId, token) == null; }
  @Override public boolean renew(String clientId, String token, long ttlMs) { return token.equals(held.get(clientId)); }
  @Override public void release(String clientId, String token) { held.remove(clientId, token); }
  @Override public String holder(String clientId) { return held.get(clientId); }
  @Override public void markReady(long ttlMs) {}
  @Override public void unmarkReady() {}
  @Override public Set<String> ready() { return Set.of(SELF); }
}
