package pbwebhook.clients;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import pbwebhook.ai.TokenUsage;
import pbwebhook.config.AppConfig;
import pbwebhook.runs.RunTracker;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.ExecutionSummary;

/**
 * A client's monthly AI token budget (the Clients field {@code Monthly Token Budget}; blank = unlimited) and its
 * usage this calendar month (UTC): the runs' tokens, from the Execution Summary records (which outlive restarts)
 * and the run tracker (runs under way, and bases without that table), each run counted once.
 */
public final class TokenBudget {

  /** This month's usage and budget; {@code budgetTokens} null means unlimited. */
  public record Usage(String month, long tokens, double estimatedCostUsd, Long budgetTokens, boolean stoppedByBudget) {
    public JsonObject toJson() {
      return new JsonObject().put("month", month).put("tokens", tokens)
          .put("estimatedCostUsd", Math.round(estimatedCostUsd * 1_000_000) / 1_000_000.0).put("budgetTokens", budgetTokens);
    }

    /**
     * Why a new run may not start, or null: the budget is used up, or this month's last run stopped on it and the
     * budget has not been raised since.
     */
    public String refusal(String clientId) {
      if (budgetTokens == null || (tokens < budgetTokens && !stoppedByBudget)) return null;
      return "client " + clientId + " has reached its monthly token budget (" + tokens + " of " + budgetTokens
          + " tokens used in " + month + "); runs resume when the month turns or the budget is raised "
          + "(PATCH /api/clients/" + clientId + " {\"monthlyTokenBudget\": …})";
    }
  }

  private final RecordStore store;
  private final AppConfig config;
  private final RunTracker runs;

  public TokenBudget(Vertx vertx, RecordStore store, AppConfig config) {
    this.store = store;
    this.config = config;
    this.runs = new RunTracker(vertx);
  }

  public Future<Usage> usage(String clientId) {
    YearMonth month = YearMonth.now(ZoneOffset.UTC);
    String master = config.masterClientsBaseId();
    if (master == null) return Future.succeededFuture(new Usage(month.toString(), 0, 0, null, false));
    Future<Long> budget = store.listAll(master, Clients.TABLE, ListQuery.where(Filter.eq(Clients.CLIENT_ID, clientId)))
        .map(rows -> rows.isEmpty() ? null : ClientAdmin.budgetOf(rows.get(0)));
    // An absent Execution Summary table (optional) counts as no records.
    Future<List<Record>> summaries = store.listAll(master, ExecutionSummary.TABLE,
            ListQuery.where(Filter.eq(ExecutionSummary.CLIENT_ID, clientId)))
        .recover(e -> Future.succeededFuture(List.of()));
    Future<List<JsonObject>> tracked = runs.list(clientId, Integer.MAX_VALUE);
    return Future.all(budget, summaries, tracked).map(all -> {
      Map<String, Long> tokensByRun = new HashMap<>();
      double cost = 0;
      JsonObject latest = null;
      for (JsonObject run : tracked.result()) {
        if (!inMonth(run.getString("startedAt"), month)) continue;
        tokensByRun.put(run.getString("runId"), TokenUsage.fromJson(run.getJsonObject("tokens", new JsonObject())).total());
        cost += run.getDouble("estimatedCostUsd", 0.0);
        if (latest == null) latest = run;
      }
      for (Record r : summaries.result()) {
        String date = r.string(ExecutionSummary.DATE);
        if (date == null || !date.startsWith(month.toString())) continue;
        Object used = r.fields().getValue(ExecutionSummary.TOKENS_USED);
        if (used instanceof Number n) tokensByRun.putIfAbsent(r.string(ExecutionSummary.EXECUTION_ID), n.longValue());
      }
      long tokens = tokensByRun.values().stream().mapToLong(Long::longValue).sum();
      Long limit = budget.result();
      boolean stopped = latest != null && "budget".equals(latest.getString("stoppedReason")) && limit != null
          && latest.getLong("budgetTokens", Long.MIN_VALUE) >= limit;
      return new Usage(month.toString(), tokens, cost, limit, stopped);
    });
  }

  private static boolean inMonth(String instant, YearMonth month) {
    if (instant == null) return false;
    try {
      return YearMonth.from(Instant.parse(instant).atZone(ZoneOffset.UTC)).equals(month);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
