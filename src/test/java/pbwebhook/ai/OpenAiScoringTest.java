package pbwebhook.ai;

import pbwebhook.Await;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.ai.ScoringHarness.TestLead;
import pbwebhook.fakes.FakeAiServer.Malformed;
import pbwebhook.fakes.FakeOpenAi;
import pbwebhook.scoring.DefaultRubric;
import pbwebhook.scoring.LeadChunkPlanner;
import pbwebhook.scoring.RubricParser;
import pbwebhook.store.Record;
import pbwebhook.store.schema.Leads;

/** The server scoring a batch against a fake OpenAI-compatible endpoint. */
class OpenAiScoringTest {

  static final String API_KEY = "sk-test-openai-key-never-to-be-seen-987654321";

  @TempDir
  Path dataDir;

  Vertx vertx;
  FakeOpenAi openai;
  ScoringHarness harness;

  @BeforeEach
  void startFake() {
    vertx = Vertx.vertx();
    openai = new FakeOpenAi(vertx, API_KEY);
    Await.within(openai.start());
  }

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
    Await.within(openai.stop());
    Await.within(vertx.close());
  }

  JsonObject settings() {
    return new JsonObject().put("OPENAI_API_KEY", API_KEY).put("OPENAI_BASE_URL", openai.apiBase())
        .put("OPENAI_MODEL", "gpt-4o-mini");
  }

  @Test
  void aBatchIsScoredWithTheEndpointsAnswersInJsonSchemaMode() {
    harness = ScoringHarness.start(vertx, dataDir, settings());
    List<TestLead> leads = ScoringHarness.leads("openai", 15);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed");
    harness.assertScoredAsTheFakeAnswered(leads);
    JsonObject format = openai.lastRequest.getJsonObject("response_format");
    assertThat(format.getString("type")).isEqualTo("json_schema");
    assertThat(format.getJsonObject("json_schema").getJsonObject("schema").getJsonObject("properties")
        .getJsonObject("results").getString("type")).isEqualTo("array");
    assertThat(openai.lastRequest.getInteger("temperature")).isZero();
    JsonObject tokens = run.getJsonObject("tokens");
    assertThat(tokens.getLong("thinking")).isEqualTo(5L * openai.leadsPerCall.stream().mapToInt(i -> i).sum());
    assertThat(tokens.getLong("output")).isPositive();
    assertThat(run.getDouble("estimatedCostUsd")).isPositive();
  }

  @Test
  void anEndpointWithoutJsonSchemaIsAskedInJsonObjectModeAndThatIsRemembered() {
    harness = ScoringHarness.start(vertx, dataDir, settings()
        .put("AI_MAX_PROMPT_TOKENS", LeadChunkPlanner.fixedTokens(RubricParser.fromRecords(DefaultRubric.scoringAttributeRows()
            .stream().map(f -> new Record(null, null, f)).toList())) + 400)
        .put("AI_CONCURRENCY", 1));
    openai.jsonSchemaUnsupported = true;
    List<TestLead> leads = ScoringHarness.leads("noschema", 20);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed");
    harness.assertScoredAsTheFakeAnswered(leads);
    assertThat(openai.leadCalls.get()).isGreaterThan(1);
    assertThat(openai.schemaRefusals.get()).isEqualTo(1);
    assertThat(openai.lastRequest.getJsonObject("response_format").getString("type")).isEqualTo("json_object");
  }

  @Test
  void rateLimitsCutOffRepliesAndTheContentFilterEndInTheDocumentedStatuses() {
    harness = ScoringHarness.start(vertx, dataDir, settings());
    openai.rateLimitBursts.set(1);
    openai.retryAfterSeconds = 1;
    openai.malformed = Malformed.CUT_OFF;
    openai.malformedCalls.set(1);
    openai.reorder = true;
    List<TestLead> leads = new ArrayList<>(ScoringHarness.leads("mixed", 8));
    TestLead unsafe = new TestLead("filtered", "Founder [unsafe] of Example Co", "We build software for accountants and lawyers in Hobart.");
    leads.add(unsafe);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed_with_errors");
    harness.assertScoredAsTheFakeAnswered(leads.subList(0, 8));
    JsonObject blocked = harness.fieldsBySlug().get("filtered");
    assertThat(blocked.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.FAILED_API_ERROR);
    assertThat(run.getJsonArray("errors").encode()).contains("content filter").contains(blocked.getString("_id"));
    assertThat((openai.callTimes.get(1) - openai.callTimes.get(0)) / 1_000_000).isGreaterThanOrEqualTo(980);
  }

  @Test
  void aReplyStoppedForLengthKeepsWhatItCompletedAndSendsTheRestOnceInTwoHalves() {
    harness = ScoringHarness.start(vertx, dataDir, settings());
    openai.maxLeadsBeforeOutputLimit = 4;
    List<TestLead> leads = ScoringHarness.leads("length", 10);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed");
    harness.assertScoredAsTheFakeAnswered(leads);
    assertThat(openai.leadsPerCall).containsExactly(10, 3, 3);
    assertThat(run.getJsonObject("tokens").getLong("output")).isEqualTo(openai.outputTokensReported.get());
  }

  @Test
  void leadsStillCutOffAfterTheSplitFailAsCutOffEachWithItsError() {
    harness = ScoringHarness.start(vertx, dataDir, settings());
    openai.maxLeadsBeforeOutputLimit = 2;
    List<TestLead> leads = ScoringHarness.leads("length-fail", 10);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    // 10 leads: 2 answered; the other 8 as 4 + 4: 2 answered each; 2 + 2 left without a result.
    assertThat(openai.leadsPerCall).containsExactly(10, 4, 4);
    assertThat(run.getString("status")).isEqualTo("completed_with_errors");
    assertThat(run.getJsonObject("counts").getInteger("successful")).isEqualTo(6);
    assertThat(run.getJsonObject("counts").getInteger("failed")).isEqualTo(4);
    assertThat(run.getJsonArray("errors")).hasSize(4).allSatisfy(e -> assertThat((String) e)
        .endsWith(": Failed – AI Reply Cut Off: the AI reply stopped at its output token limit (4 leads in the call, 2 answered)"));
    assertThat(harness.fieldsBySlug().values().stream().map(f -> f.getString(Leads.SCORING_STATUS)).toList())
        .containsOnly(Leads.SCORED, Leads.FAILED_REPLY_CUT_OFF).filteredOn(Leads.FAILED_REPLY_CUT_OFF::equals).hasSize(4);
  }
}
