package pbwebhook.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.RawHttp;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.FlakyStore;
import pbwebhook.store.schema.Clients;

/**
 * {@code GET /metrics} as an operator's Prometheus sees it: exact counts of what the server did, behind the admin
 * token on the main port, or on a loopback-only {@code METRICS_PORT}, and never a secret.
 */
class MetricsEndpointTest {

  static final String ADMIN = "marker-admin-token-5f2a";
  static final String SECRET = "marker-global-secret-81c4";
  static final String ALPHA_SECRET = "marker-alpha-secret-c0de";
  static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + ADMIN);

  @TempDir
  Path dataDir;
  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private TestServer start(JsonObject settings) {
    server = TestServer.start(dataDir, null, new JsonObject().put("ADMIN_TOKEN", ADMIN).put("PB_WEBHOOK_SECRET", SECRET)
        .put("WEBHOOK_SECRET_ALPHA", ALPHA_SECRET).mergeIn(settings));
    server.addClient("alpha", Clients.STATUS_ACTIVE, List.of());
    server.addClient("bravo", Clients.STATUS_ACTIVE, List.of());
    return server;
  }

  static String profile(String slug) {
    return new JsonObject().put("profileUrl", "https://www.linkedin.com/in/" + slug + "/").put("firstName", "F")
        .put("lastName", slug).put("headline", "Founder").encode();
  }

  private TestHttp.Reply webhook(String clientId, String secret, String body) {
    return server.http().post("/lh-webhook/upsertLeadOnly?clientId=" + clientId, body,
        Map.of("Content-Type", "application/json", "X-Webhook-Secret", secret));
  }

  /** The scrape's lines, read with the admin token. */
  private List<String> scrape() {
    TestHttp.Reply r = server.http().get("/metrics", AUTH);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.body().lines().toList();
  }

  /** Scrapes until {@code line} is there (an end handler or a delivery may still be finishing), failing at 10 s. */
  private List<String> scrapeUntil(String line) {
    AtomicReference<List<String>> last = new AtomicReference<>();
    TestServer.awaitCondition("the scrape has " + line, Duration.ofSeconds(10), () -> {
      last.set(scrape());
      return last.get().contains(line);
    });
    return last.get();
  }

  @Test
  void webhooksAreCountedByClientKindAndStatusAndTheirDeliveriesByOutcome() {
    start(new JsonObject());
    for (int i = 0; i < 3; i++) assertThat(webhook("alpha", ALPHA_SECRET, profile("alpha-" + i)).status()).isEqualTo(200);
    assertThat(webhook("bravo", SECRET, profile("bravo-0")).status()).isEqualTo(200);
    // no usable profile URL: refused once the client is known
    assertThat(webhook("alpha", ALPHA_SECRET, "{\"firstName\":\"NoUrl\"}").status()).isEqualTo(400);
    // the wrong secret: refused before the client is known, so the made-up client is no label either
    assertThat(webhook("alpha", "wrong", profile("x")).status()).isEqualTo(403);
    assertThat(webhook("made-up-client-id", SECRET, profile("y")).status()).isEqualTo(404);

    List<String> lines = scrapeUntil("pbwebhook_inbox_deliveries_total{client=\"alpha\",kind=\"lh-profiles\",outcome=\"delivered\"} 3.0");
    assertThat(lines).contains(
        "pbwebhook_webhooks_accepted_total{client=\"alpha\",kind=\"lh-profiles\"} 3.0",
        "pbwebhook_webhooks_accepted_total{client=\"bravo\",kind=\"lh-profiles\"} 1.0",
        "pbwebhook_webhooks_refused_total{client=\"alpha\",kind=\"lh-profiles\",status=\"400\"} 1.0",
        "pbwebhook_webhooks_refused_total{client=\"unknown\",kind=\"lh-profiles\",status=\"403\"} 1.0",
        "pbwebhook_webhooks_refused_total{client=\"unknown\",kind=\"lh-profiles\",status=\"404\"} 1.0");
    lines = scrapeUntil("pbwebhook_inbox_deliveries_total{client=\"bravo\",kind=\"lh-profiles\",outcome=\"delivered\"} 1.0");
    assertThat(lines).contains("pbwebhook_inbox_pending{client=\"alpha\"} 0.0", "pbwebhook_inbox_dead{client=\"alpha\"} 0.0")
        .noneMatch(l -> l.contains("made-up-client-id"))
        .noneMatch(l -> l.startsWith("pbwebhook_inbox_retries_total"));
    // Vert.x's own HTTP server meters and the JVM's are in the same scrape
    assertThat(lines).anyMatch(l -> l.startsWith("vertx_http_server_requests_total{") && l.contains("code=\"200\""))
        .anyMatch(l -> l.startsWith("jvm_memory_used_bytes{"));
  }

  @Test
  void storeOutagesShowAsRetriesAndRefusedDataAsDeadLettersAndPendingEntriesAsTheGauge() {
    FlakyStore[] flaky = new FlakyStore[1];
    server = TestServer.start(dataDir, null, new JsonObject().put("ADMIN_TOKEN", ADMIN).put("PB_WEBHOOK_SECRET", SECRET),
        store -> flaky[0] = new FlakyStore(store, TestServer.DEMO_BASE));
    flaky[0].refuseWritesContaining("refused-lead");
    assertThat(webhook(TestServer.DEMO, SECRET, profile("refused-lead")).status()).isEqualTo(200);
    List<String> lines = scrapeUntil("pbwebhook_inbox_dead{client=\"demo\"} 1.0");
    assertThat(lines).contains("pbwebhook_inbox_deliveries_total{client=\"demo\",kind=\"lh-profiles\",outcome=\"dead\"} 1.0",
        "pbwebhook_inbox_pending{client=\"demo\"} 0.0");

    // An outage: the entry waits in the inbox (the pending gauge) and each failed attempt is a retry.
    flaky[0].outageFor(60_000);
    assertThat(webhook(TestServer.DEMO, SECRET, profile("during-outage")).status()).isEqualTo(200);
    scrapeUntil("pbwebhook_inbox_pending{client=\"demo\"} 1.0");
    lines = scrapeUntil("pbwebhook_inbox_retries_total{client=\"demo\",kind=\"lh-profiles\"} 2.0");
    flaky[0].outageFor(0);
    lines = scrapeUntil("pbwebhook_inbox_deliveries_total{client=\"demo\",kind=\"lh-profiles\",outcome=\"delivered\"} 1.0");
    assertThat(scrapeUntil("pbwebhook_inbox_pending{client=\"demo\"} 0.0")).contains("pbwebhook_inbox_dead{client=\"demo\"} 1.0");
  }

  @Test
  void theMainPortWantsTheAdminToken() {
    start(new JsonObject());
    TestHttp.Reply none = server.http().get("/metrics");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().getString("error")).contains("Authorization: Bearer");
    assertThat(none.body()).doesNotContain("pbwebhook_");
    assertThat(server.http().get("/metrics", Map.of("Authorization", "Bearer " + SECRET)).status()).isEqualTo(401);
    TestHttp.Reply ok = server.http().get("/metrics", AUTH);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.header("Content-Type")).startsWith("text/plain");
    // the two refusals, as Vert.x's own HTTP server meters counted them
    assertThat(ok.body().lines()).contains("vertx_http_server_requests_total{code=\"401\",method=\"GET\"} 2.0");
  }

  @Test
  void inDemoModeTheMainPortAnswersThisMachineWithoutAToken() {
    server = TestServer.start(dataDir, null, new JsonObject());
    assertThat(server.http().get("/metrics").status()).isEqualTo(200);
    TestHttp.Reply r = server.http().get("/metrics");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body().lines()).contains("vertx_http_server_requests_total{code=\"200\",method=\"GET\"} 1.0");
  }

  @Test
  void metricsPortServesTheScrapeWithoutATokenOnLoopbackOnly() throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    start(new JsonObject().put("METRICS_PORT", port));
    assertThat(webhook("alpha", ALPHA_SECRET, profile("alpha-0")).status()).isEqualTo(200);

    TestHttp loopback = new TestHttp(port);
    TestHttp.Reply r = loopback.get("/metrics");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body().lines()).contains("pbwebhook_webhooks_accepted_total{client=\"alpha\",kind=\"lh-profiles\"} 1.0");
    assertThat(loopback.get("/api/inbox").status()).isEqualTo(404);
    assertThat(RawHttp.status(RawHttp.exchange(port, "GET", "/metrics", "evil.example", "", null))).isEqualTo(421);

    // Not on any other interface of this machine.
    for (InetAddress other : NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
        .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).toList()) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(other, port), 2000);
        throw new AssertionError("METRICS_PORT answered on " + other);
      } catch (ConnectException expected) {
        // refused: bound to 127.0.0.1 only
      }
    }
  }

  @Test
  void aMetricsPortOutsideThePortRangeIsRefusedByName() {
    assertThat(AppConfig.from(new JsonObject()).http().metricsPort()).as("off by default").isZero();
    assertThatThrownBy(() -> AppConfig.from(
            new JsonObject().put("METRICS_PORT", 70000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("METRICS_PORT must be a port from 1 to 65535, or 0 for off, not: 70000");
  }

  @Test
  void noSecretValueIsInTheScrape() {
    start(new JsonObject());
    assertThat(webhook("alpha", ALPHA_SECRET, profile("alpha-0")).status()).isEqualTo(200);
    assertThat(webhook("alpha", SECRET, profile("alpha-1")).status()).isEqualTo(403);
    server.http().post("/lh-webhook/upsertLeadOnly?clientId=bravo&secret=" + SECRET, profile("bravo-0"));
    String body = String.join("\n", scrapeUntil("pbwebhook_webhooks_accepted_total{client=\"bravo\",kind=\"lh-profiles\"} 1.0"));
    assertThat(body).doesNotContain(ADMIN).doesNotContain(SECRET).doesNotContain(ALPHA_SECRET)
        .doesNotContain("linkedin.com").doesNotContain("alpha-0");
  }

}
