package pbwebhook;

import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.clients.DemoBootstrap;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.FlakyStore;
import pbwebhook.store.embedded.EmbeddedStore;
import pbwebhook.store.schema.Leads;

/**
 * Acknowledged webhooks reach the store through outages, 429 storms and restarts, and data the store
 * refuses ends on the dead-letter list, from which it can be replayed. The store failures are simulated
 * by {@link FlakyStore} around the embedded store.
 */
class WebhookDeliveryTest {

  @TempDir
  Path dataDir;

  Vertx vertx;
  Server server;
  FlakyStore store;
  TestHttp http;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    startServer(0);
  }

  private void startServer(long outageMs) {
    AppConfig config = AppConfig.from(new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("DATA_DIR", dataDir.toString()).put("WEBHOOK_RATE_PER_S", 0));
    store = new FlakyStore(new EmbeddedStore(vertx, config.dataDir()), DemoBootstrap.DEMO_BASE_ID);
    store.outageFor(outageMs);
    server = Await.within(Server.start(vertx, config, store));
    http = new TestHttp(server.port());
  }

  @AfterEach
  void stop() {
    if (server != null) Await.within(server.stop());
    Await.within(vertx.close());
  }

  static String profile(String slug, String headline) {
    return "{\"profileUrl\":\"https://www.linkedin.com/in/" + slug + "/\",\"firstName\":\"F\",\"lastName\":\"" + slug
        + "\",\"headline\":\"" + headline + "\",\"summary\":\"About text long enough to be a profile summary.\"}";
  }

  private List<String> post(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> {
      TestHttp.Reply r = http.post("/lh-webhook/upsertLeadOnly", profile(prefix + "-" + i, "Founder"));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return r.json().getString("inboxId");
    }).toList();
  }

  private JsonObject awaitInbox(String what, Predicate<JsonObject> done, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    JsonObject inbox;
    do {
      inbox = http.get("/api/inbox").json();
      if (done.test(inbox)) return inbox;
      ServerEndToEndTest.pause();
    } while (System.nanoTime() < deadline);
    throw new AssertionError(what + " not reached within " + limit + ": " + inbox);
  }

  private long leadsWithPrefix(String prefix) {
    JsonArray records = http.get("/api/clients/demo/leads?limit=1000").json().getJsonArray("records");
    List<String> urls = records.stream().map(o -> ((JsonObject) o).getJsonObject("fields").getString(Leads.LINKEDIN_PROFILE_URL))
        .filter(u -> u.contains("/in/" + prefix + "-")).toList();
    assertThat(urls).as("no lead twice").doesNotHaveDuplicates();
    return urls.size();
  }

  @Test
  void everyWebhookAcceptedDuringAStoreOutageIsDeliveredWhenItRecovers() {
    store.outageFor(3_000);
    post("outage", 20);
    JsonObject during = awaitInbox("retries during the outage",
        i -> i.getJsonArray("retrying").size() > 0 && i.getInteger("pending") == 20, Duration.ofSeconds(3));
    assertThat(during.getJsonArray("retrying").getJsonObject(0).getString("lastError")).contains("simulated outage");
    assertThat(during.getInteger("dead")).isZero();

    awaitInbox("delivery after the outage", i -> i.getInteger("pending") == 0, Duration.ofSeconds(30));
    assertThat(store.failuresThrown()).isPositive();
    assertThat(leadsWithPrefix("outage")).isEqualTo(20);
    assertThat(http.get("/api/inbox").json().getInteger("dead")).isZero();
  }

  @Test
  void aRateLimitStormIsWaitedOutWithNothingLost() {
    store.rateLimitNext(40);
    post("storm", 15);
    awaitInbox("delivery after the storm", i -> i.getInteger("pending") == 0, Duration.ofSeconds(60));
    assertThat(store.failuresThrown()).isEqualTo(40);
    assertThat(leadsWithPrefix("storm")).isEqualTo(15);
    assertThat(http.get("/api/inbox").json().getInteger("dead")).isZero();
  }

  @Test
  void dataTheStoreRefusesIsDeadLetteredWithTheReasonAndCanBeReplayed() {
    store.refuseWritesContaining("Unstorable Headline");
    TestHttp.Reply r = http.post("/lh-webhook/upsertLeadOnly", profile("refused-1", "Unstorable Headline"));
    assertThat(r.status()).isEqualTo(200);
    String id = r.json().getString("inboxId");
    awaitInbox("dead letter", i -> i.getInteger("dead") == 1, Duration.ofSeconds(10));

    JsonObject dead = http.get("/api/inbox/dead").json();
    assertThat(dead.getInteger("count")).isEqualTo(1);
    JsonObject entry = dead.getJsonArray("entries").getJsonObject(0);
    assertThat(entry.getString("inboxId")).isEqualTo(id);
    assertThat(entry.getString("clientId")).isEqualTo("demo");
    assertThat(entry.getString("reason")).contains("cannot accept the provided value");
    assertThat(leadsWithPrefix("refused")).isZero();

    assertThat(http.post("/api/inbox/dead/ib_nope/replay", "").status()).isEqualTo(404);
    store.refuseWritesContaining(null);
    TestHttp.Reply replay = http.post("/api/inbox/dead/" + id + "/replay", "");
    assertThat(replay.status()).isEqualTo(202);
    awaitInbox("replayed delivery", i -> i.getInteger("pending") == 0 && i.getInteger("dead") == 0, Duration.ofSeconds(10));
    assertThat(leadsWithPrefix("refused")).isEqualTo(1);
    assertThat(http.post("/api/inbox/dead/" + id + "/replay", "").status()).isEqualTo(409);
  }

  @Test
  void aDamagedJournalRecordCostsOnlyItsOwnWebhookAfterARestart() throws java.io.IOException {
    store.outageFor(120_000);
    post("damaged", 60);
    Await.within(server.stop());
    server = null;
    // Entries only (nothing was delivered): record 30 is the webhook of profile damaged-30.
    Path segment = dataDir.resolve("inbox").resolve("seg-000000000001.log");
    List<Integer> bounds = pbwebhook.inbox.JournalFiles.recordBounds(segment);
    assertThat(bounds).hasSize(61);
    pbwebhook.inbox.JournalFiles.flipByte(segment, (bounds.get(30) + bounds.get(31)) / 2);

    startServer(0);
    JsonObject inbox = awaitInbox("delivery after restart", i -> i.getInteger("pending") == 0, Duration.ofSeconds(60));
    assertThat(inbox.getJsonObject("journal").getInteger("corruptFrames")).isEqualTo(1);
    assertThat(inbox.getJsonObject("journal").getLong("corruptBytes")).isEqualTo((long) bounds.get(31) - bounds.get(30));
    assertThat(leadsWithPrefix("damaged")).isEqualTo(59);
    JsonArray records = http.get("/api/clients/demo/leads?limit=1000").json().getJsonArray("records");
    assertThat(records.stream().map(o -> ((JsonObject) o).getJsonObject("fields").getString(Leads.LINKEDIN_PROFILE_URL)))
        .noneMatch(u -> u.contains("/in/damaged-30/"));
  }

  @Test
  void entriesStillPendingAtAStopAreDeliveredAfterTheRestart() {
    store.outageFor(60_000);
    post("restart", 12);
    awaitInbox("retrying", i -> i.getJsonArray("retrying").size() > 0, Duration.ofSeconds(5));
    Await.within(server.stop());
    server = null;

    // Still down for a moment after the restart, so the recovered backlog can be seen before it drains.
    startServer(1_500);
    assertThat(http.get("/api/inbox").json().getInteger("pending")).isEqualTo(12);
    awaitInbox("delivery after restart", i -> i.getInteger("pending") == 0, Duration.ofSeconds(30));
    assertThat(leadsWithPrefix("restart")).isEqualTo(12);
  }
}
