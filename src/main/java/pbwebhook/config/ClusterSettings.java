package pbwebhook.config;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;

/**
 * Clustering over the Vert.x event bus with Hazelcast (off by default). Members find each other over TCP/IP
 * (no multicast): {@code CLUSTER_MEMBERS} lists them as {@code host[:port]}.
 */
public record ClusterSettings(boolean enabled, String name, String host, int port, List<String> members,
                              int ownershipSweepMs) {

  public static final String DEFAULT_NAME = "pb-webhook";
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  public static final String DEFAULT_MEMBERS = "127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703";
  /** How often a member tries to take over clients nobody owns (a member left). */
  public static final int DEFAULT_OWNERSHIP_SWEEP_MS = 5_000;

  static ClusterSettings from(JsonObject c) {
    String members = AppConfig.textOr(c, "CLUSTER_MEMBERS", DEFAULT_MEMBERS);
    return new ClusterSettings(
        AppConfig.flag(c, "CLUSTER", false),
        AppConfig.textOr(c, "CLUSTER_NAME", DEFAULT_NAME),
        AppConfig.textOr(c, "CLUSTER_HOST", DEFAULT_HOST),
        AppConfig.intOr(c, "CLUSTER_PORT", DEFAULT_PORT),
        Arrays.stream(members.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList(),
        Math.max(100, AppConfig.intOr(c, "CLUSTER_OWNERSHIP_SWEEP_MS", DEFAULT_OWNERSHIP_SWEEP_MS)));
  }
}
