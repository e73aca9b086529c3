package pbwebhook.cluster;

import java.util.Collection;

/**
 * Rendezvous (highest random weight) hashing: every member computes the same preferred owner for a client
 * from the same member set, and a member joining or leaving moves only the clients it wins or held.
 */
final class Rendezvous {

  private Rendezvous() {}

  static String owner(String clientId, Collection<String> members) {
    String best = null;
    long bestWeight = Long.MIN_VALUE;
    for (String m : members) {
      long w = weight(m, clientId);
      if (best == null || w > bestWeight || (w == bestWeight && m.compareTo(best) < 0)) {
        best = m;
        bestWeight = w;
      }
    }
    return best;
  }

  /** SplitMix64 over both names' hashes: well spread even for similar ids. */
  static long weight(String member, String clientId) {
    long z = member.hashCode() * 0x9E3779B97F4A7C15L + clientId.hashCode();
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
