package pbwebhook.execlog;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.Addresses;
import pbwebhook.alerts.Alert;
import pbwebhook.alerts.AlertKind;
import pbwebhook.config.AppConfig;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.ExecutionSummary;

/**
 * Records finished runs: prepends the entry to the client's {@code Execution Log} (read fresh, never from
 * a cache) and adds one Execution Summary record. Writes for one client are chained, so concurrent runs
 * never lose each other's entries. Also answers {@code execlog.read} and {@code execlog.summary}.
 */
public class ExecutionLogVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ExecutionLogVerticle.class);
  public static final String READ = "execlog.read";
  /** {@code {clientId?, limit}} → the newest Execution Summary records, see {@link ExecutionSummaryReader}. */
  public static final String SUMMARY = "execlog.summary";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final AppConfig config;
  private final RecordStore store;
  private final Map<String, Future<?>> tails = new HashMap<>();

  public ExecutionLogVerticle(AppConfig config, RecordStore store) {
    this.config = config;
    this.store = store;
  }

  @Override
  public Future<?> start() {
    return Future.join(
        vertx.eventBus().<JsonObject>consumer(Addresses.EXECLOG_RECORD, this::onRecord).completion(),
        vertx.eventBus().<JsonObject>consumer(READ, this::onRead).completion(),
        vertx.eventBus().<JsonObject>consumer(SUMMARY, this::onSummary).completion());
  }

  private void onSummary(Message<JsonObject> m) {
    ExecutionSummaryReader reader = new ExecutionSummaryReader(store, config.masterClientsBaseId());
    String clientId = m.body().getString("clientId");
    ExecutionSummaryViews.View view = ExecutionSummaryViews.View.parse(m.body().getString("view"));
    (view == null
        ? reader.recent(clientId, m.body().getInteger("limit", 50))
        : reader.view(view, clientId, m.body().getInteger("days", ExecutionSummaryViews.DEFAULT_TREND_DAYS),
            LocalDate.now(ZoneOffset.UTC)))
        .onSuccess(m::reply)
        .onFailure(e -> m.fail(503, "Execution Summary not readable: " + e.getMessage()));
  }

  private void onRecord(Message<JsonObject> m) {
    JsonObject run = m.body();
    String clientId = run.getString("clientId");
    Future<?> previous = tails.getOrDefault(clientId, Future.succeededFuture());
    Future<Void> next = previous.transform(ignored -> append(run));
    tails.put(clientId, next);
    alertIfItWentWrong(run);
    next.onComplete(ar -> {
      if (tails.get(clientId) == next) tails.remove(clientId);
      if (ar.succeeded()) m.reply(new JsonObject().put("written", true));
      else m.fail(503, "execution log not written for client " + clientId + ": " + ar.cause().getMessage());
    });
  }

  /** A failed run, or one with errors, is worth an alert (grouped into digests by the alert verticle). */
  private void alertIfItWentWrong(JsonObject run) {
    String status = run.getString("status");
    AlertKind kind = "failed".equals(status) ? AlertKind.RUN_FAILED
        : "completed_with_errors".equals(status) ? AlertKind.RUN_ERRORS : null;
    if (kind == null) return;
    JsonObject counts = run.getJsonObject("counts", new JsonObject());
    List<Object> errors = run.getJsonArray("errors", new io.vertx.core.json.JsonArray()).getList();
    StringBuilder detail = new StringBuilder("run ").append(run.getString("runId")).append(" (")
        .append(run.getString("kind")).append("): ").append(counts.getInteger("processed", 0)).append(" processed, ")
        .append(counts.getInteger("successful", 0)).append(" successful, ").append(counts.getInteger("failed", 0))
        .append(" failed");
    if (!errors.isEmpty()) {
      detail.append("; ").append(errors.size()).append(errors.size() == 1 ? " error: " : " errors, first: ")
          .append(errors.get(0));
    }
    Alert.raise(vertx, kind, run.getString("clientId"), detail.toString());
  }

  private void onRead(Message<JsonObject> m) {
    String clientId = m.body().getString("clientId");
    if (config.masterClientsBaseId() == null) {
      m.reply(new JsonObject().put("clientId", clientId).put("executionLog", ""));
      return;
    }
    clientRow(clientId).onComplete(ar -> {
      if (ar.failed()) m.fail(503, ar.cause().getMessage());
      else if (ar.result() == null) m.fail(404, "unknown client: " + clientId);
      else m.reply(new JsonObject().put("clientId", clientId)
          .put("executionLog", ar.result().fields().getString(Clients.EXECUTION_LOG, "")));
    });
  }

  private Future<Record> clientRow(String clientId) {
    ListQuery q = ListQuery.where(Filter.eq(Clients.CLIENT_ID, clientId)).withMaxRecords(1);
    return store.listAll(config.masterClientsBaseId(), Clients.TABLE, q)
        .map(rows -> rows.isEmpty() ? null : rows.get(0));
  }

  private Future<Void> append(JsonObject run) {
    String clientId = run.getString("clientId");
    if (config.masterClientsBaseId() == null) {
      log.info("client {} run {}: no master base, execution log entry:\n{}", clientId, run.getString("runId"),
          run.getString("entry"));
      return Future.succeededFuture();
    }
    return clientRow(clientId).compose(row -> {
      if (row == null) return Future.failedFuture("client " + clientId + " is not in the Clients table");
      String old = row.fields().getString(Clients.EXECUTION_LOG, "");
      String updated = ExecutionLogFormatter.prepend(run.getString("entry"), old, config.executionLogMaxChars());
      return store.update(config.masterClientsBaseId(), Clients.TABLE,
          List.of(new Record(row.id(), null, new JsonObject().put(Clients.EXECUTION_LOG, updated))));
    }).compose(v -> writeSummary(run));
  }

  /** The Execution Summary is optional in existing master bases: a failure here is logged, not fatal. */
  private Future<Void> writeSummary(JsonObject run) {
    Instant started = Instant.parse(run.getString("startedAt"));
    JsonObject counts = run.getJsonObject("counts");
    int processed = counts.getInteger("processed");
    int successful = counts.getInteger("successful");
    long duration = run.getLong("durationSeconds", 0L);
    double successRate = processed == 0 ? 0 : Math.round(successful * 10000.0 / processed) / 100.0;
    double perMinute = duration == 0 ? successful : Math.round(successful * 6000.0 / duration) / 100.0;
    JsonObject fields = new JsonObject()
        .put(ExecutionSummary.EXECUTION_ID, run.getString("runId"))
        .put(ExecutionSummary.DATE, started.atZone(ZoneOffset.UTC).toLocalDate().toString())
        .put(ExecutionSummary.TIME, started.atZone(ZoneOffset.UTC).format(TIME))
        .put(ExecutionSummary.CLIENT_ID, run.getString("clientId"))
        .put(ExecutionSummary.CLIENT_NAME, run.getString("clientName"))
        .put(ExecutionSummary.PROCESS_TYPE, "posts".equals(run.getString("kind")) ? "Post Scoring" : "Lead Scoring")
        // one vocabulary for both kinds (the log entry of a posts run keeps the old server's lower-case words)
        .put(ExecutionSummary.STATUS, ExecutionLogFormatter.statusWord(false, run.getString("status")))
        .put(ExecutionSummary.LEADS_PROCESSED, processed)
        .put(ExecutionSummary.LEADS_SUCCESSFUL, successful)
        .put(ExecutionSummary.LEADS_FAILED, counts.getInteger("failed"))
        .put(ExecutionSummary.SUCCESS_RATE, successRate)
        .put(ExecutionSummary.DURATION, duration)
        .put(ExecutionSummary.TOKENS_USED, run.getJsonObject("tokens").getLong("total"))
        .put(ExecutionSummary.ERROR_COUNT, run.getJsonArray("errors").size())
        .put(ExecutionSummary.PERFORMANCE_SCORE, perMinute)
        .put(ExecutionSummary.ESTIMATED_COST_USD, run.getDouble("estimatedCostUsd", 0.0));
    // A master base without the table or some of its fields is handled by the store (OptionalFieldsStore).
    return store.create(config.masterClientsBaseId(), ExecutionSummary.TABLE, List.of(fields))
        .<Void>mapEmpty()
        .recover(e -> {
          log.warn("client {} run {}: Execution Summary not written: {}", run.getString("clientId"),
              run.getString("runId"), e.getMessage());
          return Future.succeededFuture();
        });
  }
}
