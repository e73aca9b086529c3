package pbwebhook;

import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.config.AppConfig;
import pbwebhook.http.RequestAuth;
import pbwebhook.store.schema.Clients;

/**
 * Who gets in (behaviour-decisions.md, Security): webhook secrets by query, header or HMAC signature
 * with a 5-minute tolerance, per-client secrets replacing the global one, the admin bearer token, and
 * nothing open when no secret is set outside demo mode.
 */
class WebhookAuthTest {

  static final String GLOBAL = "global-hook-secret";
  static final String ACME = "acme-only-secret";
  static final String ADMIN = "the-admin-token";

  @TempDir
  static Path dataDir;

  static Vertx vertx;
  static Server server;
  static TestHttp http;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = Await.within(Server.start(vertx, AppConfig.from(new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("DATA_DIR", dataDir.toString()).put("PB_WEBHOOK_SECRET", GLOBAL).put("ADMIN_TOKEN", ADMIN)
        .put("WEBHOOK_SECRET_ACME", ACME).put("DEFAULT_CLIENT_ID", "demo"))));
    Await.within(server.store().create("master", Clients.TABLE, List.of(new JsonObject().put(Clients.CLIENT_ID, "acme")
        .put(Clients.CLIENT_NAME, "Acme").put(Clients.STATUS, Clients.STATUS_ACTIVE).put(Clients.AIRTABLE_BASE_ID, "acme"))));
    Await.within(vertx.eventBus().request(Addresses.CLIENTS_REFRESH, new JsonObject()));
    http = new TestHttp(server.port());
  }

  @AfterAll
  static void stop() {
    if (server != null) Await.within(server.stop());
    if (vertx != null) Await.within(vertx.close());
  }

  static int counter;

  static String body() {
    return "{\"profileUrl\":\"https://www.linkedin.com/in/auth-" + (++counter) + "\",\"firstName\":\"A\"}";
  }

  static Map<String, String> headers(String... kv) {
    Map<String, String> h = new HashMap<>();
    h.put("Content-Type", "application/json");
    for (int i = 0; i < kv.length; i += 2) h.put(kv[i], kv[i + 1]);
    return h;
  }

  static Map<String, String> signed(String secret, long ts, String body) {
    return headers("X-Signature", "sha256=" + RequestAuth.sign(secret, ts, body.getBytes(StandardCharsets.UTF_8)),
        "X-Signature-Timestamp", Long.toString(ts));
  }

  record Case(String name, String query, Map<String, String> headers, String body, int status, String error) {}

  @Test
  void webhookSecretsBySecretHeaderAndSignature() {
    long now = Instant.now().getEpochSecond();
    String b = body();
    List<Case> cases = List.of(
        new Case("no secret", "", headers(), body(), 401, "missing webhook secret"),
        new Case("wrong ?secret=", "?secret=nope", headers(), body(), 403, "invalid webhook secret"),
        new Case("right ?secret=", "?secret=" + GLOBAL, headers(), body(), 200, null),
        new Case("right X-Webhook-Secret", "", headers("X-Webhook-Secret", GLOBAL), body(), 200, null),
        new Case("wrong X-Webhook-Secret", "", headers("X-Webhook-Secret", GLOBAL + "x"), body(), 403, "invalid webhook secret"),
        new Case("valid signature", "", signed(GLOBAL, now, b), b, 200, null),
        new Case("signature 6 min old", "", signed(GLOBAL, now - 360, b), b, 401, "outside the 5-minute tolerance"),
        new Case("signature 6 min ahead", "", signed(GLOBAL, now + 360, b), b, 401, "outside the 5-minute tolerance"),
        new Case("signature of another body", "", signed(GLOBAL, now, b), body(), 403, "invalid webhook signature"),
        new Case("signature with the wrong key", "", signed("guess", now, b), b, 403, "invalid webhook signature"),
        new Case("signature without timestamp", "", headers("X-Signature", "sha256=00"), b, 401, "X-Signature-Timestamp"),
        new Case("timestamp with a leading zero", "", headers("X-Signature", "sha256=00", "X-Signature-Timestamp",
            "0" + now), b, 401, "must be Unix seconds"),
        new Case("signature not sha256=", "", headers("X-Signature", "md5=00", "X-Signature-Timestamp", "" + now), b, 401,
            "sha256=<hex"),
        new Case("acme with its own secret", "?clientId=acme&secret=" + ACME, headers(), body(), 200, null),
        new Case("acme with the global secret", "?clientId=acme&secret=" + GLOBAL, headers(), body(), 403, "invalid webhook secret"),
        new Case("demo with acme's secret", "?clientId=demo&secret=" + ACME, headers(), body(), 403, "invalid webhook secret"),
        new Case("acme signed with its secret", "?clientId=acme", signed(ACME, now, b), b, 200, null),
        new Case("unknown client, wrong secret", "?clientId=ghost&secret=nope", headers(), body(), 403, "invalid webhook secret"));
    for (Case c : cases) {
      TestHttp.Reply r = http.post("/lh-webhook/upsertLeadOnly" + c.query(), c.body(), c.headers());
      assertThat(r.status()).as(c.name() + ": " + r.body()).isEqualTo(c.status());
      if (c.error() != null) assertThat(r.json().getString("error")).as(c.name()).contains(c.error());
      else assertThat(r.json().getString("inboxId")).as(c.name()).startsWith("ib_");
      assertThat(r.body()).doesNotContain(GLOBAL).doesNotContain(ACME);
    }
    // Inside the tolerance a signature is still good.
    String old = body();
    TestHttp.Reply fourMin = http.post("/lh-webhook/upsertLeadOnly", old, signed(GLOBAL, now - 240, old));
    assertThat(fourMin.status()).as(fourMin.body()).isEqualTo(200);
  }

  @Test
  void adminRoutesNeedTheBearerToken() {
    assertThat(http.get("/api/inbox").status()).isEqualTo(401);
    assertThat(http.get("/api/inbox", Map.of("Authorization", "Bearer wrong")).json().getString("error"))
        .isEqualTo("invalid admin token");
    assertThat(http.get("/api/inbox", Map.of("Authorization", "Bearer " + ADMIN)).status()).isEqualTo(200);
    assertThat(http.post("/api/inbox/dead/x/replay", "", Map.of()).status()).isEqualTo(401);
    assertThat(http.get("/health").status()).isEqualTo(200);
  }

  @Test
  void withoutAnySecretAndOutsideDemoModeNothingIsOpen() {
    Vertx other = Vertx.vertx();
    try {
      Server closed = Await.within(Server.start(other, AppConfig.from(new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
          .put("DATA_DIR", dataDir.resolve("closed").toString()).put("DEMO_MODE", "false"))));
      TestHttp h = new TestHttp(closed.port());
      TestHttp.Reply hook = h.post("/lh-webhook/upsertLeadOnly", body());
      assertThat(hook.status()).isEqualTo(503);
      assertThat(hook.json().getString("error")).contains("webhooks are disabled: no webhook secret is set");
      TestHttp.Reply admin = h.get("/api/inbox");
      assertThat(admin.status()).isEqualTo(503);
      assertThat(admin.json().getString("error")).contains("ADMIN_TOKEN setting is not set");
      Await.within(closed.stop());
    } finally {
      Await.within(other.close());
    }
  }

  @Test
  void aWebhookNamingNoClientNeedsTheOnlyClientsOwnSecretWhenItHasOne(@TempDir Path otherDir) {
    Vertx v = Vertx.vertx();
    try {
      // Only the demo client, with its own secret; no DEFAULT_CLIENT_ID: requests that name no client go to it.
      Server single = Await.within(Server.start(v, AppConfig.from(new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
          .put("DATA_DIR", otherDir.toString()).put("PB_WEBHOOK_SECRET", GLOBAL).put("ADMIN_TOKEN", ADMIN)
          .put("WEBHOOK_SECRET_DEMO", "demo-only-secret"))));
      TestHttp h = new TestHttp(single.port());
      TestHttp.Reply global = h.post("/lh-webhook/upsertLeadOnly?secret=" + GLOBAL, body());
      assertThat(global.status()).as(global.body()).isEqualTo(403);
      assertThat(global.json().getString("error")).contains("invalid webhook secret");
      TestHttp.Reply own = h.post("/lh-webhook/upsertLeadOnly?secret=demo-only-secret", body());
      assertThat(own.status()).as(own.body()).isEqualTo(200);
      Await.within(single.stop());
    } finally {
      Await.within(v.close());
    }
  }
}
