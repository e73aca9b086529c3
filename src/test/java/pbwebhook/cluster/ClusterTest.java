package pbwebhook.cluster;

import pbwebhook.Await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.AirtableBases;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.Leads;

/**
 * Two members clustered over Hazelcast on 127.0.0.1 (free ports, a cluster name of its own), sharing a fake
 * Airtable: every client has exactly one owner, webhooks and runs reach it from either member, run records are
 * cluster-wide, and when the owner leaves the other member takes its clients over.
 */
class ClusterTest {

  /** Free ports and a cluster name of this test\'s own. */
  private final ClusterPorts ports = ClusterPorts.pick("pb-cluster-test");

  static final String KEY = "patCLUSTERKEY.0001";
  static final String ADMIN = "cluster-admin";
  static final String SECRET = "cluster-secret";
  static final String MASTER = "appClusterMaster1";
  static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + ADMIN);
  static final Map<String, String> HOOK = Map.of("Content-Type", "application/json", "X-Webhook-Secret", SECRET);

  @TempDir
  Path dirA;
  @TempDir
  Path dirB;

  Vertx fakeVertx;
  FakeAirtable fake;
  ClusterNode a;
  ClusterNode b;

  @BeforeEach
  void setUp() {
    fakeVertx = Vertx.vertx();
    fake = new FakeAirtable(fakeVertx, KEY);
    Await.within(fake.start());
    AirtableBases.master(fake, MASTER);
    AirtableBases.clientBase(fake, "appClusterAlpha01");
    AirtableBases.clientBase(fake, "appClusterBravo02");
    AirtableBases.addClient(fake, MASTER, "alpha", "appClusterAlpha01", Clients.STATUS_ACTIVE);
    AirtableBases.addClient(fake, MASTER, "bravo", "appClusterBravo02", Clients.STATUS_ACTIVE);
    a = start(dirA, 0);
    b = start(dirB, 1);
  }

  @AfterEach
  void tearDown() {
    // One after the other: two members leaving at once make Hazelcast complain about lost partitions.
    if (b != null) b.stop();
    if (a != null) a.stop();
    Await.within(fake.close());
    Await.within(fakeVertx.close());
  }

  ClusterNode start(Path dataDir, int which) {
    AppConfig config = AppConfig.from(new JsonObject()
        .put("HTTP_HOST", "127.0.0.1").put("PORT", 0).put("DATA_DIR", dataDir.toString())
        .put("AIRTABLE_API_KEY", KEY).put("MASTER_CLIENTS_BASE_ID", MASTER).put("AIRTABLE_ENDPOINT_URL", fake.url())
        .put("ADMIN_TOKEN", ADMIN).put("PB_WEBHOOK_SECRET", SECRET).put("WEBHOOK_RATE_PER_S", 0)
        .put("CLUSTER_OWNERSHIP_SWEEP_MS", 300)
        .mergeIn(ports.member(which)));
    return ClusterNode.start(config);
  }

  static String profile(String slug) {
    return new JsonObject().put("profileUrl", "https://www.linkedin.com/in/" + slug).put("firstName", "Clu")
        .put("headline", "Founder at " + slug).put("summary", "An about text that is comfortably longer than forty characters.")
        .encode();
  }

  @Test
  void eachClientHasOneOwnerAndEitherMemberServesItUntilTheOwnerLeaves() {
    assertThat(a.vertx().isClustered()).isTrue();
    // Settled: each client held by the member rendezvous hashing gives it among the two (the first member up takes
    // both at first and hands one over once the second is ready; asserting before that would race the handover).
    Set<String> members = Set.of(a.member(), b.member());
    Set<String> expectedA = new HashSet<>();
    Set<String> expectedB = new HashSet<>();
    for (String client : List.of("alpha", "bravo")) {
      (Rendezvous.owner(client, members).equals(a.member()) ? expectedA : expectedB).add(client);
    }
    TestServer.awaitCondition("each client owned by its rendezvous member only", Duration.ofSeconds(60),
        () -> a.owned().equals(expectedA) && b.owned().equals(expectedB));
    ClusterNode owner = a.owned().contains("alpha") ? a : b;
    ClusterNode other = owner == a ? b : a;

    // A webhook posted to the member that does not own the client reaches its owner over the event bus.
    TestHttp.Reply hook = other.http().post("/lh-webhook/upsertLeadOnly?wait=true&clientId=alpha", profile("via-other"), HOOK);
    assertThat(hook.status()).as(hook.body()).isEqualTo(200);
    assertThat(hook.json().getInteger("upserted")).isEqualTo(1);

    // So does a run, and its record is readable from either member.
    TestHttp.Reply run = other.http().get("/run-batch-score?clientId=alpha&wait=true", AUTH);
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    assertThat(run.json().getJsonObject("summary").getInteger("totalSuccessful")).isEqualTo(1);
    String runId = run.json().getJsonArray("clientResults").getJsonObject(0).getString("runId");
    assertThat(owner.http().get("/api/runs/" + runId, AUTH).json().getString("status")).isEqualTo("completed");
    assertThat(other.http().get("/api/runs/" + runId, AUTH).json().getString("status")).isEqualTo("completed");
    // Each member's /metrics counts what it did itself: the webhook where it was taken, the run where it ran.
    List<String> otherMetrics = other.http().get("/metrics", AUTH).body().lines().toList();
    List<String> ownerMetrics = owner.http().get("/metrics", AUTH).body().lines().toList();
    assertThat(otherMetrics).contains("pbwebhook_webhooks_accepted_total{client=\"alpha\",kind=\"lh-profiles\"} 1.0")
        .noneMatch(l -> l.startsWith("pbwebhook_runs_total{"))
        .anyMatch(l -> l.startsWith("vertx_http_server_requests_total{"));
    assertThat(ownerMetrics).contains("pbwebhook_runs_total{client=\"alpha\",kind=\"leads\",status=\"completed\"} 1.0")
        .noneMatch(l -> l.startsWith("pbwebhook_webhooks_accepted_total{"))
        .anyMatch(l -> l.startsWith("vertx_http_server_requests_total{"));
    List<JsonObject> leads = fake.records("appClusterAlpha01", Leads.TABLE).stream().map(r -> r.getJsonObject("fields")).toList();
    assertThat(leads).singleElement().satisfies(l -> assertThat(l.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED));

    // The owner leaves: the other member takes its clients over and keeps serving them.
    owner.stop();
    if (owner == a) a = null;
    else b = null;
    TestServer.awaitCondition("the remaining member owns both clients", Duration.ofSeconds(30),
        () -> other.owned().equals(Set.of("alpha", "bravo")));
    // Accepted (stored at once, or journaled while the new owner's worker settles in) and then stored.
    TestHttp.Reply after = other.http().post("/lh-webhook/upsertLeadOnly?wait=true&clientId=alpha", profile("after-takeover"), HOOK);
    assertThat(after.status()).as(after.body()).isIn(200, 202);
    TestServer.awaitCondition("the webhook stored by the new owner", Duration.ofSeconds(30),
        () -> fake.records("appClusterAlpha01", Leads.TABLE).size() == 2);
  }
}
