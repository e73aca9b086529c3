package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.store.schema.Clients;

/** Nobody learns which clients exist without a secret: every unauthenticated reply is free of client ids. */
class UnauthenticatedRepliesTest {

  static final String GLOBAL = "global-secret-for-enumeration";
  static final String ALPHA_OWN = "alpha-own-secret";
  static final List<String> HIDDEN = List.of("tenant-alpha-7", "tenant-bravo-9", "TENANT_ALPHA_7");
  static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

  @TempDir
  static Path dataDir;
  static TestServer server;
  static TestHttp http;

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDir, new ScriptedScorer(), new JsonObject().put("PB_WEBHOOK_SECRET", GLOBAL)
        .put("ADMIN_TOKEN", "admin-enum-token").put("WEBHOOK_SECRET_TENANT_ALPHA_7", ALPHA_OWN));
    for (String id : List.of("tenant-alpha-7", "tenant-bravo-9")) server.addClient(id, Clients.STATUS_ACTIVE, List.of());
    http = server.http();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  static final String LH = "{\"profileUrl\":\"https://www.linkedin.com/in/enum-probe\",\"firstName\":\"E\"}";
  static final String PB = "{\"resultObject\":\"[]\",\"secret\":\"guess\"}";
  static final String TB = "{\"linkedinMessage\":\"hi\",\"profileUrl\":\"https://www.linkedin.com/in/enum-probe\",\"timestamp\":\"t\"}";

  record Probe(String name, String method, String path, String body, Map<String, String> headers, int status) {}

  static Map<String, String> headers(String... kv) {
    java.util.HashMap<String, String> h = new java.util.HashMap<>(JSON);
    for (int i = 0; i < kv.length; i += 2) h.put(kv[i], kv[i + 1]);
    return h;
  }

  @Test
  void noUnauthenticatedReplyNamesAClient() {
    String now = Long.toString(Instant.now().getEpochSecond());
    List<Probe> probes = List.of(
        new Probe("LH, no client, no secret", "POST", "/lh-webhook/upsertLeadOnly", LH, JSON, 401),
        new Probe("LH, no client, wrong secret", "POST", "/lh-webhook/upsertLeadOnly?secret=nope", LH, JSON, 403),
        new Probe("LH, no client, a client's own secret", "POST", "/lh-webhook/upsertLeadOnly?secret=" + ALPHA_OWN, LH, JSON, 403),
        new Probe("LH, no client, bad signature", "POST", "/lh-webhook/upsertLeadOnly", LH,
            headers("X-Signature", "sha256=00", "X-Signature-Timestamp", now), 403),
        new Probe("LH, no client, bad Standard Webhooks signature", "POST", "/lh-webhook/upsertLeadOnly", LH,
            headers("webhook-id", "msg_1", "webhook-timestamp", now, "webhook-signature", "v1,AAAA"), 403),
        new Probe("PB, no client, wrong body secret", "POST", "/api/pb-webhook", PB, JSON, 403),
        new Probe("Text Blaze, no client, no secret", "POST", "/textblaze-linkedin-webhook", TB, JSON, 401),
        new Probe("LH, named client, no secret", "POST", "/lh-webhook/upsertLeadOnly?clientId=tenant-alpha-7", LH, JSON, 401),
        new Probe("LH, unknown client, wrong secret", "POST", "/lh-webhook/upsertLeadOnly?clientId=ghost&secret=x", LH, JSON, 403),
        new Probe("LH, X-Client-Id, wrong secret", "POST", "/lh-webhook/upsertLeadOnly?secret=x", LH,
            headers("X-Client-Id", "tenant-bravo-9"), 403),
        new Probe("client list", "GET", "/api/clients", null, Map.of(), 401),
        new Probe("one client", "GET", "/api/clients/tenant-alpha-7", null, Map.of(), 401),
        new Probe("inbox", "GET", "/api/inbox", null, Map.of(), 401),
        new Probe("runs", "GET", "/api/runs", null, Map.of(), 401),
        new Probe("run trigger", "POST", "/run-batch-score", "", Map.of(), 401),
        new Probe("execution summary", "GET", "/api/execution-summary", null, Map.of(), 401),
        new Probe("health", "GET", "/health", null, Map.of(), 200),
        new Probe("health detail", "GET", "/health?detail=true", null, Map.of(), 200),
        new Probe("dashboard", "GET", "/dashboard/", null, Map.of(), 200));
    for (Probe p : probes) {
      TestHttp.Reply r = p.method().equals("GET") ? http.get(p.path(), p.headers()) : http.post(p.path(), p.body(), p.headers());
      assertThat(r.status()).as(p.name() + ": " + r.body()).isEqualTo(p.status());
      for (String hidden : HIDDEN) assertThat(r.body()).as(p.name()).doesNotContainIgnoringCase(hidden);
      r.headers().forEach((k, v) -> assertThat(String.join(",", v)).as(p.name() + " header " + k).doesNotContain("tenant-"));
    }
  }

  @Test
  void withTheGlobalSecretAWebhookNamingNoClientHearsWhyButNotWhichClientsThereAre() {
    TestHttp.Reply r = http.post("/lh-webhook/upsertLeadOnly?secret=" + GLOBAL, LH, JSON);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().getString("error"))
        .isEqualTo("no client given: pass ?clientId=, the X-Client-Id header, or set DEFAULT_CLIENT_ID");
  }
}
