package pbwebhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.clients.WebhookSecretStore;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.AirtableBases;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.Leads;

/**
 * A client added or paused through one member of a cluster is served by the other at once (an event-bus publish
 * makes every registry reload; the 5-minute client cache is not waited for), and its webhook secret works on both
 * members when they share the secrets file.
 */
class ClientChangeClusterTest {

  /** Free ports and a cluster name of this test\'s own. */
  private final ClusterPorts ports = ClusterPorts.pick("pb-client-change-test");

  static final String KEY = "patCLUSTERKEY.0002";
  static final String ADMIN = "cluster-admin";
  static final String MASTER = "appClusterMaster2";
  static final String BASE = "appClusterOmega01";
  static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
  /** Well under the client cache (CLIENT_CACHE_TTL_S, 300 s), which is what a change had to wait for before. */
  static final Duration AT_ONCE = Duration.ofSeconds(5);

  @TempDir
  Path dirA;
  @TempDir
  Path dirB;

  Vertx fakeVertx;
  FakeAirtable fake;
  ClusterNode a;
  ClusterNode b;

  @BeforeEach
  void setUp() throws Exception {
    fakeVertx = Vertx.vertx();
    fake = new FakeAirtable(fakeVertx, KEY);
    fake.start().await(10, TimeUnit.SECONDS);
    // Two members each pace the master base at 5/s; a short penalty keeps an occasional 429 from stalling the test.
    fake.penaltyMillis(1000);
    AirtableBases.master(fake, MASTER);
    AirtableBases.clientBase(fake, BASE);
    // The members share the secrets file (in production: one volume).
    Files.createSymbolicLink(dirB.resolve(WebhookSecretStore.FILE_NAME), dirA.resolve(WebhookSecretStore.FILE_NAME));
    a = start(dirA, 0);
    b = start(dirB, 1);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (b != null) b.stop();
    if (a != null) a.stop();
    fake.close().await(10, TimeUnit.SECONDS);
    fakeVertx.close().await(10, TimeUnit.SECONDS);
  }

  /** The client's status as a member's registry has it (no store call), or null when it does not know it. */
  static String status(ClusterNode node, String clientId) {
    for (Object o : node.http().get("/api/clients", AUTH).json().getJsonArray("clients")) {
      JsonObject c = (JsonObject) o;
      if (clientId.equals(c.getString("clientId"))) return c.getString("status");
    }
    return null;
  }

  ClusterNode start(Path dataDir, int which) throws Exception {
    AppConfig config = AppConfig.from(new JsonObject()
        .put("HTTP_HOST", "127.0.0.1").put("PORT", 0).put("DATA_DIR", dataDir.toString())
        .put("AIRTABLE_API_KEY", KEY).put("MASTER_CLIENTS_BASE_ID", MASTER).put("AIRTABLE_ENDPOINT_URL", fake.url())
        .put("ADMIN_TOKEN", ADMIN).put("PB_WEBHOOK_SECRET", "cluster-global-secret").put("WEBHOOK_RATE_PER_S", 0)
        // Two members share the fake's 5 req/s per base; a 429 all the same pauses the base for the fake's 1 s.
        .put("AIRTABLE_RPS", 2).put("AIRTABLE_RATE_LIMIT_PENALTY_S", 1)
        .put("CLUSTER_OWNERSHIP_SWEEP_MS", 300)
        .mergeIn(ports.member(which)));
    return ClusterNode.start(config);
  }

  @Test
  void aClientAddedOnOneMemberIsServedByTheOtherAtOnce() {
    assertThat(status(b, "omega")).isNull();

    TestHttp.Reply created = a.http().post("/api/clients", new JsonObject().put("clientName", "Omega")
        .put("baseId", BASE).put("provision", false).encode(), AUTH);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String secret = created.json().getString("webhookSecret");

    long start = System.nanoTime();
    TestServer.awaitCondition("member B knows the new client", AT_ONCE,
        () -> "Active".equals(status(b, "omega")));
    TestServer.awaitCondition("exactly one member owns the new client", AT_ONCE, () -> {
      Set<String> ownedA = a.owned();
      Set<String> ownedB = b.owned();
      return ownedA.contains("omega") != ownedB.contains("omega");
    });
    long seenAfterMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(seenAfterMs).isLessThan(AT_ONCE.toMillis());

    // The client's own secret works on the member that did not create it.
    TestHttp.Reply hook = b.http().post("/lh-webhook/upsertLeadOnly?wait=true&clientId=omega",
        new JsonObject().put("profileUrl", "https://www.linkedin.com/in/omega-lead").put("firstName", "Om")
            .put("headline", "Founder").put("summary", "An about text that is comfortably longer than forty characters.")
            .encode(), Map.of("Content-Type", "application/json", "X-Webhook-Secret", secret));
    assertThat(hook.status()).as(hook.body()).isEqualTo(200);
    assertThat(fake.records(BASE, Leads.TABLE)).hasSize(1);

    // Paused on B: A refuses its runs at once too.
    assertThat(b.http().patch("/api/clients/omega", "{\"status\":\"Paused\"}", AUTH).status()).isEqualTo(200);
    TestServer.awaitCondition("member A sees the pause", AT_ONCE, () -> "Paused".equals(status(a, "omega")));
    assertThat(a.http().get("/run-batch-score?clientId=omega", AUTH).status()).isEqualTo(409);
    assertThat(fake.records(MASTER, Clients.TABLE).get(0).getJsonObject("fields").getString(Clients.STATUS))
        .isEqualTo(Clients.STATUS_PAUSED);
  }
}
