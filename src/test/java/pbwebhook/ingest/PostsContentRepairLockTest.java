package pbwebhook.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO;
import static pbwebhook.TestServer.DEMO_BASE;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Page;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.UpsertResult;
import pbwebhook.store.schema.Leads;

/** One Posts Content repair per client at a time: a second is refused 409 with the running run's id. */
class PostsContentRepairLockTest {

  static final String ADMIN_TOKEN = "admin-token-for-the-repair-lock-test-0123";
  static final Map<String, String> ADMIN = Map.of("Authorization", "Bearer " + ADMIN_TOKEN);

  @TempDir
  Path dataDir;
  TestServer server;
  final Promise<Void> gate = Promise.promise();

  @AfterEach
  void stop() {
    gate.tryComplete();
    if (server != null) server.close();
  }

  @Test
  void aSecondRepairWhileOneRunsIsRefusedWithItsRunIdAndAllowedOnceItEnds() {
    server = TestServer.start(dataDir, new ScriptedScorer(), new JsonObject().put("ADMIN_TOKEN", ADMIN_TOKEN),
        GatedStore::new);
    server.addLead(DEMO_BASE, new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/a")
        .put(Leads.POSTS_CONTENT, StoredPostsTest.TRAILING_COMMAS));
    TestHttp http = server.http();

    TestHttp.Reply first = http.post("/api/clients/demo/posts-content/repair", "", ADMIN);
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    String runId = first.json().getString("runId");
    TestHttp.Reply second = http.post("/api/clients/demo/posts-content/repair?dryRun=true", "", ADMIN);
    assertThat(second.status()).as(second.body()).isEqualTo(409);
    assertThat(second.json().getString("runId")).isEqualTo(runId);
    assertThat(http.get("/api/runs/" + runId, ADMIN).json().getString("status")).isEqualTo("running");
    // Lead scoring has its own lock: it is not held up by the repair.
    assertThat(http.get("/run-batch-score?clientId=" + DEMO, ADMIN).status()).isEqualTo(202);

    gate.complete();
    JsonObject done = server.waitForRun(runId, ADMIN);
    assertThat(done.getJsonObject("result")).isEqualTo(new JsonObject().put("scanned", 1).put("alreadyValid", 0)
        .put("repaired", 1).put("failed", 0).put("dryRun", false));
    TestHttp.Reply third = http.post("/api/clients/demo/posts-content/repair?dryRun=true&wait=true", "", ADMIN);
    assertThat(third.status()).as(third.body()).isEqualTo(200);
    assertThat(third.json().getInteger("alreadyValid")).isEqualTo(1);
  }

  /** Holds back every listing of leads with posts (the repair's) until the test opens the gate. */
  private final class GatedStore implements RecordStore {
    private final RecordStore inner;

    GatedStore(RecordStore inner) {
      this.inner = inner;
    }

    @Override public String describe() { return inner.describe(); }

    @Override public Future<Page> list(String base, String table, ListQuery query) {
      boolean repairs = query.filter() != null && String.valueOf(query.filter()).contains(Leads.POSTS_CONTENT);
      return repairs ? gate.future().compose(v -> inner.list(base, table, query)) : inner.list(base, table, query);
    }

    @Override public Future<Record> get(String base, String table, String id) { return inner.get(base, table, id); }

    @Override public Future<List<Record>> create(String base, String table, List<JsonObject> fields) {
      return inner.create(base, table, fields);
    }

    @Override public Future<List<Record>> update(String base, String table, List<Record> records) {
      return inner.update(base, table, records);
    }

    @Override public Future<UpsertResult> upsert(String base, String table, List<JsonObject> fields, List<String> on) {
      return inner.upsert(base, table, fields, on);
    }

    @Override public Future<Void> ping(String base) { return inner.ping(base); }

    @Override public boolean cheapLookups() { return inner.cheapLookups(); }
  }
}
