package pbwebhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import pbwebhook.TestServer;
import pbwebhook.config.ClusterSettings;
import pbwebhook.store.StoreException;
import pbwebhook.store.embedded.EmbeddedStore;

/**
 * Client ownership on a lease table the test controls (it stands in for the cluster's map): a member writes
 * only while its lease is valid, drops a client whose lease another member took, stops writing when it can no
 * longer renew, and owns nothing without a quorum.
 */
class OwnershipTest {

  static final int LEASE_MS = 1000;

  final Vertx vertx = Vertx.vertx();
  final FakeLeases leases = new FakeLeases("me");
  final List<String> taken = new CopyOnWriteArrayList<>();
  final List<String> dropped = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws TimeoutException {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  Ownership start(int minMembers) throws TimeoutException {
    ClusterSettings settings = new ClusterSettings(true, "t", "127.0.0.1", 0, List.of(), 100, minMembers, 2, LEASE_MS);
    Ownership o = Ownership.on(vertx, leases, settings, new Ownership.Owner() {
      @Override public Future<Void> take(String clientId) {
        taken.add(clientId);
        return Future.succeededFuture();
      }

      @Override public Future<Void> drop(String clientId, String reason) {
        dropped.add(clientId + ": " + reason);
        return Future.succeededFuture();
      }

      @Override public boolean busy(String clientId) { return false; }
    });
    // Timers and ticks on a context, as in the registry.
    vertx.getOrCreateContext().runOnContext(v -> o.start(settings));
    o.want(Set.of("alpha", "bravo")).await(10, TimeUnit.SECONDS);
    return o;
  }

  static Throwable failure(Future<?> f) {
    try {
      f.await(10, TimeUnit.SECONDS);
      return null;
    } catch (Throwable e) {
      return e;
    }
  }

  @Test
  void aClientWhoseLeaseAnotherMemberTookIsDroppedAndItsWritesAreRefused() throws Exception {
    Ownership o = start(1);
    assertThat(taken).containsExactlyInAnyOrder("alpha", "bravo");
    assertThat(failure(o.check("alpha"))).isNull();
    EmbeddedStore embedded = new EmbeddedStore(vertx, java.nio.file.Files.createTempDirectory("fenced"));
    FencedStore store = new FencedStore(embedded, () -> o.check("alpha"));
    assertThat(store.create("appFenced0000001", "Leads", List.of(new JsonObject().put("Name", "before"))).await(10, TimeUnit.SECONDS))
        .hasSize(1);

    leases.held.put("alpha", "other/2");   // another member's token: the lease moved

    TestServer.awaitCondition("alpha dropped", Duration.ofSeconds(10), () -> !dropped.isEmpty());
    assertThat(dropped).containsExactly("alpha: its lease was lost");
    assertThat(o.valid("alpha")).isFalse();
    assertThat(o.valid("bravo")).isTrue();
    Throwable refused = failure(store.create("appFenced0000001", "Leads", List.of(new JsonObject().put("Name", "after"))));
    assertThat(refused).isInstanceOf(StoreException.class).hasMessageContaining("does not own client alpha");
    assertThat(((StoreException) refused).kind()).isEqualTo(StoreException.Kind.NOT_OWNER);
    assertThat(embedded.listAll("appFenced0000001", "Leads", pbwebhook.store.ListQuery.all()).await(10, TimeUnit.SECONDS))
        .extracting(r -> r.fields().getString("Name")).containsExactly("before");
    embedded.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aMemberThatCannotRenewStopsWritingWithinOneLeaseWithoutBeingTold() throws Exception {
    Ownership o = start(1);
    assertThat(o.valid("alpha")).isTrue();
    long cutAt = System.nanoTime();
    leases.unreachable = true;   // a frozen partition owner, a partition: renewals never answer

    TestServer.awaitCondition("lease lapsed", Duration.ofSeconds(10), () -> !o.valid("alpha"));
    long lapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
    assertThat(lapsedMs).as("the lease lapses by the owner's own clock, within one lease of the last renewal")
        .isLessThanOrEqualTo(LEASE_MS + 500);
    assertThat(failure(o.check("bravo"))).isInstanceOf(StoreException.class);
  }

  @Test
  void aWriteAskedForWhileARenewalIsLateWaitsForItAndTheClientIsKept() throws Exception {
    Ownership o = start(1);
    leases.unreachable = true;   // the lease entry's partition is migrating: renewals do not answer for a while
    TestServer.awaitCondition("lease lapsed", Duration.ofSeconds(10), () -> !o.valid("alpha"));
    Future<Void> write = o.check("alpha");
    assertThat(write.isComplete()).as("waits for the late renewal rather than failing the write").isFalse();

    leases.unreachable = false;  // the renewal gets through: nobody took the lease meanwhile

    assertThat(failure(write)).isNull();
    assertThat(o.valid("alpha")).isTrue();
    assertThat(dropped).isEmpty();
  }

  @Test
  void aWriteAfterShutdownGaveTheClientsUpIsRefusedSayingSo() throws Exception {
    Ownership o = start(1);
    o.releaseAll().await(10, TimeUnit.SECONDS);

    assertThat(dropped).containsExactlyInAnyOrder("alpha: this member is shutting down", "bravo: this member is shutting down");
    Throwable refused = failure(o.check("alpha"));
    assertThat(refused).isInstanceOf(StoreException.class).hasMessage("this member is shutting down and has given "
        + "client alpha up; the write was refused (a webhook stays in the inbox for the client's owner)");
    assertThat(leases.held).as("leases given up").isEmpty();
  }

  @Test
  void aMemberThatSeesFewerMembersThanTheQuorumOwnsNothing() throws Exception {
    leases.members = Set.of("me");
    Ownership o = start(2);
    assertThat(taken).isEmpty();
    assertThat(o.valid("alpha")).isFalse();

    leases.members = Set.of("me", "peer");
    leases.readyMembers = Set.of("me");   // the peer is not ready: this member is everyone's preferred owner
    TestServer.awaitCondition("both taken", Duration.ofSeconds(10), () -> taken.size() == 2);

    leases.members = Set.of("me");        // the peer is gone from this member's view: a split, not a quorum
    TestServer.awaitCondition("both dropped", Duration.ofSeconds(10), () -> dropped.size() == 2);
    assertThat(dropped).allSatisfy(d -> assertThat(d).contains("sees 1 of the 2 members"));
    assertThat(o.valid("alpha")).isFalse();
    assertThat(o.valid("bravo")).isFalse();
  }

  /** An in-memory lease table with the knobs a test needs; time to live is not modelled (nobody else takes). */
  static final class FakeLeases implements LeaseTable {
    final String self;
    final Map<String, String> held = new ConcurrentHashMap<>();
    volatile Set<String> members;
    volatile Set<String> readyMembers;
    volatile boolean unreachable;

    FakeLeases(String self) {
      this.self = self;
      this.members = Set.of(self);
      this.readyMembers = Set.of(self);
    }

    private void reach() {
      if (unreachable) throw new IllegalStateException("cluster map did not answer");
    }

    @Override public String self() { return self; }
    @Override public Set<String> members() { return members; }
    @Override public boolean acquire(String c, String token, long ttlMs) { reach(); return held.putIfAbsent(c, token) == null; }
    @Override public boolean renew(String c, String token, long ttlMs) { reach(); return token.equals(held.get(c)); }
    @Override public void release(String c, String token) { reach(); held.remove(c, token); }
    @Override public String holder(String c) { reach(); return held.get(c); }
    @Override public void markReady(long ttlMs) { reach(); }
    @Override public void unmarkReady() {}
    @Override public Set<String> ready() { reach(); return readyMembers; }
  }
}
