package pbwebhook.cluster;

import io.vertx.core.json.JsonObject;
import java.util.UUID;

/**
 * Hazelcast settings for a test's own two-member cluster: free loopback ports and a cluster name of its own, so
 * tests (and builds of other checkouts on the same machine) never join each other's clusters.
 */
record ClusterPorts(String name, int portA, int portB) {

  static ClusterPorts pick(String prefix) {
    return new ClusterPorts(prefix + "-" + UUID.randomUUID().toString().substring(0, 8),
        pbwebhook.FreePort.pick(), pbwebhook.FreePort.pick());
  }

  /**
   * The cluster settings of member {@code 0} (A) or {@code 1} (B). A quorum of one: the members start one after
   * the other, and a test may stop either and expect the other to carry on.
   */
  JsonObject member(int which) {
    return new JsonObject().put("CLUSTER", true).put("CLUSTER_NAME", name).put("CLUSTER_MIN_MEMBERS", 1)
        .put("CLUSTER_PORT", which == 0 ? portA : portB)
        .put("CLUSTER_MEMBERS", "127.0.0.1:" + portA + ",127.0.0.1:" + portB);
  }
}
