package pbwebhook.ai;

import pbwebhook.Await;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import pbwebhook.ai.ScoringHarness.TestLead;
import pbwebhook.fakes.FakeAiServer.Malformed;
import pbwebhook.fakes.FakeAiServer.RetryHint;
import pbwebhook.fakes.FakeGemini;
import pbwebhook.scoring.DefaultRubric;
import pbwebhook.scoring.LeadChunkPlanner;
import pbwebhook.scoring.RubricParser;
import pbwebhook.store.schema.Leads;

/** The server scoring a batch against a fake Gemini, on both paths, through every way a model call can go wrong. */
class GeminiScoringTest {

  static final String API_KEY = "AIzaSy-test-key-never-to-be-seen-0123456789";

  @TempDir
  Path dataDir;

  Vertx vertx;
  FakeGemini gemini;
  KeyPair serviceAccount;
  ScoringHarness harness;

  @BeforeEach
  void startFake() throws Exception {
    vertx = Vertx.vertx();
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    serviceAccount = gen.generateKeyPair();
    gemini = new FakeGemini(vertx, API_KEY, serviceAccount.getPublic());
    Await.within(gemini.start());
  }

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
    Await.within(gemini.stop());
    Await.within(vertx.close());
  }

  JsonObject aiStudio() {
    return new JsonObject().put("GEMINI_API_KEY", API_KEY).put("GEMINI_ENDPOINT_URL", gemini.baseUrl());
  }

  ScoringHarness start(JsonObject settings) {
    harness = ScoringHarness.start(vertx, dataDir, settings);
    return harness;
  }

  static Rubric defaultRubric() {
    return RubricParser.fromRecords(DefaultRubric.scoringAttributeRows().stream()
        .map(f -> new pbwebhook.store.Record(null, null, f)).toList());
  }

  @Test
  void aBatchIsScoredWithTheAnswersOfAiStudioAfterClamping() {
    start(aiStudio());
    List<TestLead> leads = ScoringHarness.leads("studio", 20);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed");
    harness.assertScoredAsTheFakeAnswered(leads);
    // the demo base also holds the default rubric's sample leads; every lead sent was one call's worth
    JsonObject tokens = run.getJsonObject("tokens");
    assertThat(tokens.getLong("prompt")).isPositive();
    assertThat(tokens.getLong("output")).isPositive();
    assertThat(tokens.getLong("thinking")).isPositive();
    assertThat(tokens.getLong("total")).isEqualTo(tokens.getLong("prompt") + tokens.getLong("output") + tokens.getLong("thinking"));
    assertThat(run.getDouble("estimatedCostUsd")).isPositive();
    assertThat(harness.executionLog()).contains("TOKENS USED: " + tokens.getLong("total"));

    JsonObject config = gemini.lastRequest.getJsonObject("generationConfig");
    assertThat(config.getInteger("temperature")).isZero();
    assertThat(config.getString("responseMimeType")).isEqualTo("application/json");
    assertThat(config.getJsonObject("responseSchema").getString("type")).isEqualTo("ARRAY");
    assertThat(config.getJsonObject("responseSchema").getJsonObject("items").getJsonArray("required").getList()).contains("id");
    assertThat(config.getJsonObject("thinkingConfig").getInteger("thinkingBudget")).isZero();
    assertThat(gemini.lastRequest.getJsonArray("safetySettings")).hasSize(4);
    assertThat(gemini.lastModel).isEqualTo("gemini-2.5-flash");
    assertThat(gemini.uris).allSatisfy(u -> assertThat(u).doesNotContain(API_KEY).doesNotContain("key="));
  }

  @Test
  void promptTokensPerLeadAreAtMostHalfOfSendingTheRubricWithEveryLead() {
    start(aiStudio());
    List<TestLead> leads = ScoringHarness.leads("tokens", 20);
    harness.post(leads);
    JsonObject run = harness.runBatch();
    int scored = run.getJsonObject("counts").getInteger("successful");
    double perLead = run.getJsonObject("tokens").getLong("prompt") / (double) scored;

    Rubric rubric = defaultRubric();
    double onePerCall = leads.stream().mapToInt(l -> (LeadPromptBuilder.systemInstruction(rubric).length()
        + LeadPromptBuilder.userMessage(List.of(new LeadInput("recXXXXXXXXXXXXXX",
            new JsonObject().put("headline", l.headline()).put("about", l.about())))).length() + 3) / 4).average().orElseThrow();
    assertThat(perLead).isLessThanOrEqualTo(onePerCall / 2);
    assertThat(gemini.leadCalls.get()).isEqualTo(1);
  }

  @Test
  void theVertexPathUsesAServiceAccountTokenExchangedOnceAndCached() throws Exception {
    Path credentials = dataDir.resolve("sa.json");
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(serviceAccount.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Files.writeString(credentials, new JsonObject().put("type", "service_account").put("client_email", "scorer@test.iam")
        .put("private_key", pem).put("token_uri", gemini.tokenUri()).encode());
    start(new JsonObject().put("GCP_PROJECT_ID", "test-project").put("GCP_LOCATION", "europe-west4")
        .put("GOOGLE_APPLICATION_CREDENTIALS", credentials.toString()).put("VERTEX_ENDPOINT_URL", gemini.baseUrl())
        .put("AI_MAX_PROMPT_TOKENS", LeadChunkPlanner.fixedTokens(defaultRubric()) + 600).put("AI_CONCURRENCY", 2));
    List<TestLead> leads = ScoringHarness.leads("vertex", 30);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed");
    harness.assertScoredAsTheFakeAnswered(leads);
    assertThat(gemini.leadCalls.get()).isGreaterThan(1);
    assertThat(gemini.tokenExchanges.get()).isEqualTo(1);
    assertThat(gemini.unauthorized.get()).isZero();
    assertThat(harness.http.get("/health?detail=true").json().getJsonObject("scorer").getString("provider"))
        .startsWith("vertex gemini-2.5-flash");
  }

  @ParameterizedTest
  @EnumSource(value = Malformed.class, names = {"FENCES", "TRAILING_COMMAS", "CUT_OFF", "GARBAGE"})
  void aMalformedReplyIsRepairedOrRetriedAndNoLeadGetsAWrongScore(Malformed mode) {
    start(aiStudio());
    gemini.malformed = mode;
    gemini.malformedCalls.set(1);
    List<TestLead> leads = ScoringHarness.leads("bad-" + mode.name().toLowerCase().replace('_', '-'), 6);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed");
    harness.assertScoredAsTheFakeAnswered(leads);
  }

  @ParameterizedTest
  @EnumSource(value = Malformed.class, names = {"GARBAGE", "EMPTY"})
  void aModelThatNeverAnswersJsonFailsTheLeadsWithTheDocumentedStatus(Malformed mode) {
    start(aiStudio());
    gemini.malformed = mode;
    gemini.malformedCalls.set(1000);
    List<TestLead> leads = ScoringHarness.leads("never", 3);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed_with_errors");
    String status = mode == Malformed.EMPTY ? Leads.FAILED_EMPTY_RESPONSE : Leads.FAILED_PARSE_ERROR;
    Map<String, JsonObject> fields = harness.fieldsBySlug();
    for (TestLead l : leads) {
      assertThat(fields.get(l.slug()).getString(Leads.SCORING_STATUS)).isEqualTo(status);
      assertThat(fields.get(l.slug()).getValue(Leads.AI_SCORE)).isNull();
    }
  }

  @Test
  void reorderedResultsAndUnknownIdsAreMatchedByIdOnly() {
    start(aiStudio());
    gemini.reorder = true;
    gemini.unknownIds = true;
    List<TestLead> leads = ScoringHarness.leads("reordered", 9);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed");
    harness.assertScoredAsTheFakeAnswered(leads);
  }

  @Test
  void aLeadLeftOutIsRetriedOnceInASmallerCallThenMarkedMissing() {
    start(aiStudio());
    List<TestLead> leads = new ArrayList<>(ScoringHarness.leads("present", 4));
    TestLead once = new TestLead("dropped-once", "Founder [drop-once] of Example Co", "We build software for accountants and lawyers in Brisbane.");
    TestLead always = new TestLead("dropped-always", "Founder [drop] of Example Co", "We build software for accountants and lawyers in Sydney.");
    leads.add(once);
    leads.add(always);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed_with_errors");
    harness.assertScoredAsTheFakeAnswered(leads.subList(0, 5));
    JsonObject missing = harness.fieldsBySlug().get("dropped-always");
    assertThat(missing.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.FAILED_MISSING_IN_BATCH);
    assertThat(missing.getValue(Leads.AI_SCORE)).isNull();
    assertThat(gemini.leadsPerCall).containsExactly(6, 2);
    // The failed count and the errors agree: the missing lead has its own entry.
    assertThat(run.getJsonObject("counts").getInteger("failed")).isEqualTo(1);
    assertThat(run.getJsonArray("errors").getList()).containsExactly("Lead " + missing.getString("_id")
        + ": Failed – Missing in AI Batch Response: the AI reply left this lead out");
  }

  @ParameterizedTest
  @EnumSource(RetryHint.class)
  void rateLimitsAreWaitedOutForTheDelayTheServerAsked(RetryHint hint) {
    start(aiStudio());
    gemini.retryHint = hint;
    gemini.retryAfterSeconds = hint == RetryHint.HEADER ? 1 : 0.6;
    gemini.rateLimitBursts.set(2);
    gemini.unavailableBursts.set(1);
    List<TestLead> leads = ScoringHarness.leads("limited-" + hint.name().toLowerCase().replace('_', '-'), 5);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed");
    harness.assertScoredAsTheFakeAnswered(leads);
    List<Long> times = gemini.callTimes;
    assertThat(times).hasSizeGreaterThanOrEqualTo(4);
    long asked = (long) (gemini.retryAfterSeconds * 1000);
    assertThat((times.get(1) - times.get(0)) / 1_000_000).isGreaterThanOrEqualTo(asked - 20);
    assertThat((times.get(2) - times.get(1)) / 1_000_000).isGreaterThanOrEqualTo(asked - 20);
  }

  @Test
  void aCallThatTimesOutIsRetried() {
    start(aiStudio().put("GEMINI_TIMEOUT_MS", 500));
    gemini.slowLatencyMs = 3000;
    gemini.slowCalls.set(1);
    List<TestLead> leads = ScoringHarness.leads("slow", 4);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed");
    harness.assertScoredAsTheFakeAnswered(leads);
    assertThat(gemini.callTimes).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void aReplyCutOffAtTheOutputLimitKeepsWhatItCompletedAndSendsTheRestOnceInTwoHalves() {
    start(aiStudio().put("BATCH_CHUNK_SIZE", 10));
    gemini.maxLeadsBeforeOutputLimit = 4;
    List<TestLead> leads = ScoringHarness.leads("halves", 30);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed");
    harness.assertScoredAsTheFakeAnswered(leads);
    // Each chunk of 10: 4 answered before the cut, the other 6 sent again as 3 + 3.
    assertThat(gemini.leadCalls.get()).isEqualTo(9);
    assertThat(gemini.leadsPerCall).containsExactlyInAnyOrder(10, 10, 10, 3, 3, 3, 3, 3, 3);
    assertThat(run.getJsonObject("counts").getInteger("successful")).isEqualTo(30);
    assertThat(run.getJsonArray("errors")).isEmpty();
    // The cut-off replies were billed: every token the fake reported is in the run.
    assertThat(run.getJsonObject("tokens").getLong("prompt")).isEqualTo(gemini.promptTokensReported.get());
    assertThat(run.getJsonObject("tokens").getLong("output")).isEqualTo(gemini.outputTokensReported.get());
  }

  @Test
  void splittingACutOffReplyStopsAfterOneLevelAndTheRestFailAsCutOff() {
    start(aiStudio().put("BATCH_CHUNK_SIZE", 10));
    gemini.maxLeadsBeforeOutputLimit = 1;
    List<TestLead> leads = ScoringHarness.leads("budget", 30);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    // Per chunk of 10: one call answers 1, its halves (4 and 5 leads) answer 1 each; halving on down to single
    // leads, as before, cost 19 calls per chunk (57 for the run).
    assertThat(gemini.leadCalls.get()).isEqualTo(9);
    assertThat(gemini.leadsPerCall).containsExactlyInAnyOrder(10, 10, 10, 4, 4, 4, 5, 5, 5);
    assertThat(run.getString("status")).isEqualTo("completed_with_errors");
    JsonObject counts = run.getJsonObject("counts");
    assertThat(counts.getInteger("successful")).isEqualTo(9);
    assertThat(counts.getInteger("failed")).isEqualTo(21);
    List<JsonObject> failed = harness.fieldsBySlug().values().stream()
        .filter(f -> !Leads.SCORED.equals(f.getString(Leads.SCORING_STATUS))).toList();
    assertThat(failed).hasSize(21).allSatisfy(f -> {
      assertThat(f.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.FAILED_REPLY_CUT_OFF);
      assertThat(f.getValue(Leads.AI_SCORE)).isNull();
    });
    // One error entry per failed lead, naming it and why.
    List<String> errors = run.getJsonArray("errors").stream().map(String::valueOf).toList();
    assertThat(errors).hasSize(21);
    for (JsonObject f : failed) {
      assertThat(errors).filteredOn(e -> e.startsWith("Lead " + f.getString("_id") + ": ")).singleElement().satisfies(e ->
          assertThat(e).matches("Lead rec\\w+: Failed – AI Reply Cut Off: the AI reply stopped at its output token limit "
              + "\\([45] leads in the call, 1 answered\\)"));
    }
    assertThat(harness.executionLog()).contains("LEADS PROCESSED: 9/30 successful").contains("\n- … and 1 more error");
  }

  @Test
  void aSingleLeadThatStillOverflowsFailsAsCutOffNotAsAnApiError() {
    start(aiStudio());
    gemini.maxLeadsBeforeOutputLimit = 0;
    List<TestLead> leads = ScoringHarness.leads("overflow", 2);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed_with_errors");
    Map<String, JsonObject> fields = harness.fieldsBySlug();
    for (TestLead l : leads) {
      assertThat(fields.get(l.slug()).getString(Leads.SCORING_STATUS)).isEqualTo(Leads.FAILED_REPLY_CUT_OFF);
    }
    // The pair, then each lead alone once: a single lead cut off is not asked again.
    assertThat(gemini.leadsPerCall).containsExactly(2, 1, 1);
    assertThat(run.getJsonObject("counts").getInteger("failed")).isEqualTo(2);
    assertThat(run.getJsonArray("errors").getList()).containsExactlyInAnyOrder(
        "Lead " + fields.get(leads.get(0).slug()).getString("_id")
            + ": Failed – AI Reply Cut Off: the AI reply stopped at its output token limit (1 leads in the call, 0 answered)",
        "Lead " + fields.get(leads.get(1).slug()).getString("_id")
            + ": Failed – AI Reply Cut Off: the AI reply stopped at its output token limit (1 leads in the call, 0 answered)");
  }

  @Test
  void aPostRunWithAPricedModelCostsWhatItsTokensCost() {
    start(aiStudio());
    List<TestLead> leads = ScoringHarness.leads("posts-cost", 3);
    harness.post(leads);
    harness.postPosts(leads, 2);
    JsonObject run = harness.runPosts();

    assertThat(run.getString("status")).isEqualTo("completed");
    assertThat(run.getJsonObject("counts").getInteger("successful")).isEqualTo(3);
    assertThat(gemini.callTimes).hasSize(3);
    JsonObject tokens = run.getJsonObject("tokens");
    long prompt = gemini.promptTokensReported.get();
    long output = gemini.outputTokensReported.get();
    assertThat(prompt).isPositive();
    assertThat(tokens.getLong("prompt")).isEqualTo(prompt);
    assertThat(tokens.getLong("output")).isEqualTo(output);
    // gemini-2.5-flash in the default AI_PRICES: $0.30 per million prompt tokens, $2.50 per million output tokens,
    // rounded to 6 decimals in the run.
    double expected = Math.round((prompt * 0.30 + output * 2.50) / 1_000_000.0 * 1_000_000) / 1_000_000.0;
    assertThat(run.getDouble("estimatedCostUsd")).isPositive().isEqualTo(expected);
    assertThat(harness.executionLog()).contains("POST SCORING: 3/3 successful")
        .contains("ESTIMATED COST: $" + String.format(java.util.Locale.ROOT, "%.4f", expected));
  }

  @Test
  void aSafetyBlockFailsOnlyTheBlockedLeadAndNamesTheReason() {
    start(aiStudio());
    List<TestLead> leads = new ArrayList<>(ScoringHarness.leads("safe", 7));
    TestLead unsafe = new TestLead("unsafe-one", "Founder [unsafe] of Example Co", "We build software for accountants and lawyers in Perth.");
    leads.add(3, unsafe);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed_with_errors");
    List<TestLead> safe = leads.stream().filter(l -> l != unsafe).toList();
    harness.assertScoredAsTheFakeAnswered(safe);
    JsonObject blocked = harness.fieldsBySlug().get("unsafe-one");
    assertThat(blocked.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.FAILED_API_ERROR);
    assertThat(run.getJsonArray("errors").encode()).contains(blocked.getString("_id")).contains("SAFETY");
    assertThat(harness.executionLog()).contains("SAFETY");
    assertThat(run.getJsonObject("counts").getInteger("failed")).isEqualTo(1);
    assertThat(run.getJsonArray("errors").getList()).containsExactly("Lead " + blocked.getString("_id")
        + ": Failed – API Error: Gemini blocked the request: prompt blocked (SAFETY)");
  }

  @Test
  void callsRunInParallelUpToTheClientLimitUnderTheGlobalCap() {
    int budget = LeadChunkPlanner.fixedTokens(defaultRubric()) + 400;
    start(aiStudio().put("AI_MAX_PROMPT_TOKENS", budget).put("AI_CONCURRENCY", 4).put("AI_GLOBAL_CONCURRENCY", 3));
    gemini.latencyMs = 300;
    List<TestLead> leads = ScoringHarness.leads("parallel", 40);
    harness.post(leads);
    JsonObject run = harness.runBatch();

    assertThat(run.getString("status")).isEqualTo("completed");
    harness.assertScoredAsTheFakeAnswered(leads);
    assertThat(gemini.leadCalls.get()).isGreaterThanOrEqualTo(6);
    assertThat(gemini.maxInFlight.get()).isEqualTo(3);
    assertThat(gemini.promptChars).allSatisfy(c -> assertThat(c / 4).isLessThanOrEqualTo(budget));
  }

  @Test
  void theApiKeyNeverAppearsInLogsErrorsOrResponses() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      start(new JsonObject().put("GEMINI_API_KEY", API_KEY + "-wrong").put("GEMINI_ENDPOINT_URL", gemini.baseUrl()));
      harness.post(ScoringHarness.leads("secret", 2));
      JsonObject run = harness.runBatch();
      assertThat(run.getString("status")).isEqualTo("completed_with_errors");
      assertThat(run.getJsonArray("errors").encode()).contains("HTTP 401");
      String everything = captured.toString(StandardCharsets.UTF_8) + run.encode() + harness.executionLog()
          + harness.http.get("/health?detail=true").body() + harness.server.config().toString();
      assertThat(everything).doesNotContain(API_KEY);
    } finally {
      System.setErr(original);
    }
    assertThat(gemini.uris).allSatisfy(u -> assertThat(u).doesNotContain(API_KEY));
  }
}
