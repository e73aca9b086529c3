package pbwebhook.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.RawHttp;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.ScriptedScorer;

/** Issue 13 item 4 (DNS rebinding, cross-site posts) and item 6 (/health detail without auth shows no path). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BrowserDefencesTest {

  @TempDir
  Path dataDir;

  @Test
  void demoModeListensOnLoopbackOnlyWhateverHttpHostSays() {
    AppConfig demo = AppConfig.from(new JsonObject().put("HTTP_HOST", "0.0.0.0").put("DEMO_MODE", "true"));
    assertThat(demo.httpHost()).isEqualTo("127.0.0.1");
    AppConfig real = AppConfig.from(new JsonObject().put("HTTP_HOST", "0.0.0.0").put("PB_WEBHOOK_SECRET", "s")
        .put("ADMIN_TOKEN", "t"));
    assertThat(real.demoMode()).isFalse();
    assertThat(real.httpHost()).isEqualTo("0.0.0.0");
  }

  @Test
  void inDemoModeAForeignHostOrOriginIsRefusedAndNothingStarts() throws Exception {
    try (TestServer server = TestServer.start(dataDir, new ScriptedScorer())) {
      int port = server.http().port();
      // DNS rebinding: the page's own name, resolved to 127.0.0.1.
      String rebound = RawHttp.exchange(port, "GET", "/api/clients", "evil.example:" + port, "", null);
      assertThat(RawHttp.status(rebound)).isEqualTo(421);
      assertThat(rebound).contains("evil.example").contains("ALLOWED_HOSTS").doesNotContain(TestServer.DEMO + "\"");
      String reboundHook = RawHttp.exchange(port, "POST", "/lh-webhook/upsertLeadOnly", "evil.example",
          "Content-Type: application/json\r\n", "{\"profileUrl\":\"https://www.linkedin.com/in/x\"}");
      assertThat(RawHttp.status(reboundHook)).isEqualTo(421);
      // The loopback names are this server; /health answers any Host (load balancers probe by IP).
      assertThat(RawHttp.status(RawHttp.exchange(port, "GET", "/api/clients", "localhost:" + port, "", null))).isEqualTo(200);
      assertThat(RawHttp.status(RawHttp.exchange(port, "GET", "/api/clients", "[::1]:" + port, "", null))).isEqualTo(200);
      assertThat(RawHttp.status(RawHttp.exchange(port, "GET", "/health", "evil.example", "", null))).isEqualTo(200);

      // A page elsewhere posting to the run trigger (a form post or fetch) is refused; nothing is started.
      String crossSite = RawHttp.exchange(port, "POST", "/run-batch-score", "127.0.0.1:" + port,
          "Origin: http://evil.example\r\n", "");
      assertThat(RawHttp.status(crossSite)).isEqualTo(403);
      assertThat(crossSite).contains("cross-site request refused");
      String crossSiteGet = RawHttp.exchange(port, "GET", "/run-batch-score", "127.0.0.1:" + port,
          "Origin: null\r\n", null);
      assertThat(RawHttp.status(crossSiteGet)).isEqualTo(403);
      assertThat(server.http().get("/api/runs").json().getJsonArray("runs")).isEmpty();
      // Reading is not state-changing (and a foreign page cannot read the answer without CORS).
      assertThat(RawHttp.status(RawHttp.exchange(port, "GET", "/api/clients", "127.0.0.1:" + port,
          "Origin: http://evil.example\r\n", null))).isEqualTo(200);
      // The dashboard's own page is same-origin.
      String own = RawHttp.exchange(port, "POST", "/run-batch-score", "localhost:" + port,
          "Origin: http://localhost:" + port + "\r\n", "");
      assertThat(RawHttp.status(own)).as(own).isEqualTo(202);
    }
  }

  @Test
  void outsideDemoModeAnyHostIsAnsweredUnlessAllowedHostsIsSet() throws Exception {
    JsonObject secrets = new JsonObject().put("PB_WEBHOOK_SECRET", "s").put("ADMIN_TOKEN", "t");
    try (TestServer server = TestServer.start(dataDir.resolve("a"), new ScriptedScorer(), secrets.copy())) {
      int port = server.http().port();
      // A drop-in behind a domain keeps working without new settings.
      assertThat(RawHttp.status(RawHttp.exchange(port, "GET", "/api/clients", "pb.example.com",
          "Authorization: Bearer t\r\n", null))).isEqualTo(200);
      // Cross-site state changes are refused in every mode.
      assertThat(RawHttp.status(RawHttp.exchange(port, "POST", "/run-batch-score", "pb.example.com",
          "Authorization: Bearer t\r\nOrigin: https://evil.example\r\n", ""))).isEqualTo(403);
    }
    try (TestServer server = TestServer.start(dataDir.resolve("b"), new ScriptedScorer(),
        secrets.copy().put("ALLOWED_HOSTS", "pb.example.com, Other.Example"))) {
      int port = server.http().port();
      assertThat(RawHttp.status(RawHttp.exchange(port, "GET", "/api/clients", "pb.example.com",
          "Authorization: Bearer t\r\n", null))).isEqualTo(200);
      assertThat(RawHttp.status(RawHttp.exchange(port, "GET", "/api/clients", "other.example:443",
          "Authorization: Bearer t\r\n", null))).isEqualTo(200);
      assertThat(RawHttp.status(RawHttp.exchange(port, "GET", "/api/clients", "evil.example",
          "Authorization: Bearer t\r\n", null))).isEqualTo(421);
      // The public page posting to its own server behind a proxy that rewrote Host.
      assertThat(RawHttp.status(RawHttp.exchange(port, "POST", "/run-batch-score", "127.0.0.1",
          "Authorization: Bearer t\r\nOrigin: https://pb.example.com\r\n", ""))).isEqualTo(202);
    }
  }

  @Test
  void healthDetailShowsNoPathWithoutTheAdminToken() {
    try (TestServer server = TestServer.start(dataDir, new ScriptedScorer(), new JsonObject().put("ADMIN_TOKEN", "t"))) {
      TestHttp.Reply anonymous = server.http().get("/health?detail=true");
      assertThat(anonymous.status()).isEqualTo(200);
      JsonObject body = anonymous.json();
      assertThat(body.getJsonObject("store").getString("kind")).isEqualTo("embedded");
      assertThat(body.getJsonObject("store").getBoolean("reachable")).isTrue();
      assertThat(anonymous.body()).doesNotContain(dataDir.toString()).doesNotContain(dataDir.getFileName().toString());
      assertThat(body.getJsonObject("store").containsKey("description")).isFalse();

      TestHttp.Reply operator = server.http().get("/health?detail=true", Map.of("Authorization", "Bearer t"));
      assertThat(operator.json().getJsonObject("store").getString("description")).contains(dataDir.toString());
    }
  }
}
