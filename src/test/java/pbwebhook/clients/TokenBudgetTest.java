package pbwebhook.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.ai.LeadScoringReply;
import pbwebhook.ai.TokenUsage;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.store.Record;
import pbwebhook.store.schema.Leads;

/** A client's monthly token budget stops a run between AI calls and refuses new runs until it is raised. */
class TokenBudgetTest {

  /** What every scoring call costs here: one lead a call (BATCH_CHUNK_SIZE=1), 10,000 tokens. */
  private static final TokenUsage PER_CALL = new TokenUsage(8_000, 2_000, 0);
  private static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

  @TempDir
  Path dataDir;

  private final ScriptedScorer scorer = new ScriptedScorer().byDefault((rubric, leads) -> ScriptedScorer.fullMarks()
      .answer(rubric, leads).map(r -> new LeadScoringReply(r.results(), PER_CALL)));
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(dataDir, scorer, new JsonObject().put("BATCH_CHUNK_SIZE", 1).put("AI_CONCURRENCY", 1));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private long count(String status) {
    return server.leads("budget-co").stream().filter(r -> status.equals(r.string(Leads.SCORING_STATUS))).count();
  }

  @Test
  void aRunStopsBeforeTheCallThatWouldExceedTheBudgetAndNewRunsWaitUntilItIsRaised() {
    TestHttp.Reply created = server.http().post("/api/clients", new JsonObject().put("clientName", "Budget Co")
        .put("monthlyTokenBudget", 25_000).encode(), JSON);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    for (int i = 0; i < 5; i++) server.addLead("budget-co", "budget-lead-" + i, LONG_ABOUT);

    // 10,000 + 10,000 fit in 25,000; a third call would not.
    JsonObject run = server.runToEnd("budget-co");
    assertThat(run.getString("status")).isEqualTo("completed_with_errors");
    assertThat(run.getString("stoppedReason")).isEqualTo("budget");
    assertThat(run.getJsonObject("counts").getInteger("successful")).isEqualTo(2);
    assertThat(run.getJsonObject("tokens").getLong("total")).isEqualTo(20_000L);
    assertThat(run.getJsonArray("errors").getString(0)).startsWith("Monthly token budget reached")
        .endsWith("3 leads left To Be Scored");
    assertThat(scorer.calls()).hasSize(2);
    assertThat(count(Leads.SCORED)).isEqualTo(2);
    assertThat(count(Leads.TO_BE_SCORED)).isEqualTo(3);
    assertThat(server.executionLog("budget-co")).contains("STATUS: Completed with errors")
        .contains("- Monthly token budget reached");

    TestHttp.Reply refused = server.http().get("/run-batch-score?clientId=budget-co");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("error")).startsWith("client budget-co has reached its monthly token budget "
        + "(20000 of 25000 tokens used in " + YearMonth.now(ZoneOffset.UTC) + ")");
    JsonObject usage = server.http().get("/api/clients/budget-co").json().getJsonObject("usage");
    assertThat(usage.getString("month")).isEqualTo(YearMonth.now(ZoneOffset.UTC).toString());
    assertThat(usage.getLong("tokens")).isEqualTo(20_000L);
    assertThat(usage.getLong("budgetTokens")).isEqualTo(25_000L);
    assertThat(usage.getDouble("estimatedCostUsd")).isGreaterThanOrEqualTo(0.0);
    assertThat(scorer.calls()).hasSize(2);

    // Raised: the leads left are scored, and the run fits.
    assertThat(server.http().patch("/api/clients/budget-co", "{\"monthlyTokenBudget\":60000}", JSON).status())
        .isEqualTo(200);
    JsonObject second = server.runToEnd("budget-co");
    assertThat(second.getString("status")).isEqualTo("completed");
    assertThat(second.getValue("stoppedReason")).isNull();
    assertThat(count(Leads.SCORED)).isEqualTo(5);
    assertThat(server.http().get("/api/clients/budget-co").json().getJsonObject("usage").getLong("tokens"))
        .isEqualTo(50_000L);
  }

  @Test
  void aClientWithoutBudgetIsNotLimited() {
    for (int i = 0; i < 3; i++) server.addLead(TestServer.DEMO_BASE, "free-lead-" + i, LONG_ABOUT);
    JsonObject run = server.runToEnd(TestServer.DEMO);
    assertThat(run.getString("status")).isEqualTo("completed");
    assertThat(run.getJsonObject("tokens").getLong("total")).isEqualTo(30_000L);
    JsonObject client = server.http().get("/api/clients/demo").json();
    assertThat(client.getValue("monthlyTokenBudget")).isNull();
    assertThat(client.getJsonObject("usage").getLong("tokens")).isEqualTo(30_000L);
    assertThat(server.leads(TestServer.DEMO_BASE).stream().map(Record::fields)
        .filter(f -> Leads.SCORED.equals(f.getString(Leads.SCORING_STATUS))).count()).isEqualTo(3);
  }
}
