package pbwebhook.scoring;

import pbwebhook.Await;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.Leads;

/**
 * On the embedded store a run reads its leads {@link LeadScoringService#WINDOW} at a time instead of all at once:
 * it still scores exactly {@code limit} leads, oldest first, each once, and the retryable failures after the fresh
 * leads.
 */
class LeadScoringWindowsTest {

  @TempDir
  Path dataDir;

  private final ScriptedScorer scorer = new ScriptedScorer().byDefault(ScriptedScorer.fullMarks());
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void aRunLargerThanAWindowScoresExactlyItsLimitOldestFirstEachLeadOnce() {
    server = TestServer.start(dataDir, scorer);
    List<String> fresh = addLeads("w", 2 * LeadScoringService.WINDOW + 100, Leads.TO_BE_SCORED);
    List<String> failed = addLeads("f", 3, Leads.FAILED_API_ERROR);
    int limit = 2 * LeadScoringService.WINDOW + 50;

    JsonObject first = run(limit);

    assertThat(first.getString("status")).isEqualTo("completed");
    assertThat(first.getJsonObject("progress").getMap()).containsEntry("done", limit).containsEntry("total", limit);
    assertThat(first.getJsonObject("counts").getInteger("processed")).isEqualTo(limit);
    assertThat(scorer.askedLeadIds()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(fresh.subList(0, limit));
    assertThat(statuses(fresh.subList(0, limit))).containsOnly(Leads.SCORED);
    assertThat(statuses(fresh.subList(limit, fresh.size()))).containsOnly(Leads.TO_BE_SCORED);
    assertThat(statuses(failed)).containsOnly(Leads.FAILED_API_ERROR);

    JsonObject second = run(100);

    // the 50 fresh leads left, then the three failures as retries
    assertThat(second.getJsonObject("counts").getInteger("processed")).isEqualTo(53);
    assertThat(statuses(fresh)).containsOnly(Leads.SCORED);
    assertThat(statuses(failed)).containsOnly(Leads.SCORED);
    assertThat(scorer.askedLeadIds()).doesNotHaveDuplicates().hasSize(fresh.size() + failed.size());
  }

  private JsonObject run(int limit) {
    TestHttp.Reply r = server.http().get("/run-batch-score?clientId=" + DEMO + "&limit=" + limit);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonArray runs = r.json().getJsonArray("runs");
    return server.waitForRun(runs.getJsonObject(0).getString("runId"));
  }

  private List<String> addLeads(String prefix, int n, String status) {
    List<JsonObject> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonObject profile = new JsonObject().put("headline", "Founder").put("about", LONG_ABOUT);
      rows.add(new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/" + prefix + i)
          .put(Leads.PROFILE_FULL_JSON, profile.encode()).put(Leads.SCORING_STATUS, status));
    }
    List<String> ids = new ArrayList<>();
    for (List<JsonObject> batch : RecordStore.batches(rows)) {
      Await.within(server.store().create(DEMO_BASE, Leads.TABLE, batch)).forEach(r -> ids.add(r.id()));
    }
    return ids;
  }

  private List<String> statuses(List<String> ids) {
    List<String> out = new ArrayList<>();
    for (Record r : server.leads(DEMO_BASE)) if (ids.contains(r.id())) out.add(r.string(Leads.SCORING_STATUS));
    assertThat(out).hasSize(ids.size());
    return out;
  }
}
