package pbwebhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import pbwebhook.TestServer;
import pbwebhook.config.ClusterSettings;

/**
 * The lease table on real Hazelcast members: a lease that expired while its holder could not renew it is still
 * the holder's when nobody took it meanwhile (so an owner whose renewals were cut off by a frozen or leaving
 * member keeps its clients), another member takes an expired lease and its former holder then cannot renew it,
 * a lease on a partition whose member left survives on the promoted backup exactly as decided, and the check
 * before a write answers on the writer's own context.
 */
@Timeout(120)
class HazelcastLeasesTest {

  final List<HazelcastInstance> members = new ArrayList<>();
  final ClusterPorts ports = ClusterPorts.pick("leases");

  @AfterEach
  void stop() {
    members.forEach(m -> m.getLifecycleService().terminate());
  }

  HazelcastInstance member(int which) {
    Config c = new Config().setClusterName(ports.name());
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.setProperty("hazelcast.partition.count", "23");
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
    c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    var net = c.getNetworkConfig();
    net.setPort(which == 0 ? ports.portA() : ports.portB()).setPortAutoIncrement(false);
    net.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    net.getJoin().getMulticastConfig().setEnabled(false);
    net.getJoin().getAutoDetectionConfig().setEnabled(false);
    net.getJoin().getTcpIpConfig().setEnabled(true)
        .setMembers(List.of("127.0.0.1:" + ports.portA(), "127.0.0.1:" + ports.portB()));
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(c);
    members.add(hz);
    return hz;
  }

  static HazelcastLeases leases(HazelcastInstance hz) {
    return new HazelcastLeases(hz, 5_000, 5_000);
  }

  static void awaitExpired(HazelcastLeases l, Set<String> ids) throws Exception {
    TestServer.awaitCondition("leases expired", Duration.ofSeconds(20),
        () -> l.holders(ids).entrySet().stream().filter(e -> e.getValue() == null).count() == ids.size());
  }

  @Test
  void theCheckBeforeAWriteAnswersOnTheWritersOwnContextNotOnAHazelcastThread() throws Exception {
    HazelcastLeases leases = leases(member(0));
    Vertx vertx = Vertx.vertx();
    try {
      ClusterSettings settings = new ClusterSettings(true, "t", "127.0.0.1", 0, List.of(), 100, 1, 2, 3_000);
      Set<String> taken = ConcurrentHashMap.newKeySet();
      Ownership o = Ownership.on(vertx, leases, settings, new Ownership.Owner() {
        @Override public Future<Void> take(String clientId) {
          taken.add(clientId);
          return Future.succeededFuture();
        }

        @Override public Future<Void> drop(String clientId, String reason) { return Future.succeededFuture(); }

        @Override public boolean busy(String clientId) { return false; }
      });
      Context ownerCtx = vertx.getOrCreateContext();
      ownerCtx.runOnContext(v -> o.start(settings));
      Future.<Void>future(p -> ownerCtx.runOnContext(v -> o.want(Set.of("alpha")).onComplete(p))).await(10, TimeUnit.SECONDS);
      assertThat(taken).containsExactly("alpha");

      // A client's worker checks before each write; what follows the check (the write) must run on that worker.
      Context worker = vertx.getOrCreateContext();
      Set<String> continuedOn = ConcurrentHashMap.newKeySet();
      CompletableFuture<Void> all = new CompletableFuture<>();
      worker.runOnContext(v -> Future.join(IntStream.range(0, 200).mapToObj(i -> o.check("alpha").andThen(ar -> continuedOn.add(
              ar.failed() ? "failed: " + ar.cause() : Vertx.currentContext() == worker ? "worker" : Thread.currentThread().getName())))
          .toList()).onComplete(ar -> all.complete(null)));
      all.get(20, TimeUnit.SECONDS);
      assertThat(continuedOn).containsExactly("worker");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anExpiredLeaseNobodyTookIsStillItsHoldersToRenew() throws Exception {
    HazelcastLeases a = leases(member(0));
    assertThat(a.acquire("c1", "a/1", 200)).isTrue();
    assertThat(a.holder("c1")).isEqualTo("a/1");

    awaitExpired(a, Set.of("c1"));   // the holder's renewals did not reach the entry for longer than the lease

    assertThat(a.renew("c1", "a/1", 60_000)).as("renewed: nobody took it meanwhile").isTrue();
    assertThat(a.holder("c1")).isEqualTo("a/1");
    assertThat(a.acquire("c1", "b/2", 60_000)).as("valid again, so not free to take").isFalse();
  }

  @Test
  void anotherMemberTakesAnExpiredLeaseAndItsFormerHolderCanNoLongerRenewOrReleaseIt() throws Exception {
    HazelcastLeases l = leases(member(0));
    assertThat(l.acquire("c1", "a/1", 300)).isTrue();
    assertThat(l.acquire("c1", "b/2", 300)).as("held and valid").isFalse();
    assertThat(l.renew("c1", "b/2", 300)).as("another token never renews it").isFalse();

    awaitExpired(l, Set.of("c1"));
    assertThat(l.acquire("c1", "b/2", 60_000)).isTrue();

    assertThat(l.renew("c1", "a/1", 60_000)).as("the former holder's late renewal").isFalse();
    l.release("c1", "a/1");
    assertThat(l.holder("c1")).isEqualTo("b/2");
    l.release("c1", "b/2");
    assertThat(l.holder("c1")).isNull();
    assertThat(l.renew("c1", "b/2", 60_000)).as("a released lease is not renewed").isFalse();
    assertThat(l.acquire("c1", "c/3", 60_000)).isTrue();
  }

  @Test
  void leasesOnTheLeavingMembersPartitionsKeepTheirTokensOnThePromotedBackups() throws Exception {
    HazelcastInstance hzA = member(0);
    HazelcastInstance hzB = member(1);
    TestServer.awaitCondition("two members", Duration.ofSeconds(60), () -> hzA.getCluster().getMembers().size() == 2);
    HazelcastLeases a = leases(hzA);
    Map<String, String> shortLeases = new LinkedHashMap<>();
    Map<String, String> longLeases = new LinkedHashMap<>();
    IntStream.range(0, 20).forEach(i -> shortLeases.put("s" + i, "a/" + i));
    IntStream.range(0, 20).forEach(i -> longLeases.put("l" + i, "a/" + (100 + i)));
    assertThat(a.acquireAll(shortLeases, 300).values()).hasSize(20).containsOnly(true);
    assertThat(a.acquireAll(longLeases, 120_000).values()).hasSize(20).containsOnly(true);
    var localB = hzB.getCluster().getLocalMember();
    Set<String> onB = new TreeSet<>();
    for (String id : shortLeases.keySet()) {
      if (localB.equals(hzA.getPartitionService().getPartition(id).getOwner())) onB.add(id);
    }
    Set<String> longOnB = longLeases.keySet().stream()
        .filter(id -> localB.equals(hzA.getPartitionService().getPartition(id).getOwner())).collect(Collectors.toSet());
    assertThat(onB).as("some leases live on the member that leaves").isNotEmpty();
    assertThat(longOnB).isNotEmpty();
    awaitExpired(a, shortLeases.keySet());

    hzB.getLifecycleService().terminate();   // a crash: its partitions' backups on A become primaries
    TestServer.awaitCondition("B gone", Duration.ofSeconds(60), () -> hzA.getCluster().getMembers().size() == 1);

    Map<String, String> longHolders = a.holders(longOnB);
    assertThat(longHolders).as("valid leases read from the promoted backups")
        .isEqualTo(longOnB.stream().collect(Collectors.toMap(id -> id, longLeases::get)));
    Map<String, Boolean> renewed = a.renewAll(shortLeases, 60_000);
    assertThat(renewed).as("expired unrenewed while out of reach, taken by nobody: still the holder's")
        .hasSize(20).doesNotContainValue(false);
    for (String id : onB) assertThat(a.holder(id)).isEqualTo(shortLeases.get(id));
  }
}
