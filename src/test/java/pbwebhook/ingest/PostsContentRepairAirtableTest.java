package pbwebhook.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Await;
import pbwebhook.Server;
import pbwebhook.TestHttp;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.AirtableBases;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.store.schema.Leads;

/**
 * The Posts Content repair and a GPT helper rubric edit on the Airtable store, against the fake Airtable (5
 * requests a second per base, 100 a page, 10 a write, 422 on unknown fields), on a base with the old schema: no
 * {@code Posts JSON Status} field and no {@code Active} column.
 */
class PostsContentRepairAirtableTest {

  static final String KEY = "patTESTKEY.repair0123456789abcdef";
  static final String ADMIN = "admin-token-for-the-airtable-repair-test";
  static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json");
  static final String MASTER = "appMasterBase0001";
  static final String BASE = "appClientRepair01";
  static final int VALID = 150;

  @TempDir
  Path dataDir;
  final Vertx fakeVertx = Vertx.vertx();
  final Vertx vertx = Vertx.vertx();
  FakeAirtable fake;
  Server server;

  @AfterEach
  void tearDown() {
    if (server != null) Await.within(server.stop());
    Await.within(vertx.close());
    if (fake != null) Await.within(fake.close());
    Await.within(fakeVertx.close());
  }

  @Test
  void theRepairPagesThroughTheBaseWithinItsRateLimitAndWritesOnlyWhatTheBaseHas() {
    fake = new FakeAirtable(fakeVertx, KEY);
    Await.within(fake.start());
    fake.rateLimit(5);
    AirtableBases.master(fake, MASTER);
    AirtableBases.addClient(fake, MASTER, "acme", BASE, "Active");
    AirtableBases.oldSchemaClientBase(fake, BASE);
    for (int i = 0; i < VALID; i++) {
      fake.insert(BASE, Leads.TABLE, new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/v" + i)
          .put(Leads.POSTS_CONTENT, new JsonArray().add(new JsonObject().put("postUrl", "p" + i)).encode()));
    }
    String commas = fake.insert(BASE, Leads.TABLE, new JsonObject().put(Leads.POSTS_CONTENT, StoredPostsTest.TRAILING_COMMAS));
    String quotes = fake.insert(BASE, Leads.TABLE, new JsonObject().put(Leads.POSTS_CONTENT, StoredPostsTest.STRAY_QUOTES));
    String cut = fake.insert(BASE, Leads.TABLE, new JsonObject().put(Leads.POSTS_CONTENT, StoredPostsTest.CUT_OFF));
    fake.insert(BASE, Leads.TABLE, new JsonObject().put(Leads.POSTS_CONTENT, StoredPostsTest.NOT_JSON));
    fake.insert(BASE, Leads.TABLE, new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/none"));

    AppConfig config = AppConfig.from(new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("AIRTABLE_API_KEY", KEY).put("MASTER_CLIENTS_BASE_ID", MASTER).put("AIRTABLE_ENDPOINT_URL", fake.url())
        .put("AIRTABLE_RPS", 5).put("AIRTABLE_RATE_LIMIT_PENALTY_S", 1).put("AIRTABLE_TIMEOUT_MS", 10_000)
        .put("ADMIN_TOKEN", ADMIN).put("DATA_DIR", dataDir.toString()));
    server = Await.within(Server.start(vertx, config));
    TestHttp http = new TestHttp(server.port());
    JsonObject expected = new JsonObject().put("scanned", VALID + 4).put("alreadyValid", VALID).put("repaired", 2)
        .put("failed", 2);

    List<JsonObject> before = fake.records(BASE, Leads.TABLE);
    TestHttp.Reply dry = http.post("/api/clients/acme/posts-content/repair?dryRun=true&wait=true", "", AUTH);
    assertThat(dry.status()).as(dry.body()).isEqualTo(200);
    assertThat(PostsContentRepairTest.only(dry.json(), PostsContentRepairTest.COUNTS)).isEqualTo(expected);
    assertThat(fake.records(BASE, Leads.TABLE)).isEqualTo(before);

    TestHttp.Reply run = http.post("/api/clients/acme/posts-content/repair?wait=true", "", AUTH);
    assertThat(run.status()).as(run.body()).isEqualTo(200);
    assertThat(PostsContentRepairTest.only(run.json(), PostsContentRepairTest.COUNTS)).isEqualTo(expected);
    assertThat(fake.rateLimited429s()).isZero();
    assertThat(fake.maxRequestsInAnySecond(BASE)).isLessThanOrEqualTo(5);
    assertThat(leadFields(commas).getString(Leads.POSTS_CONTENT)).isEqualTo(new JsonArray()
        .add(new JsonObject().put("postUrl", "u2").put("postContent", "Lessons")).encodePrettily());
    assertThat(new JsonArray(leadFields(quotes).getString(Leads.POSTS_CONTENT)).getJsonObject(0).getString("postContent"))
        .isEqualTo("She said \"hi\" to us");
    assertThat(leadFields(cut).getString(Leads.POSTS_CONTENT)).isEqualTo(StoredPostsTest.CUT_OFF);
    assertThat(fake.records(BASE, Leads.TABLE)).allSatisfy(r ->
        assertThat(r.getJsonObject("fields").containsKey(Leads.POSTS_JSON_STATUS)).isFalse());

    TestHttp.Reply quality = http.get("/api/clients/acme/posts-content/quality", AUTH);
    assertThat(quality.json()).isEqualTo(new JsonObject().put("scanned", VALID + 4).put("alreadyValid", VALID + 2)
        .put("repaired", 0).put("failed", 2).put("clientId", "acme"));

    // The base has no Active column: the edit of Max Points goes through, Active is named as not stored.
    TestHttp.Reply edit = http.patch("/attribute/A?clientId=acme", "{\"Max Points\":8,\"Active\":true}", AUTH);
    assertThat(edit.status()).as(edit.body()).isEqualTo(200);
    assertThat(edit.json().getJsonArray("notStored")).isEqualTo(new JsonArray().add("Active"));
    assertThat(fake.records(BASE, "Scoring Attributes").stream().map(r -> r.getJsonObject("fields"))
        .filter(f -> "A".equals(f.getString("Attribute Id"))).findFirst().orElseThrow().getInteger("Max Points"))
        .isEqualTo(8);
  }

  JsonObject leadFields(String id) {
    return fake.records(BASE, Leads.TABLE).stream().filter(r -> id.equals(r.getString("id"))).findFirst().orElseThrow()
        .getJsonObject("fields");
  }
}
