package pbwebhook.config;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * Clustering over the Vert.x event bus with Hazelcast (off by default). Members find each other over TCP/IP
 * (no multicast): {@code CLUSTER_MEMBERS} lists them as {@code host[:port]}.
 *
 * @param minMembers a member owns no client while it sees fewer members than this (a quorum: two sides of a
 *     split can never both reach it); it is also Hazelcast's initial minimum cluster size, so members started
 *     together wait for each other instead of forming clusters of their own
 * @param heartbeatTimeoutS how long a silent member stays in the cluster before the others drop it
 * @param leaseMs how long an owner may write without renewing its ownership; a new owner waits this long
 */
public record ClusterSettings(boolean enabled, String name, String host, int port, List<String> members,
                              int ownershipSweepMs, int minMembers, int heartbeatTimeoutS, int leaseMs) {

  public static final String DEFAULT_NAME = "pb-webhook";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  public static final String DEFAULT_MEMBERS = "127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703";
  /** How often a member tries to take over clients nobody owns (a member left). */
  public static final int DEFAULT_OWNERSHIP_SWEEP_MS = 5_000;
  public static final int DEFAULT_HEARTBEAT_TIMEOUT_S = 60;
  public static final int DEFAULT_LEASE_MS = 15_000;

  static ClusterSettings from(JsonObject c) {
    String members = AppConfig.textOr(c, "CLUSTER_MEMBERS", DEFAULT_MEMBERS);
    List<String> list = Arrays.stream(members.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList();
    int sweep = Math.max(100, AppConfig.intOr(c, "CLUSTER_OWNERSHIP_SWEEP_MS", DEFAULT_OWNERSHIP_SWEEP_MS));
    return new ClusterSettings(
        AppConfig.flag(c, "CLUSTER", false),
        AppConfig.textOr(c, "CLUSTER_NAME", DEFAULT_NAME),
        AppConfig.textOr(c, "CLUSTER_HOST", DEFAULT_HOST),
        AppConfig.intOr(c, "CLUSTER_PORT", DEFAULT_PORT),
        list,
        sweep,
        Math.max(1, AppConfig.intOr(c, "CLUSTER_MIN_MEMBERS", majority(list.size()))),
        heartbeatTimeoutS(c),
        Math.max(600, AppConfig.intOr(c, "CLUSTER_LEASE_MS", DEFAULT_LEASE_MS)));
  }

  /**
   * The shortest heartbeat timeout accepted. When a member freezes, Hazelcast on the others can go more than 10 s
   * without passing heartbeats between them (seen on a loaded 2-core machine, cause inside Hazelcast; see the
   * README), and a shorter timeout then splits the healthy members too.
   */
  public static final int MIN_HEARTBEAT_TIMEOUT_S = 20;

  private static int heartbeatTimeoutS(JsonObject c) {
    int s = AppConfig.intOr(c, "CLUSTER_HEARTBEAT_TIMEOUT_S", DEFAULT_HEARTBEAT_TIMEOUT_S);
    if (s < MIN_HEARTBEAT_TIMEOUT_S && AppConfig.flag(c, "CLUSTER", false)) {
      throw new IllegalArgumentException("CLUSTER_HEARTBEAT_TIMEOUT_S must be at least " + MIN_HEARTBEAT_TIMEOUT_S
          + " (a shorter one lets one frozen member split the healthy ones), not: " + s);
    }
    return s;
  }

  /** More than half of the listed members: the default quorum. */
  static int majority(int listed) {
    return listed / 2 + 1;
  }
}
