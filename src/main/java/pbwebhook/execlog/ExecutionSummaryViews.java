package pbwebhook.execlog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import pbwebhook.store.Record;
import pbwebhook.store.schema.ExecutionSummary;

/**
 * The operator's views of the Execution Summary, computed from its records (one per finished run and client). Days
 * are UTC calendar days, as the records' {@code Date} is written in UTC. Pure: the reader fetches, this aggregates.
 *
 * <ul>
 *   <li>{@code today}, {@code 7d}: the records of today, or of the last 7 days including today, newest first;</li>
 *   <li>{@code by-client}: per client over the last {@code days} days: runs, leads processed, success rate (leads
 *   successful ÷ leads processed, in %, 2 decimals; null when no lead was processed), tokens, estimated cost, errors;</li>
 *   <li>{@code trends}: one point per day and client over the last {@code days} days (days without a run included,
 *   with zeros, for every client that ran in the period), oldest first.</li>
 * </ul>
 */
public final class ExecutionSummaryViews {

  public enum View {
    TODAY("today"), LAST_7_DAYS("7d"), BY_CLIENT("by-client"), TRENDS("trends");

    public final String param;

    View(String param) { this.param = param; }

    /** The view named by {@code ?view=}, or null when the name is unknown. */
    public static View parse(String s) {
      for (View v : values()) if (v.param.equals(s == null ? null : s.toLowerCase(Locale.ROOT))) return v;
      return null;
    }

    public static String names() { return "today, 7d, by-client, trends"; }
  }

  public static final int MAX_DAYS = 90;
  public static final int DEFAULT_BY_CLIENT_DAYS = 7;
  public static final int DEFAULT_TREND_DAYS = 30;

  private ExecutionSummaryViews() {}

  /** The first day of a view's window ending {@code today} (both included). */
  public static LocalDate from(View view, LocalDate today, int days) {
    return switch (view) {
      case TODAY -> today;
      case LAST_7_DAYS -> today.minusDays(6);
      case BY_CLIENT, TRENDS -> today.minusDays(days - 1L);
    };
  }

  /** {@code records} newest first (as the reader returns them), already limited to the window. */
  public static JsonObject render(View view, List<Record> records, LocalDate from, LocalDate today) {
    JsonObject out = new JsonObject().put("view", view.param).put("timeZone", "UTC")
        .put("from", from.toString()).put("to", today.toString());
    return switch (view) {
      case TODAY, LAST_7_DAYS -> {
        JsonArray rows = new JsonArray();
        records.forEach(r -> rows.add(r.toJson()));
        yield out.put("count", rows.size()).put("records", rows);
      }
      case BY_CLIENT -> out.put("clients", byClient(records));
      case TRENDS -> out.put("points", trends(records, from, today));
    };
  }

  /** Whether a record's Date falls in [from, to]; a record without a readable Date is in no window. */
  public static boolean within(Record r, LocalDate from, LocalDate to) {
    LocalDate d = date(r);
    return d != null && !d.isBefore(from) && !d.isAfter(to);
  }

  static LocalDate date(Record r) {
    String s = r.string(ExecutionSummary.DATE);
    if (s == null || s.length() < 10) return null;
    try {
      return LocalDate.parse(s.substring(0, 10));
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static JsonArray byClient(List<Record> records) {
    Map<String, Totals> perClient = new TreeMap<>();
    for (Record r : records) perClient.computeIfAbsent(clientId(r), k -> new Totals()).add(r);
    JsonArray out = new JsonArray();
    perClient.forEach((clientId, t) -> out.add(new JsonObject()
        .put("clientId", clientId).put("clientName", t.clientName)
        .put("runs", t.runs).put("leadsProcessed", t.processed).put("leadsSuccessful", t.successful)
        .put("successRate", t.successRate()).put("tokens", t.tokens)
        .put("estimatedCostUsd", t.costUsd()).put("errors", t.errors)));
    return out;
  }

  private static JsonArray trends(List<Record> records, LocalDate from, LocalDate today) {
    Map<String, Map<LocalDate, Totals>> perClient = new TreeMap<>();
    for (Record r : records) {
      perClient.computeIfAbsent(clientId(r), k -> new TreeMap<>()).computeIfAbsent(date(r), k -> new Totals()).add(r);
    }
    JsonArray out = new JsonArray();
    for (LocalDate day = from; !day.isAfter(today); day = day.plusDays(1)) {
      for (Map.Entry<String, Map<LocalDate, Totals>> client : perClient.entrySet()) {
        Totals t = client.getValue().getOrDefault(day, new Totals());
        out.add(new JsonObject().put("date", day.toString()).put("clientId", client.getKey())
            .put("runs", t.runs).put("leadsProcessed", t.processed).put("leadsSuccessful", t.successful)
            .put("successRate", t.successRate()).put("tokens", t.tokens).put("estimatedCostUsd", t.costUsd())
            .put("durationSeconds", t.durationSeconds).put("errors", t.errors));
      }
    }
    return out;
  }

  private static String clientId(Record r) {
    String id = r.string(ExecutionSummary.CLIENT_ID);
    return id == null ? "" : id;
  }

  /** Sums over runs. Cost is summed in micro-dollars so that adding many small costs stays exact. */
  private static final class Totals {
    String clientName;
    int runs;
    long processed;
    long successful;
    long tokens;
    long costMicros;
    long durationSeconds;
    long errors;

    void add(Record r) {
      JsonObject f = r.fields();
      if (clientName == null) clientName = f.getString(ExecutionSummary.CLIENT_NAME);
      runs++;
      processed += number(f, ExecutionSummary.LEADS_PROCESSED);
      successful += number(f, ExecutionSummary.LEADS_SUCCESSFUL);
      tokens += number(f, ExecutionSummary.TOKENS_USED);
      durationSeconds += number(f, ExecutionSummary.DURATION);
      errors += number(f, ExecutionSummary.ERROR_COUNT);
      Object cost = f.getValue(ExecutionSummary.ESTIMATED_COST_USD);
      if (cost instanceof Number n) costMicros += Math.round(n.doubleValue() * 1_000_000);
    }

    Double successRate() {
      return processed == 0 ? null : Math.round(successful * 10000.0 / processed) / 100.0;
    }

    double costUsd() {
      return costMicros / 1_000_000.0;
    }

    private static long number(JsonObject f, String field) {
      return f.getValue(field) instanceof Number n ? n.longValue() : 0;
    }
  }
}
