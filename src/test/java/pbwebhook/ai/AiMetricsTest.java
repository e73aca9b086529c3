package pbwebhook.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Await;
import pbwebhook.TestHttp;
import pbwebhook.ai.ScoringHarness.TestLead;
import pbwebhook.fakes.FakeGemini;

/**
 * A lead run and a post run against the fake Gemini, read back from {@code GET /metrics}: AI calls, tokens by type
 * and their estimated cost per client and kind are exactly what the fake reported and the runs recorded, and each
 * run is counted with its status and duration.
 */
class AiMetricsTest {

  static final String API_KEY = "AIzaSy-marker-key-never-in-metrics-0123";

  @TempDir
  Path dataDir;
  Vertx vertx;
  FakeGemini gemini;
  ScoringHarness harness;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
    gen.initialize(2048);
    gemini = new FakeGemini(vertx, API_KEY, gen.generateKeyPair().getPublic());
    Await.within(gemini.start());
    // demo mode (no secrets): /metrics answers this machine without a token, as the other admin routes do
    harness = ScoringHarness.start(vertx, dataDir, new JsonObject().put("GEMINI_API_KEY", API_KEY)
        .put("GEMINI_ENDPOINT_URL", gemini.baseUrl()).put("BATCH_CHUNK_SIZE", 10));
  }

  @AfterEach
  void stop() {
    if (harness != null) harness.close();
    Await.within(gemini.stop());
    Await.within(vertx.close());
  }

  private List<String> scrape() {
    TestHttp.Reply r = harness.http.get("/metrics");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).doesNotContain(API_KEY);
    return r.body().lines().toList();
  }

  private static double value(List<String> lines, String series) {
    return lines.stream().filter(l -> l.startsWith(series + " ")).map(l -> Double.parseDouble(l.substring(series.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no series " + series + " in the scrape"));
  }

  /** gemini-2.5-flash in the default AI_PRICES: 0.30 $ per million input tokens, 2.50 per million output and thinking. */
  static double flashCost(long input, long output, long thinking) {
    return (input * 0.30 + (output + thinking) * 2.50) / 1_000_000.0;
  }

  @Test
  void aiCallsTokensCostAndRunsAreCountedPerClientAndKind() {
    List<TestLead> leads = ScoringHarness.leads("metered", 25);
    harness.post(leads);
    JsonObject run = harness.runBatch();
    assertThat(run.getString("status")).isEqualTo("completed");

    long input = gemini.promptTokensReported.get();
    long output = gemini.outputTokensReported.get();
    long thinking = gemini.thinkingTokensReported.get();
    JsonObject tokens = run.getJsonObject("tokens");
    assertThat(List.of(tokens.getLong("prompt"), tokens.getLong("output"), tokens.getLong("thinking")))
        .as("the run's own count").containsExactly(input, output, thinking);
    // 25 new leads and the demo base's sample leads, at most 10 a call
    int leadCalls = gemini.leadCalls.get();
    assertThat(leadCalls).isGreaterThanOrEqualTo(3);

    List<String> lines = scrape();
    assertThat(lines).contains(
        "pbwebhook_ai_calls_total{client=\"demo\",kind=\"leads\",outcome=\"ok\"} " + (double) leadCalls,
        "pbwebhook_ai_tokens_total{client=\"demo\",kind=\"leads\",type=\"input\"} " + (double) input,
        "pbwebhook_ai_tokens_total{client=\"demo\",kind=\"leads\",type=\"output\"} " + (double) output,
        "pbwebhook_ai_tokens_total{client=\"demo\",kind=\"leads\",type=\"thinking\"} " + (double) thinking,
        "pbwebhook_runs_total{client=\"demo\",kind=\"leads\",status=\"completed\"} 1.0",
        "pbwebhook_run_duration_seconds_count{client=\"demo\",kind=\"leads\"} 1")
        .noneMatch(l -> l.startsWith("pbwebhook_ai_calls_total{") && l.contains("outcome=\"failed\""));
    double cost = value(lines, "pbwebhook_ai_cost_usd_total{client=\"demo\",kind=\"leads\"}");
    assertThat(cost).isPositive().isCloseTo(flashCost(input, output, thinking), org.assertj.core.data.Offset.offset(1e-12));
    assertThat(cost).isCloseTo(run.getDouble("estimatedCostUsd"), org.assertj.core.data.Offset.offset(1e-6));
    double seconds = value(lines, "pbwebhook_run_duration_seconds_sum{client=\"demo\",kind=\"leads\"}");
    assertThat(seconds).isPositive().isLessThanOrEqualTo(run.getLong("durationSeconds") + 1.0);

    // A post run: its calls and tokens under kind="posts", the lead figures unchanged.
    harness.postPosts(leads.subList(0, 3), 2);
    JsonObject posts = harness.runPosts();
    assertThat(posts.getString("status")).isEqualTo("completed");
    JsonObject postTokens = posts.getJsonObject("tokens");
    lines = scrape();
    assertThat(lines).contains(
        // one call for each of the three leads with posts
        "pbwebhook_ai_calls_total{client=\"demo\",kind=\"posts\",outcome=\"ok\"} 3.0",
        "pbwebhook_ai_tokens_total{client=\"demo\",kind=\"posts\",type=\"input\"} " + (double) postTokens.getLong("prompt"),
        "pbwebhook_ai_tokens_total{client=\"demo\",kind=\"posts\",type=\"output\"} " + (double) postTokens.getLong("output"),
        "pbwebhook_ai_tokens_total{client=\"demo\",kind=\"leads\",type=\"input\"} " + (double) input,
        "pbwebhook_runs_total{client=\"demo\",kind=\"posts\",status=\"completed\"} 1.0",
        "pbwebhook_run_duration_seconds_count{client=\"demo\",kind=\"posts\"} 1");
    assertThat(postTokens.getLong("prompt") + input).isEqualTo(gemini.promptTokensReported.get());
  }
}
