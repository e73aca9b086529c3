package pbwebhook.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;
import static pbwebhook.fakes.ScriptedScorer.assessmentOf;
import static pbwebhook.fakes.ScriptedScorer.result;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.TestServer;
import pbwebhook.ai.AiException;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.store.Record;
import pbwebhook.store.schema.ExecutionSummary;
import pbwebhook.store.schema.Leads;

/**
 * One client's lead-scoring run end to end (system.md §4.6 with the decisions): results matched by id, AI
 * failures and their statuses, retries within and across runs, clamping and disqualification, a rubric that
 * cannot be loaded, and what each run leaves in the Execution Log and Execution Summary.
 */
class LeadScoringRunTest {

  @TempDir
  Path dataDir;

  private final ScriptedScorer scorer = new ScriptedScorer();
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private TestServer start(JsonObject settings) {
    server = TestServer.start(dataDir, scorer, settings);
    return server;
  }

  private static JsonObject points(Object... idThenScore) {
    JsonObject o = new JsonObject();
    for (int i = 0; i < idThenScore.length; i += 2) o.put((String) idThenScore[i], idThenScore[i + 1]);
    return o;
  }

  @Test
  void resultsGoToTheLeadNamedByTheirIdWhateverTheOrderAndUnknownIdsAreIgnored() {
    start(new JsonObject());
    String a = server.addLead(DEMO_BASE, "lead-a", LONG_ABOUT);
    String b = server.addLead(DEMO_BASE, "lead-b", LONG_ABOUT);
    String c = server.addLead(DEMO_BASE, "lead-c", LONG_ABOUT);
    String thin = server.addLead(DEMO_BASE, "lead-thin", "Too short to score.");
    String other = server.addLead(DEMO_BASE, new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/other")
        .put(Leads.SCORING_STATUS, Leads.SCORED).put(Leads.AI_SCORE, 42.0));
    // Reversed, with a result for a lead that was not asked about and one for an id that is no lead at all.
    scorer.then(ScriptedScorer.replying(asked -> List.of(
        result("recNoSuchLead0000", points("A", 5), new JsonObject()),
        result(c, points("A", 3), new JsonObject()),
        result(other, points("A", 5, "B", 5), new JsonObject()),
        result(b, points("A", 2), new JsonObject()),
        result(a, points("A", 1), new JsonObject()))));

    JsonObject run = server.runToEnd(DEMO);

    assertThat(scorer.calls()).hasSize(1);
    assertThat(scorer.calls().get(0).leadIds()).containsExactlyInAnyOrder(a, b, c);
    Map<String, Double> expectedScore = Map.of(a, 2.63, b, 5.26, c, 7.89);
    expectedScore.forEach((id, pct) -> {
      JsonObject f = server.lead(DEMO_BASE, id);
      assertThat(f.getString(Leads.SCORING_STATUS)).as(id).isEqualTo(Leads.SCORED);
      assertThat(f.getString(Leads.AI_PROFILE_ASSESSMENT)).as(id).isEqualTo(assessmentOf(id));
      assertThat(f.getDouble(Leads.AI_SCORE)).as(id).isEqualTo(pct);
    });
    assertThat(server.lead(DEMO_BASE, thin).getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SKIPPED_TOO_THIN);
    JsonObject untouched = server.lead(DEMO_BASE, other);
    assertThat(untouched.getDouble(Leads.AI_SCORE)).isEqualTo(42.0);
    assertThat(untouched.containsKey(Leads.AI_PROFILE_ASSESSMENT)).isFalse();
    assertThat(server.leads(DEMO_BASE)).hasSize(5);

    assertThat(run.getString("status")).isEqualTo("completed");
    assertThat(run.getJsonObject("counts").getMap())
        .containsEntry("processed", 4).containsEntry("successful", 3).containsEntry("failed", 0).containsEntry("skipped", 1);
  }

  @Test
  void aLeadLeftOutIsRetriedOnceInASmallerCallAndThenMarkedMissing() {
    start(new JsonObject());
    List<String> ids = new ArrayList<>();
    for (String slug : List.of("m-a", "m-b", "m-c", "m-d")) ids.add(server.addLead(DEMO_BASE, slug, LONG_ABOUT));
    String a = ids.get(0), b = ids.get(1), c = ids.get(2), d = ids.get(3);
    scorer.then(ScriptedScorer.replying(asked -> List.of(
            result(b, points("A", 2), new JsonObject()), result(a, points("A", 1), new JsonObject()))))
        .then(ScriptedScorer.replying(asked -> List.of(result(c, points("A", 3), new JsonObject()))));

    JsonObject run = server.runToEnd(DEMO);

    assertThat(scorer.calls()).hasSize(2);
    assertThat(scorer.calls().get(1).leadIds()).containsExactlyInAnyOrder(c, d);
    for (String id : List.of(a, b, c)) {
      JsonObject f = server.lead(DEMO_BASE, id);
      assertThat(f.getString(Leads.SCORING_STATUS)).as(id).isEqualTo(Leads.SCORED);
      assertThat(f.getString(Leads.AI_PROFILE_ASSESSMENT)).as(id).isEqualTo(assessmentOf(id));
    }
    assertThat(server.lead(DEMO_BASE, d).getString(Leads.SCORING_STATUS)).isEqualTo(Leads.FAILED_MISSING_IN_BATCH);
    assertThat(server.lead(DEMO_BASE, d).containsKey(Leads.AI_SCORE)).isFalse();

    assertThat(run.getString("status")).isEqualTo("completed_with_errors");
    assertThat(run.getJsonObject("counts").getMap())
        .containsEntry("processed", 4).containsEntry("successful", 3).containsEntry("failed", 1);
    // The failed lead has its error entry, so the failed count and the errors agree.
    assertThat(run.getJsonArray("errors").getList())
        .containsExactly("Lead " + d + ": Failed – Missing in AI Batch Response: the AI reply left this lead out");
    long tokensPerCall = ScriptedScorer.TOKENS_PER_CALL.total();
    assertThat(run.getJsonObject("tokens").getLong("total")).isEqualTo(2 * tokensPerCall);

    // What the run leaves behind is in place as soon as the run reads as finished.
    String log = server.executionLog(DEMO);
    assertThat(log).startsWith("=== EXECUTION: ")
        .contains("STATUS: Completed with errors\nLEADS PROCESSED: 3/4 successful\n")
        .contains("TOKENS USED: " + 2 * tokensPerCall)
        .contains("\n\nERRORS:\n- Lead " + d + ": Failed – Missing in AI Batch Response: the AI reply left this lead out");
    List<Record> summaries = server.executionSummaries();
    assertThat(summaries).hasSize(1);
    assertThat(summaries.get(0).fields().getMap())
        .containsEntry(ExecutionSummary.EXECUTION_ID, run.getString("runId"))
        .containsEntry(ExecutionSummary.CLIENT_ID, DEMO)
        .containsEntry(ExecutionSummary.PROCESS_TYPE, "Lead Scoring")
        .containsEntry(ExecutionSummary.STATUS, "Completed with errors")
        .containsEntry(ExecutionSummary.LEADS_PROCESSED, 4)
        .containsEntry(ExecutionSummary.LEADS_SUCCESSFUL, 3)
        .containsEntry(ExecutionSummary.LEADS_FAILED, 1)
        .containsEntry(ExecutionSummary.SUCCESS_RATE, 75.0)
        .containsEntry(ExecutionSummary.ERROR_COUNT, 1);
    assertThat(((Number) summaries.get(0).fields().getValue(ExecutionSummary.TOKENS_USED)).longValue())
        .isEqualTo(2 * tokensPerCall);
  }

  @Test
  void eachAiFailureKindGivesItsFailedStatusAndAnErrorNamingTheLead() {
    start(new JsonObject());
    // One client per kind, all run in parallel by one trigger, so the in-run retries' back-off is paid once.
    Map<AiException.Kind, String> expected = new LinkedHashMap<>();
    expected.put(AiException.Kind.API_ERROR, Leads.FAILED_API_ERROR);
    expected.put(AiException.Kind.TIMEOUT, Leads.FAILED_API_ERROR);
    expected.put(AiException.Kind.RATE_LIMITED, Leads.FAILED_API_ERROR);
    expected.put(AiException.Kind.BLOCKED, Leads.FAILED_API_ERROR);
    expected.put(AiException.Kind.EMPTY_RESPONSE, Leads.FAILED_EMPTY_RESPONSE);
    expected.put(AiException.Kind.PARSE_ERROR, Leads.FAILED_PARSE_ERROR);
    expected.put(AiException.Kind.OUTPUT_LIMIT, Leads.FAILED_REPLY_CUT_OFF);
    Map<String, AiException.Kind> kindByLead = new LinkedHashMap<>();
    Map<AiException.Kind, String[]> clientAndLead = new LinkedHashMap<>();
    for (AiException.Kind kind : expected.keySet()) {
      String clientId = "k-" + kind.name().toLowerCase().replace('_', '-');
      String base = server.addClient(clientId, "Active", DefaultRubric.scoringAttributeRows());
      String lead = server.addLead(base, clientId + "-lead", LONG_ABOUT);
      kindByLead.put(lead, kind);
      clientAndLead.put(kind, new String[] {clientId, base, lead});
    }
    scorer.byDefault(ScriptedScorer.failingFor(kindByLead));

    var reply = server.http().get("/run-batch-score");
    assertThat(reply.status()).isEqualTo(202);
    Map<String, String> runIdByClient = new LinkedHashMap<>();
    reply.json().getJsonArray("runs").forEach(o -> runIdByClient.put(((JsonObject) o).getString("clientId"),
        ((JsonObject) o).getString("runId")));

    expected.forEach((kind, status) -> {
      String[] cl = clientAndLead.get(kind);
      JsonObject run = server.waitForRun(runIdByClient.get(cl[0]));
      assertThat(server.lead(cl[1], cl[2]).getString(Leads.SCORING_STATUS)).as(kind.name()).isEqualTo(status);
      assertThat(run.getString("status")).as(kind.name()).isEqualTo("completed_with_errors");
      String entry = "Lead " + cl[2] + ": " + status + ": scripted " + kind + " failure";
      assertThat(run.getJsonArray("errors").getList()).as(kind.name()).containsExactly(entry);
      assertThat(run.getJsonObject("counts").getInteger("failed")).isEqualTo(1);
      long calls = scorer.askedLeadIds().stream().filter(cl[2]::equals).count();
      if (kind == AiException.Kind.BLOCKED || kind == AiException.Kind.OUTPUT_LIMIT) {
        assertThat(calls).as("a blocked or cut-off reply is not retried as it was").isEqualTo(1);
      } else {
        assertThat(calls).as(kind + " is transient: retried within the run").isEqualTo(3);
      }
      assertThat(server.executionLog(cl[0])).contains("STATUS: Completed with errors\n")
          .contains("\n\nERRORS:\n- " + entry);
    });
  }

  @Test
  void aTransientFailureIsRetriedWithinTheRunAndTheRunCompletesWhenTheAiRecovers() {
    start(new JsonObject());
    String lead = server.addLead(DEMO_BASE, "flaky", LONG_ABOUT);
    scorer.thenTimes(2, ScriptedScorer.failing(AiException.Kind.TIMEOUT));

    JsonObject run = server.runToEnd(DEMO);

    assertThat(scorer.calls()).hasSize(3);
    assertThat(run.getString("status")).isEqualTo("completed");
    assertThat(run.getJsonArray("errors")).isEmpty();
    JsonObject f = server.lead(DEMO_BASE, lead);
    assertThat(f.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);
    assertThat(f.getDouble(Leads.AI_SCORE)).isEqualTo(100.0);
  }

  @Test
  void aFailedLeadIsSelectedAgainByTheNextRunsButByAtMostMaxFailedAttemptsRuns() {
    start(new JsonObject().put("MAX_FAILED_ATTEMPTS", 2));
    String lead = server.addLead(DEMO_BASE, "always-fails", LONG_ABOUT);
    scorer.byDefault(ScriptedScorer.failing(AiException.Kind.BLOCKED));

    List<Integer> totals = new ArrayList<>();
    for (int run = 1; run <= 4; run++) {
      totals.add(server.runToEnd(DEMO).getJsonObject("progress").getInteger("total"));
      assertThat(server.lead(DEMO_BASE, lead).getString(Leads.SCORING_STATUS)).isEqualTo(Leads.FAILED_API_ERROR);
    }

    // The failing run, then MAX_FAILED_ATTEMPTS (2) runs that retry it, then it is left alone.
    assertThat(totals).containsExactly(1, 1, 1, 0);
    assertThat(scorer.askedLeadIds()).containsExactly(lead, lead, lead);

    // A lead that recovers is scored and no longer counted as failing.
    String second = server.addLead(DEMO_BASE, "recovers", LONG_ABOUT);
    scorer.then(ScriptedScorer.failing(AiException.Kind.BLOCKED)).byDefault(ScriptedScorer.fullMarks());
    server.runToEnd(DEMO);
    assertThat(server.lead(DEMO_BASE, second).getString(Leads.SCORING_STATUS)).isEqualTo(Leads.FAILED_API_ERROR);
    server.runToEnd(DEMO);
    assertThat(server.lead(DEMO_BASE, second).getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);
  }

  @Test
  void scoresAreClampedAndADisqualifyingHitZeroesTheScore() {
    start(new JsonObject());
    record Case(String slug, JsonObject positives, JsonObject negatives, double aiScore, String totalLine) {}
    List<Case> cases = List.of(
        new Case("over-max", points("A", 99, "B", 5, "D", 5), points("N1", 3), 31.58,
            "**Total:** 12 / 38 ⇒ 31.6 % — Not Disqualified"),
        new Case("below-zero", points("A", 0), points("N2", -10), 0.0,
            "**Total:** -4 / 38 ⇒ 0.0 % — Not Disqualified"),
        new Case("recruiter", points("A", 5, "B", 5), points("L1", -5), 0.0,
            "**Total:** 5 / 38 ⇒ 0.0 % — Disqualified (L1 Recruiter)"),
        new Case("recruiter-wrong-sign", points("A", 5), points("L1", 5), 0.0,
            "**Total:** 0 / 38 ⇒ 0.0 % — Disqualified (L1 Recruiter)"));
    Map<String, Case> byLead = new LinkedHashMap<>();
    for (Case c : cases) byLead.put(server.addLead(DEMO_BASE, c.slug(), LONG_ABOUT), c);
    scorer.then(ScriptedScorer.answering(in -> result(in.id(), byLead.get(in.id()).positives(), byLead.get(in.id()).negatives())));

    server.runToEnd(DEMO);

    byLead.forEach((id, c) -> {
      JsonObject f = server.lead(DEMO_BASE, id);
      assertThat(f.getString(Leads.SCORING_STATUS)).as(c.slug()).isEqualTo(Leads.SCORED);
      assertThat(f.getDouble(Leads.AI_SCORE)).as(c.slug()).isEqualTo(c.aiScore());
      String breakdown = f.getString(Leads.AI_ATTRIBUTE_BREAKDOWN);
      assertThat(breakdown.substring(breakdown.indexOf("**Total:**"))).as(c.slug()).isEqualTo(c.totalLine());
    });
    String overMax = server.lead(DEMO_BASE, byLead.keySet().iterator().next()).getString(Leads.AI_ATTRIBUTE_BREAKDOWN);
    assertThat(overMax).contains("- **A (Founder / Co-Founder)**: 5 / 5\n").contains("- **N1 (Job-seeker)**: -3 / -3\n");
  }

  @Test
  void aClientWhoseRubricCannotBeLoadedFailsItsRunAndItsLeadsAreUntouched() {
    start(new JsonObject());
    String base = server.addClient("norubric", "Active", List.of());
    String lead = server.addLead(base, "waiting", LONG_ABOUT);

    JsonObject run = server.runToEnd("norubric");

    assertThat(run.getString("status")).isEqualTo("failed");
    assertThat(run.getJsonArray("errors").getList()).singleElement().asString()
        .startsWith("Fatal error: could not load the rubric: ");
    assertThat(scorer.calls()).isEmpty();
    JsonObject f = server.lead(base, lead);
    assertThat(f.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.TO_BE_SCORED);
    assertThat(f.fieldNames()).doesNotContain(Leads.AI_SCORE, Leads.DATE_SCORED, Leads.AI_ATTRIBUTE_BREAKDOWN);
    String log = server.executionLog("norubric");
    assertThat(log).startsWith("=== EXECUTION: ").contains("\nSTATUS: Failed\n")
        .contains("\n\nERRORS:\n- Fatal error: could not load the rubric: ");
    assertThat(server.executionSummaries()).singleElement()
        .satisfies(r -> assertThat(r.string(ExecutionSummary.STATUS)).isEqualTo("Failed"));
  }
}
