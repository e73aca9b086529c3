package pbwebhook.execlog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.Sort;
import pbwebhook.store.StoreException;
import pbwebhook.store.schema.ExecutionSummary;

/**
 * Reads the master base's Execution Summary for the dashboard, newest first. The table is optional in existing
 * master bases, so its absence is an answer ({@code available:false} with the reason), not an error.
 */
public final class ExecutionSummaryReader {

  /**
   * Records read beyond the limit, so runs that tie with the last one shown (same Date and Time: one trigger starts
   * every client's run in the same second) are all seen before the newest of them are picked. One page at most.
   */
  private static final int TIE_MARGIN = ListQuery.MAX_PAGE_SIZE;

  private final RecordStore store;
  private final String masterBaseId;

  /** {@code masterBaseId} may be null (single tenant): there is no summary table then. */
  public ExecutionSummaryReader(RecordStore store, String masterBaseId) {
    this.store = store;
    this.masterBaseId = masterBaseId;
  }

  /** {@code {available, records:[{id, createdTime, fields}], reason?}}; {@code clientId} null means every client. */
  public Future<JsonObject> recent(String clientId, int limit) {
    if (masterBaseId == null) {
      return Future.succeededFuture(unavailable("there is no master base (single-tenant mode): runs are recorded in"
          + " the server log only"));
    }
    ListQuery q = (clientId == null ? ListQuery.all() : ListQuery.where(Filter.eq(ExecutionSummary.CLIENT_ID, clientId)))
        .withSort(Sort.desc(ExecutionSummary.DATE), Sort.desc(ExecutionSummary.TIME))
        .withMaxRecords(limit + TIE_MARGIN);
    return store.listAll(masterBaseId, ExecutionSummary.TABLE, q)
        .map(rows -> {
          JsonArray out = new JsonArray();
          newestFirstWithinTies(rows).stream().limit(limit).forEach(r -> out.add(r.toJson()));
          return new JsonObject().put("available", true).put("count", out.size()).put("records", out);
        })
        .recover(e -> missingTable(e) ? Future.succeededFuture(unavailable(e.getMessage())) : Future.failedFuture(e));
  }

  /**
   * One of the operator's views ({@link ExecutionSummaryViews}) over the days up to {@code today} (UTC). Pages are
   * read newest first and reading stops at the first page that reaches before the window, so a long history costs
   * only the pages of the window; at most {@link #MAX_WINDOW_RECORDS} records are summed ({@code truncated:true}
   * past that).
   */
  public Future<JsonObject> view(ExecutionSummaryViews.View view, String clientId, int days, LocalDate today) {
    LocalDate from = ExecutionSummaryViews.from(view, today, days);
    if (masterBaseId == null) {
      return Future.succeededFuture(unavailable("there is no master base (single-tenant mode): runs are recorded in"
          + " the server log only").put("view", view.param));
    }
    ListQuery q = (clientId == null ? ListQuery.all() : ListQuery.where(Filter.eq(ExecutionSummary.CLIENT_ID, clientId)))
        .withSort(Sort.desc(ExecutionSummary.DATE), Sort.desc(ExecutionSummary.TIME));
    List<Record> acc = new ArrayList<>();
    return readWindow(q, from, acc)
        .map(v -> {
          boolean truncated = acc.size() > MAX_WINDOW_RECORDS;
          List<Record> inWindow = newestFirstWithinTies(acc.stream().limit(MAX_WINDOW_RECORDS)
              .filter(r -> ExecutionSummaryViews.within(r, from, today)).toList());
          return ExecutionSummaryViews.render(view, inWindow, from, today)
              .put("available", true).put("truncated", truncated);
        })
        .recover(e -> missingTable(e)
            ? Future.succeededFuture(unavailable(e.getMessage()).put("view", view.param))
            : Future.failedFuture(e));
  }

  /** The most records a view sums (about 90 days of hourly lead and post runs for 10 clients). */
  static final int MAX_WINDOW_RECORDS = 50_000;

  private Future<Void> readWindow(ListQuery q, LocalDate from, List<Record> acc) {
    return store.list(masterBaseId, ExecutionSummary.TABLE, q).compose(page -> {
      acc.addAll(page.records());
      boolean reachedBefore = page.records().stream().map(ExecutionSummaryViews::date)
          .anyMatch(d -> d != null && d.isBefore(from));
      if (page.offset() == null || reachedBefore || acc.size() > MAX_WINDOW_RECORDS) return Future.succeededFuture();
      return readWindow(q.withOffset(page.offset()), from, acc);
    });
  }

  /**
   * Date and Time have one-second resolution, so runs finishing in the same second tie; the store keeps those in
   * creation order. Reverse each tie by creation time and leave the store's order between different seconds alone.
   */
  static List<Record> newestFirstWithinTies(List<Record> rows) {
    List<Record> out = new ArrayList<>(rows.size());
    int i = 0;
    while (i < rows.size()) {
      int j = i + 1;
      while (j < rows.size() && sameSecond(rows.get(i), rows.get(j))) j++;
      List<Record> tie = new ArrayList<>(rows.subList(i, j));
      tie.sort(Comparator.comparing((Record r) -> Objects.toString(r.createdTime(), "")).reversed());
      out.addAll(tie);
      i = j;
    }
    return out;
  }

  private static boolean sameSecond(Record a, Record b) {
    return Objects.equals(a.string(ExecutionSummary.DATE), b.string(ExecutionSummary.DATE))
        && Objects.equals(a.string(ExecutionSummary.TIME), b.string(ExecutionSummary.TIME));
  }

  /** Airtable: 404 for a missing table, 422 for a missing Date/Time field, 403 when the table is not visible. */
  private static boolean missingTable(Throwable e) {
    return e instanceof StoreException se && (se.kind() == StoreException.Kind.NOT_FOUND
        || se.kind() == StoreException.Kind.INVALID_FIELD || se.kind() == StoreException.Kind.FORBIDDEN);
  }

  private static JsonObject unavailable(String reason) {
    return new JsonObject().put("available", false).put("count", 0).put("records", new JsonArray()).put("reason", reason);
  }
}
