package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.clients.DemoBootstrap;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.FlakyStore;
import pbwebhook.store.embedded.EmbeddedStore;
import pbwebhook.store.schema.Clients;

/**
 * The accept limit as senders see it: with the defaults a fast sender is never refused (LinkedHelper and
 * PhantomBuster post once and never retry, so a 429 is a lost lead); only a client whose webhooks pile up
 * undelivered is refused, past its backlog bound, and only until its backlog drains.
 */
class AcceptLimitTest {

  @TempDir
  Path dataDir;

  Vertx vertx = Vertx.vertx();
  Server server;
  FlakyStore store;
  TestHttp http;

  private void start(JsonObject settings) throws Exception {
    AppConfig config = AppConfig.from(new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("DATA_DIR", dataDir.resolve("run" + System.nanoTime()).toString()).mergeIn(settings));
    store = new FlakyStore(new EmbeddedStore(vertx, config.dataDir()), DemoBootstrap.DEMO_BASE_ID);
    server = Server.start(vertx, config, store).await(30, TimeUnit.SECONDS);
    http = new TestHttp(server.port());
  }

  private void stopServer() throws Exception {
    if (server != null) server.stop().await(30, TimeUnit.SECONDS);
    server = null;
  }

  @AfterEach
  void stop() throws Exception {
    stopServer();
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** A LinkedHelper profile body of exactly {@code bytes} bytes. */
  static String profile(String slug, int bytes) {
    String head = "{\"profileUrl\":\"https://www.linkedin.com/in/" + slug + "/\",\"firstName\":\"Lee\",\"lastName\":\""
        + slug + "\",\"headline\":\"Founder\",\"summary\":\"";
    String tail = "\"}";
    String body = head + "s".repeat(bytes - head.length() - tail.length()) + tail;
    assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
    return body;
  }

  record Outcome(Map<Integer, Integer> statuses, Set<String> inboxIds) {}

  /** Posts {@code n} distinct profiles from {@code senders} concurrent senders; every request within 60 s. */
  private Outcome postConcurrently(String prefix, int n, int senders) throws InterruptedException {
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    Set<String> ids = ConcurrentHashMap.newKeySet();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    for (int t = 0; t < senders; t++) {
      pool.execute(() -> {
        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
          TestHttp.Reply r = http.post("/lh-webhook/upsertLeadOnly", profile(prefix + "-" + i, 700));
          statuses.merge(r.status(), 1, Integer::sum);
          if (r.status() == 200) ids.add(r.json().getString("inboxId"));
        }
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(120, TimeUnit.SECONDS)).as("all posts answered within 120 s").isTrue();
    return new Outcome(statuses, ids);
  }

  @Test
  void withTheDefaultsTwoThousandBodiesFrom32ConcurrentSendersAreAllAccepted() throws Exception {
    // The limits shipped before: a fixed 50/s with a burst of 200 refuses this load, so the test can tell.
    start(new JsonObject().put("WEBHOOK_RATE_PER_S", 50).put("WEBHOOK_RATE_BURST", 200));
    assertThat(postConcurrently("old", 1_000, 32).statuses().getOrDefault(429, 0)).isPositive();
    stopServer();

    start(new JsonObject());
    Outcome o = postConcurrently("lead", 2_000, 32);
    assertThat(o.statuses()).isEqualTo(Map.of(200, 2_000));
    assertThat(o.inboxIds()).hasSize(2_000);
    JsonObject[] inbox = new JsonObject[1];
    TestServer.awaitCondition("all 2,000 stored", Duration.ofSeconds(120), () -> {
      inbox[0] = http.get("/api/inbox").json();
      return inbox[0].getInteger("pending") == 0;
    });
    assertThat(inbox[0].getInteger("delivered")).isEqualTo(2_000);
    assertThat(inbox[0].getInteger("dead")).isZero();
  }

  @Test
  void aClientWhoseBaseIsDownIsRefusedOnlyPastItsBacklogBoundAndOnlyUntilItDrains() throws Exception {
    start(new JsonObject().put("WEBHOOK_BACKLOG_MB", 1).put("DEFAULT_CLIENT_ID", "demo"));
    server.store().create("master", Clients.TABLE, List.of(new JsonObject().put(Clients.CLIENT_ID, "acme")
        .put(Clients.CLIENT_NAME, "Acme").put(Clients.STATUS, Clients.STATUS_ACTIVE)
        .put(Clients.AIRTABLE_BASE_ID, "acme-base"))).await(10, TimeUnit.SECONDS);
    vertx.eventBus().request(Addresses.CLIENTS_REFRESH, new JsonObject()).await(10, TimeUnit.SECONDS);
    store.outageFor(120_000);

    // Each 3 KB body counts 4 KB with its bookkeeping: 256 of them fill the 1 MB bound of the demo client.
    for (int i = 0; i < 256; i++) {
      TestHttp.Reply r = http.post("/lh-webhook/upsertLeadOnly", profile("down-" + i, 3 * 1024));
      assertThat(r.status()).as("webhook " + i + ": " + r.body()).isEqualTo(200);
    }
    TestHttp.Reply refused = http.post("/lh-webhook/upsertLeadOnly", profile("down-256", 3 * 1024));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Retry-After")).isEqualTo("10");
    assertThat(refused.json().getString("error")).isEqualTo("too many webhooks waiting to be stored for client demo: "
        + "256 (1.0 MB), the limit is 1.0 MB (WEBHOOK_BACKLOG_MB); retry after 10 s");

    TestHttp.Reply other = http.post("/lh-webhook/upsertLeadOnly?clientId=acme", profile("up-1", 3 * 1024));
    assertThat(other.status()).as("another client is not held back: " + other.body()).isEqualTo(200);

    store.outageFor(0);
    TestServer.awaitCondition("the backlog drained", Duration.ofSeconds(60),
        () -> http.get("/api/inbox").json().getInteger("pending") == 0);
    TestHttp.Reply again = http.post("/lh-webhook/upsertLeadOnly", profile("down-256", 3 * 1024));
    assertThat(again.status()).as(again.body()).isEqualTo(200);
  }
}
