package pbwebhook.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import pbwebhook.config.ClusterSettings;
import pbwebhook.metrics.MeteredVertx;

/**
 * The Vert.x instance the server runs on: plain, or clustered over Hazelcast when {@code CLUSTER=true}. Members join
 * over TCP/IP only (the listed {@code CLUSTER_MEMBERS}), never multicast, and bind the event bus to
 * {@code CLUSTER_HOST}. Run records and client leases are Hazelcast maps, so with a cluster they are cluster-wide.
 * Either way Vert.x's own meters are on ({@link MeteredVertx}); each member serves its own {@code /metrics}.
 */
public final class ClusterVertx {

  private ClusterVertx() {}

  public static Future<Vertx> create(ClusterSettings cluster) {
    if (!cluster.enabled()) return Future.succeededFuture(MeteredVertx.create());
    // ConfigUtil's default keeps the maps and multimaps Vert.x needs (__vertx.*); only the network is ours.
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(cluster.name());
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "1");
    // SIGTERM is the server's own shutdown hook's to handle: it lets runs finish and gives the leases up, then
    // leaves the cluster (vertx.close). Hazelcast's hook would leave at once, with the runs still going.
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    // Members started together wait for each other (up to CLUSTER_MIN_MEMBERS) instead of forming clusters
    // of their own; a silent member is dropped after CLUSTER_HEARTBEAT_TIMEOUT_S; split clusters look for each
    // other every 10 s so a member that froze merges back soon after it resumes.
    hz.setProperty("hazelcast.initial.min.cluster.size", Integer.toString(cluster.minMembers()));
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cluster.heartbeatTimeoutS()));
    hz.setProperty("hazelcast.heartbeat.interval.seconds",
        Integer.toString(Math.max(1, Math.min(5, cluster.heartbeatTimeoutS() / 5))));
    hz.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
    hz.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(10);
    net.getInterfaces().setEnabled(true).addInterface(cluster.host());
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    VertxOptions options = new VertxOptions().setEventBusOptions(
        new EventBusOptions().setHost(cluster.host()).setClusterPublicHost(cluster.host()));
    return MeteredVertx.build(options, b -> b.withClusterManager(new HazelcastClusterManager(hz)).buildClustered());
  }

  /** Runs {@code action} whenever a member leaves the cluster (nothing without a cluster). */
  public static void onMemberLeft(Vertx vertx, Runnable action) {
    if (!vertx.isClustered()) return;
    ((HazelcastClusterManager) ((io.vertx.core.internal.VertxInternal) vertx).clusterManager()).getHazelcastInstance()
        .getCluster().addMembershipListener(new com.hazelcast.cluster.MembershipListener() {
          @Override public void memberAdded(com.hazelcast.cluster.MembershipEvent e) {}
          @Override public void memberRemoved(com.hazelcast.cluster.MembershipEvent e) { action.run(); }
        });
  }
}
