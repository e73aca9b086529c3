package pbwebhook.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.TestServer;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.store.Record;
import pbwebhook.store.schema.ExecutionSummary;
import pbwebhook.store.schema.Leads;
import pbwebhook.store.schema.ScoringAttributes;

/** Two clients with different rubrics, scored in parallel by one trigger: nothing crosses between them. */
class TenantIsolationTest {

  @TempDir
  Path dataDir;

  private final ScriptedScorer scorer = new ScriptedScorer();
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private static JsonObject attribute(String id, String category, String heading) {
    return new JsonObject().put(ScoringAttributes.ATTRIBUTE_ID, id).put(ScoringAttributes.CATEGORY, category)
        .put(ScoringAttributes.HEADING, heading).put(ScoringAttributes.INSTRUCTIONS, heading + ", as Acme sees it.")
        .put(ScoringAttributes.SIGNALS, heading.toLowerCase());
  }

  private static final List<JsonObject> ACME_RUBRIC = List.of(
      attribute("X1", "Positive", "Acme buyer").put(ScoringAttributes.MAX_POINTS, 10),
      attribute("Y1", "Positive", "Acme budget").put(ScoringAttributes.MAX_POINTS, 5),
      attribute("Z1", "Negative", "Acme competitor").put(ScoringAttributes.PENALTY, -5)
          .put(ScoringAttributes.DISQUALIFYING, true));

  @Test
  void eachClientsLeadsAreScoredInParallelAgainstItsOwnRubricAndLoggedToItsOwnLog() {
    server = TestServer.start(dataDir, scorer);
    String acmeBase = server.addClient("acme", "Active", ACME_RUBRIC);
    Map<String, String> clientOfLead = new LinkedHashMap<>();
    for (int i = 0; i < 2; i++) {
      clientOfLead.put(server.addLead(DEMO_BASE, "demo-lead-" + i, LONG_ABOUT), DEMO);
      clientOfLead.put(server.addLead(acmeBase, "acme-lead-" + i, LONG_ABOUT), "acme");
    }
    // Both clients' AI calls must be in flight at the same time, or they fail.
    scorer.byDefault(ScriptedScorer.together(2, Duration.ofSeconds(10), ScriptedScorer.fullMarks()));

    var trigger = server.http().get("/run-batch-score");
    assertThat(trigger.status()).isEqualTo(202);
    Map<String, String> runIdByClient = new LinkedHashMap<>();
    trigger.json().getJsonArray("runs").forEach(o -> runIdByClient.put(((JsonObject) o).getString("clientId"),
        ((JsonObject) o).getString("runId")));
    assertThat(runIdByClient).containsOnlyKeys(DEMO, "acme");
    runIdByClient.values().forEach(id -> assertThat(server.waitForRun(id).getString("status")).isEqualTo("completed"));

    assertThat(scorer.calls()).hasSize(2).allSatisfy(call -> {
      String client = clientOfLead.get(call.leadIds().get(0));
      assertThat(call.leadIds()).allSatisfy(id -> assertThat(clientOfLead.get(id)).isEqualTo(client));
      assertThat(call.positiveIds()).isEqualTo(client.equals("acme") ? List.of("X1", "Y1")
          : List.of("A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"));
    });
    clientOfLead.forEach((id, client) -> {
      JsonObject f = server.lead(client.equals("acme") ? acmeBase : DEMO_BASE, id);
      assertThat(f.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);
      assertThat(f.getDouble(Leads.AI_SCORE)).isEqualTo(100.0);
      String breakdown = f.getString(Leads.AI_ATTRIBUTE_BREAKDOWN);
      if (client.equals("acme")) {
        assertThat(breakdown).contains("- **X1 (Acme buyer)**: 10 / 10\n").doesNotContain("- **A (")
            .endsWith("**Total:** 15 / 15 ⇒ 100.0 % — Not Disqualified");
      } else {
        assertThat(breakdown).contains("- **A (").doesNotContain("X1")
            .endsWith("**Total:** 38 / 38 ⇒ 100.0 % — Not Disqualified");
      }
    });
    assertThat(server.leads(DEMO_BASE)).hasSize(2);
    assertThat(server.leads(acmeBase)).hasSize(2);

    for (String client : List.of(DEMO, "acme")) {
      String log = server.executionLog(client);
      assertThat(log.split("=== EXECUTION: ", -1)).as(client + " log entries").hasSize(2);
      assertThat(log).contains("STATUS: Completed successfully\nLEADS PROCESSED: 2/2 successful\n");
    }
    List<Record> summaries = server.executionSummaries();
    assertThat(summaries).hasSize(2);
    runIdByClient.forEach((client, runId) -> assertThat(summaries).filteredOn(r ->
        runId.equals(r.string(ExecutionSummary.EXECUTION_ID))).singleElement()
        .satisfies(r -> assertThat(r.string(ExecutionSummary.CLIENT_ID)).isEqualTo(client)));
  }
}
