package pbwebhook;

import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.config.AppConfig;
import pbwebhook.store.schema.Leads;

/**
 * Hostile input on the webhook and admin routes: each gets a 4xx JSON error naming the problem, the
 * server keeps answering /health, and what is stored stays intact. Secrets are set (no demo mode). The tests
 * share one server but not their data: each posts its own profiles, so any order gives the same results.
 */
class WebhookHostileInputTest {

  static final String SECRET = "hook-secret-for-tests";
  static final String ADMIN = "admin-token-for-tests";

  @TempDir
  static Path dataDir;

  static Vertx vertx;
  static Server server;
  static TestHttp http;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = Await.within(Server.start(vertx, AppConfig.from(new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("DATA_DIR", dataDir.toString()).put("PB_WEBHOOK_SECRET", SECRET).put("ADMIN_TOKEN", ADMIN)
        )));
    http = new TestHttp(server.port());
  }

  @AfterAll
  static void stop() {
    if (server != null) Await.within(server.stop());
    if (vertx != null) Await.within(vertx.close());
  }

  @AfterEach
  void stillHealthy() {
    assertThat(http.get("/health").body()).isEqualTo("ok");
  }

  static final String HOOK = "/lh-webhook/upsertLeadOnly?secret=" + SECRET;

  static Map<String, String> json() {
    return Map.of("Content-Type", "application/json");
  }

  static Map<String, String> admin() {
    return Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
  }

  static String profile(String slug, String headline, String summary) {
    return new JsonObject().put("profileUrl", "https://www.linkedin.com/in/" + slug).put("firstName", "Eve")
        .put("headline", headline).put("summary", summary).encode();
  }

  static void assertError(TestHttp.Reply r, int status, String message) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    JsonObject body = r.json();
    assertThat(body.getBoolean("ok")).isFalse();
    assertThat(body.getInteger("status")).isEqualTo(status);
    assertThat(body.getString("error")).contains(message);
  }

  @Test
  void bodiesOverTheLimitAre413() {
    String big = profile("too-big", "Founder", "x".repeat(1024 * 1024));
    assertError(http.post(HOOK, big, json()), 413, "this webhook takes at most 1 MB");
    String adminBig = "{\"pad\":\"" + "y".repeat(65 * 1024) + "\"}";
    assertError(http.post("/api/inbox/dead/ib_x/replay", adminBig, admin()), 413, "admin calls take at most 64 KB");
  }

  @Test
  void nestingDeeperThan64Is400() {
    assertError(http.post(HOOK, "[".repeat(100) + "]".repeat(100), json()), 400, "nested deeper than 64");
  }

  @Test
  void contentTypesOtherThanJsonAre415AndAMissingTypeIsAccepted() {
    String body = profile("typed", "Founder", "A profile with a declared content type.");
    record Case(String type, int status) {}
    for (Case c : new Case[] {new Case("text/plain", 415), new Case("application/x-www-form-urlencoded", 415),
        new Case("multipart/form-data; boundary=x", 415), new Case("application/xml", 415),
        new Case("application/json; charset=utf-8", 200), new Case("application/vnd.linkedhelper+json", 200)}) {
      TestHttp.Reply r = http.post(HOOK, body, Map.of("Content-Type", c.type()));
      if (c.status() == 415) assertError(r, 415, "unsupported content type " + c.type().split(";")[0]);
      else assertThat(r.status()).as(c.type()).isEqualTo(200);
    }
    TestHttp.Reply none = http.postBytes(HOOK, profile("untyped", "Founder", "No content type at all, still JSON.")
        .getBytes(StandardCharsets.UTF_8), Map.of());
    assertThat(none.status()).as(none.body()).isEqualTo(200);
  }

  @Test
  void invalidUtf8Is400() {
    byte[] good = profile("bad-bytes", "Founder", "AB").getBytes(StandardCharsets.UTF_8);
    int at = new String(good, StandardCharsets.UTF_8).indexOf("AB");
    good[at] = (byte) 0xC3;
    good[at + 1] = (byte) 0x28;
    assertError(http.postBytes(HOOK, good, json()), 400, "not valid UTF-8 (bad byte sequence at byte " + at + ")");
    byte[] overlong = "{\"a\":\"\u00c0\u00af\"}".getBytes(StandardCharsets.ISO_8859_1);
    assertError(http.postBytes(HOOK, overlong, json()), 400, "not valid UTF-8");
  }

  @Test
  void jsonThatIsNotAnObjectOrArrayIs400() {
    for (String scalar : new String[] {"42", "\"just a string\"", "true", "null"}) {
      TestHttp.Reply r = http.post(HOOK, scalar, json());
      assertError(r, 400, "JSON object or an array");
    }
    assertError(http.post(HOOK, "[1,2]", json()), 400, "profile[0] is not a JSON object");
  }

  @Test
  void aMegabyteStringInAFieldIs400NamingTheField() {
    String huge = "z".repeat(900_000);
    assertError(http.post(HOOK, profile("huge-field", "Founder", huge), json()), 400,
        "field summary is too long: more than 100000 characters");
    String inArray = "[" + profile("ok-one", "Founder", "fine") + "," + profile("huge-two", huge, "fine") + "]";
    assertError(http.post(HOOK, inArray, json()), 400, "field [1].headline is too long");
  }

  @Test
  void formulaAndScriptLikeStringsAreStoredLiterally() {
    Map<String, String> hostile = new HashMap<>();
    hostile.put("headline", "=HYPERLINK(\"http://evil.example\",\"click\")");
    hostile.put("summary", "<script>alert('x')</script> +cmd|' /C calc'!A0 @SUM(1+1) {{7*7}} ${jndi:ldap://x}");
    hostile.put("firstName", "-2+3");
    JsonObject p = new JsonObject().put("profileUrl", "https://www.linkedin.com/in/formula-person");
    hostile.forEach(p::put);
    TestHttp.Reply r = http.post(HOOK + "&wait=true", p.encode(), json());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("status")).isEqualTo("delivered");
    JsonObject fields = lead("formula-person");
    assertThat(fields.getString(Leads.HEADLINE)).isEqualTo(hostile.get("headline"));
    assertThat(fields.getString(Leads.ABOUT)).isEqualTo(hostile.get("summary"));
    assertThat(fields.getString(Leads.FIRST_NAME)).isEqualTo(hostile.get("firstName"));
  }

  @Test
  void unknownClientsAre404AndBadClientIds400() {
    assertError(http.post(HOOK + "&clientId=nope", profile("u", "h", "a"), json()), 404, "unknown client: nope");
    assertError(http.post(HOOK + "&clientId=%27%3B+DROP", profile("u", "h", "a"), json()), 400, "invalid client id");
  }

  @Test
  void aStoredProfileStaysIntactThroughHostileInputsAndNothingIsDeadLettered() {
    TestHttp.Reply stored = http.post(HOOK + "&wait=true", profile("keep-me", "Founder", "An honest profile that must stay intact."));
    assertThat(stored.status()).isEqualTo(200);
    assertThat(stored.json().getString("status")).isEqualTo("delivered");

    assertError(http.post(HOOK, profile("keep-me", "Founder", "x".repeat(1024 * 1024)), json()), 413, "at most 1 MB");
    assertError(http.post(HOOK, "[".repeat(100) + "]".repeat(100), json()), 400, "nested deeper than 64");
    assertError(http.post(HOOK, profile("keep-me", "z".repeat(200_000), "overwrite"), json()), 400, "too long");
    assertError(http.post(HOOK, "42", json()), 400, "JSON object or an array");

    assertThat(lead("keep-me").getString(Leads.ABOUT)).isEqualTo("An honest profile that must stay intact.");
    assertThat(http.get("/api/inbox", admin()).json().getInteger("dead")).isZero();
  }

  /** With the optional fixed rate on (2/s, burst 40) on a server of its own: a flood gets 429 with Retry-After. */
  @Test
  void aFloodFromOneClientIsAnswered429WithRetryAfter(@TempDir Path ownDir) {
    try (TestServer limited = TestServer.startConfigured(ownDir, new JsonObject().put("PB_WEBHOOK_SECRET", SECRET)
        .put("ADMIN_TOKEN", ADMIN).put("WEBHOOK_RATE_PER_S", 2).put("WEBHOOK_RATE_BURST", 40))) {
      TestHttp.Reply refused = null;
      for (int i = 0; i < 200 && refused == null; i++) {
        TestHttp.Reply r = limited.http().post(HOOK, profile("flood-" + i, "Founder", "Flooding the webhook with many profiles."), json());
        if (r.status() == 429) refused = r;
        else assertThat(r.status()).isEqualTo(200);
      }
      assertThat(refused).as("a 429 within 200 requests at 2/s with a burst of 40").isNotNull();
      assertError(refused, 429, "too many webhooks for client demo");
      assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 5);
    }
  }

  private static JsonObject lead(String slug) {
    return http.get("/api/clients/demo/leads?limit=1000", admin()).json().getJsonArray("records").stream()
        .map(o -> ((JsonObject) o).getJsonObject("fields"))
        .filter(f -> f.getString(Leads.LINKEDIN_PROFILE_URL, "").contains("/in/" + slug))
        .findFirst().orElseThrow(() -> new AssertionError("no lead " + slug));
  }
}
