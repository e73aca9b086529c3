package pbwebhook.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO_BASE;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.Leads;

/**
 * {@code POST /api/clients/{id}/posts-content/repair} and {@code GET …/quality} on a base seeded with N valid,
 * M repairable and K unrecoverable Posts Content texts (N past one page of 100), plus leads without posts.
 */
class PostsContentRepairTest {

  static final String ADMIN_TOKEN = "admin-token-for-the-repair-test-0123456789";
  static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer " + ADMIN_TOKEN);
  static final int VALID = 105;

  @TempDir
  Path dataDir;

  TestServer server;
  TestHttp http;
  final List<String> validIds = new ArrayList<>();
  String staleFailedId;
  final Map<String, JsonArray> repairable = new LinkedHashMap<>();
  final Map<String, String> unrecoverable = new LinkedHashMap<>();

  @BeforeEach
  void seed() {
    server = TestServer.start(dataDir, new ScriptedScorer(), new JsonObject().put("ADMIN_TOKEN", ADMIN_TOKEN));
    http = server.http();
    List<JsonObject> rows = new ArrayList<>();
    for (int i = 0; i < VALID; i++) {
      rows.add(lead("valid-" + i).put(Leads.POSTS_CONTENT, new JsonArray().add(new JsonObject()
          .put("postUrl", "https://www.linkedin.com/feed/update/urn:li:activity:" + i).put("postContent", "Post " + i))
          .encodePrettily()));
    }
    rows.get(0).put(Leads.POSTS_JSON_STATUS, "Parsed");
    rows.get(1).put(Leads.POSTS_JSON_STATUS, "Failed");
    for (List<JsonObject> batch : RecordStore.batches(rows)) {
      Await(server.store().create(DEMO_BASE, Leads.TABLE, batch)).forEach(r -> validIds.add(r.id()));
    }
    staleFailedId = validIds.get(1);
    repairable.put(server.addLead(DEMO_BASE, lead("commas").put(Leads.POSTS_CONTENT, StoredPostsTest.TRAILING_COMMAS)),
        new JsonArray().add(new JsonObject().put("postUrl", "u2").put("postContent", "Lessons")));
    repairable.put(server.addLead(DEMO_BASE, lead("quotes").put(Leads.POSTS_CONTENT, StoredPostsTest.STRAY_QUOTES)),
        new JsonArray().add(new JsonObject().put("postUrl", "u3").put("postContent", "She said \"hi\" to us")
            .put("postDate", "2025-06-28")));
    unrecoverable.put(server.addLead(DEMO_BASE, lead("garbage").put(Leads.POSTS_CONTENT, StoredPostsTest.NOT_JSON)),
        StoredPostsTest.NOT_JSON);
    unrecoverable.put(server.addLead(DEMO_BASE, lead("cut").put(Leads.POSTS_CONTENT, StoredPostsTest.CUT_OFF)),
        StoredPostsTest.CUT_OFF);
    server.addLead(DEMO_BASE, lead("no-posts-1"));
    server.addLead(DEMO_BASE, lead("no-posts-2").put(Leads.POSTS_CONTENT, ""));
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  static JsonObject lead(String slug) {
    return new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/" + slug)
        .put(Leads.FIRST_NAME, slug);
  }

  static <T> T Await(io.vertx.core.Future<T> f) {
    return pbwebhook.Await.within(f);
  }

  static JsonObject counts(int scanned, int alreadyValid, int repaired, int failed) {
    return new JsonObject().put("scanned", scanned).put("alreadyValid", alreadyValid).put("repaired", repaired)
        .put("failed", failed);
  }

  static JsonObject only(JsonObject reply, String... keys) {
    JsonObject out = new JsonObject();
    for (String k : keys) out.put(k, reply.getValue(k));
    return out;
  }

  static final String[] COUNTS = {"scanned", "alreadyValid", "repaired", "failed"};

  @Test
  void qualityAndADryRunCountWithoutWritingAndTheRunRepairsWhatCanBeRecoveredWhole() {
    int scanned = VALID + repairable.size() + unrecoverable.size();
    JsonObject expected = counts(scanned, VALID, repairable.size(), unrecoverable.size());
    List<Record> before = server.leads(DEMO_BASE);
    String logBefore = server.executionLog("demo");

    TestHttp.Reply quality = http.get("/api/clients/demo/posts-content/quality", ADMIN);
    assertThat(quality.status()).as(quality.body()).isEqualTo(200);
    assertThat(quality.json()).isEqualTo(expected.copy().put("clientId", "demo"));

    TestHttp.Reply dry = http.post("/api/clients/demo/posts-content/repair?dryRun=true&wait=true", "", ADMIN);
    assertThat(dry.status()).as(dry.body()).isEqualTo(200);
    assertThat(only(dry.json(), COUNTS)).isEqualTo(expected);
    assertThat(dry.json().getBoolean("dryRun")).isTrue();
    assertThat(dry.json().getString("status")).isEqualTo("completed_with_errors");
    assertThat(server.leads(DEMO_BASE)).isEqualTo(before);

    TestHttp.Reply started = http.post("/api/clients/demo/posts-content/repair", "", ADMIN);
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String runId = started.json().getString("runId");
    assertThat(started.json().getJsonArray("runs").getJsonObject(0).getString("kind")).isEqualTo("posts-content");
    JsonObject run = server.waitForRun(runId, ADMIN);
    assertThat(run.getString("kind")).isEqualTo("posts-content");
    assertThat(run.getJsonObject("result")).isEqualTo(expected.copy().put("dryRun", false));
    assertThat(run.getJsonObject("progress")).isEqualTo(new JsonObject().put("done", scanned).put("total", scanned));
    assertThat(run.getJsonObject("counts")).isEqualTo(new JsonObject().put("processed", scanned)
        .put("successful", VALID + repairable.size()).put("failed", unrecoverable.size()).put("skipped", 0));

    Map<String, Record> after = new LinkedHashMap<>();
    server.leads(DEMO_BASE).forEach(r -> after.put(r.id(), r));
    Map<String, Record> old = new LinkedHashMap<>();
    before.forEach(r -> old.put(r.id(), r));
    repairable.forEach((id, posts) -> {
      JsonObject f = after.get(id).fields();
      assertThat(new JsonArray(f.getString(Leads.POSTS_CONTENT))).isEqualTo(posts);
      assertThat(f.getString(Leads.POSTS_JSON_STATUS)).isEqualTo("Parsed");
    });
    unrecoverable.forEach((id, text) -> {
      JsonObject f = after.get(id).fields();
      assertThat(f.getString(Leads.POSTS_CONTENT)).isEqualTo(text);
      assertThat(f.getString(Leads.POSTS_JSON_STATUS)).isEqualTo("Failed");
    });
    // A valid text marked Failed by an earlier reading is marked Parsed; the other valid leads are not written.
    assertThat(after.get(staleFailedId).fields().getString(Leads.POSTS_JSON_STATUS)).isEqualTo("Parsed");
    for (String id : validIds) {
      if (id.equals(staleFailedId)) continue;
      assertThat(after.get(id)).isEqualTo(old.get(id));
    }
    // Maintenance, not a scoring run: no Execution Log entry.
    assertThat(server.executionLog("demo")).isEqualTo(logBefore);

    TestHttp.Reply again = http.get("/api/clients/demo/posts-content/quality", ADMIN);
    assertThat(again.json()).isEqualTo(counts(scanned, VALID + repairable.size(), 0, unrecoverable.size())
        .put("clientId", "demo"));
  }

  @Test
  void theRoutesAreAdminOnlyAndNameAnUnknownClient() {
    assertThat(http.post("/api/clients/demo/posts-content/repair", "", Map.of()).status()).isEqualTo(401);
    assertThat(http.get("/api/clients/demo/posts-content/quality").status()).isEqualTo(401);
    TestHttp.Reply unknown = http.get("/api/clients/nobody/posts-content/quality", ADMIN);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getString("error")).isEqualTo("unknown client: nobody");
  }
}
