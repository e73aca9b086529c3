package pbwebhook.runs;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import pbwebhook.ai.TokenUsage;

/**
 * The live state of one run of one client. Owned by the run that updates it (one Vert.x context);
 * others see it through {@link RunTracker} snapshots.
 */
public final class RunProgress {

  public static final String RUNNING = "running";
  public static final String COMPLETED = "completed";
  public static final String COMPLETED_WITH_ERRORS = "completed_with_errors";
  public static final String FAILED = "failed";

  private final String runId;
  private final String clientId;
  private final String clientName;
  private final String kind;
  private final Instant startedAt;
  private Instant finishedAt;
  private String status = RUNNING;
  private int done;
  private int total;
  private int successful;
  private int failed;
  private int skipped;
  private TokenUsage tokens = TokenUsage.NONE;
  private double estimatedCostUsd;
  private final List<String> errors = new ArrayList<>();
  /** Tokens this run may use (what is left of the client's monthly budget); unlimited by default. */
  private long tokenAllowance = Long.MAX_VALUE;
  private Long budgetTokens;
  private String stoppedReason;
  /** What a run reports beyond the counts (a Posts Content repair's findings), or null. */
  private JsonObject result;

  public RunProgress(String runId, String clientId, String clientName, String kind, Instant startedAt) {
    this.runId = runId;
    this.clientId = clientId;
    this.clientName = clientName;
    this.kind = kind;
    this.startedAt = startedAt;
  }

  /** A run from its snapshot ({@link #toJson}), still running: to end a run whose owner is gone. */
  public static RunProgress fromJson(JsonObject j) {
    RunProgress r = new RunProgress(j.getString("runId"), j.getString("clientId"), j.getString("clientName"),
        j.getString("kind"), Instant.parse(j.getString("startedAt")));
    JsonObject counts = j.getJsonObject("counts", new JsonObject());
    r.total = j.getJsonObject("progress", new JsonObject()).getInteger("total", 0);
    r.successful = counts.getInteger("successful", 0);
    r.failed = counts.getInteger("failed", 0);
    r.skipped = counts.getInteger("skipped", 0);
    r.done = j.getJsonObject("progress", new JsonObject()).getInteger("done", r.processed());
    r.tokens = j.getJsonObject("tokens") == null ? TokenUsage.NONE : TokenUsage.fromJson(j.getJsonObject("tokens"));
    r.estimatedCostUsd = j.getDouble("estimatedCostUsd", 0.0);
    j.getJsonArray("errors", new JsonArray()).forEach(e -> r.errors.add(String.valueOf(e)));
    return r;
  }

  public String runId() { return runId; }
  public String clientId() { return clientId; }
  public String clientName() { return clientName; }
  public String kind() { return kind; }
  public Instant startedAt() { return startedAt; }
  public String status() { return status; }
  public int total() { return total; }
  public int successful() { return successful; }
  public int failed() { return failed; }
  public int skipped() { return skipped; }
  public int processed() { return successful + failed + skipped; }
  public TokenUsage tokens() { return tokens; }
  public List<String> errors() { return List.copyOf(errors); }

  public void total(int n) { total = n; }
  public void succeeded(int n) { successful += n; done += n; }
  public void failedLeads(int n) { failed += n; done += n; }
  public void skippedLeads(int n) { skipped += n; done += n; }
  public void addTokens(TokenUsage t) { tokens = tokens.plus(t); }
  /** The cost of the tokens used so far, from the AI_PRICES table of the run's model. */
  public void estimatedCostUsd(double usd) { estimatedCostUsd = usd; }
  public double estimatedCostUsd() { return estimatedCostUsd; }
  public void error(String message) { errors.add(message); }
  public void result(JsonObject r) { result = r; }
  public JsonObject result() { return result; }

  /** Caps the run's tokens at what is left of the client's monthly {@code budget}. */
  public void tokenBudget(long budget, long usedThisMonth) {
    budgetTokens = budget;
    tokenAllowance = Math.max(0, budget - usedThisMonth);
  }
  public long tokenAllowance() { return tokenAllowance; }
  /** Why the run stopped taking new leads before its end ({@code "budget"}), or null. */
  public String stoppedReason() { return stoppedReason; }
  public void stopped(String reason, String message) {
    if (stoppedReason != null) return;
    stoppedReason = reason;
    errors.add(message);
  }

  /** Ends the run: failed when fatal, with errors when any lead failed or any error was noted. */
  public void finish(Instant at, boolean fatal) {
    finishedAt = at;
    status = fatal ? FAILED : (failed > 0 || !errors.isEmpty()) ? COMPLETED_WITH_ERRORS : COMPLETED;
  }

  public long durationSeconds() {
    Instant end = finishedAt == null ? Instant.now() : finishedAt;
    return Math.max(0, Duration.between(startedAt, end).toSeconds());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("runId", runId)
        .put("clientId", clientId)
        .put("clientName", clientName)
        .put("kind", kind)
        .put("status", status)
        .put("progress", new JsonObject().put("done", done).put("total", total))
        .put("counts", new JsonObject().put("processed", processed()).put("successful", successful)
            .put("failed", failed).put("skipped", skipped))
        .put("tokens", tokens.toJson())
        .put("estimatedCostUsd", Math.round(estimatedCostUsd * 1_000_000) / 1_000_000.0)
        .put("errors", new JsonArray(new ArrayList<>(errors)))
        .put("stoppedReason", stoppedReason)
        .put("result", result == null ? null : result.copy())
        .put("budgetTokens", budgetTokens)
        .put("startedAt", startedAt.toString())
        .put("finishedAt", finishedAt == null ? null : finishedAt.toString())
        .put("durationSeconds", durationSeconds());
  }
}
