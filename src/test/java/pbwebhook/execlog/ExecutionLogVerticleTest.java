package pbwebhook.execlog;

import pbwebhook.Await;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Addresses;
import pbwebhook.ai.TokenUsage;
import pbwebhook.config.AppConfig;
import pbwebhook.runs.RunProgress;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.embedded.EmbeddedStore;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.ExecutionSummary;

/** The Execution Log writer on the real embedded store: concurrent records, trimming, and the Execution Summary. */
class ExecutionLogVerticleTest {

  private static final Instant T0 = Instant.parse("2025-07-01T02:00:00.000Z");

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private RecordStore store;
  private AppConfig config;

  @AfterEach
  void stop() {
    if (store != null) Await.within(store.close());
    if (vertx != null) Await.within(vertx.close());
  }

  private void start(int maxChars, String... clientIds) {
    vertx = Vertx.vertx();
    config = AppConfig.from(new JsonObject().put("DATA_DIR", dataDir.toString())
        .put("EXECUTION_LOG_MAX_CHARS", maxChars));
    store = new EmbeddedStore(vertx, dataDir);
    for (String id : clientIds) {
      Await.within(store.create(config.masterClientsBaseId(), Clients.TABLE, List.of(new JsonObject().put(Clients.CLIENT_ID, id)
          .put(Clients.CLIENT_NAME, "Client " + id).put(Clients.STATUS, Clients.STATUS_ACTIVE)
          .put(Clients.AIRTABLE_BASE_ID, id + "-base").put(Clients.EXECUTION_LOG, ""))));
    }
    Await.within(vertx.deployVerticle(new ExecutionLogVerticle(config, store)));
  }

  /** A finished lead run as the client worker sends it: the run's JSON plus the entry text and log status. */
  private static JsonObject runRecord(String clientId, int n, int successful, int failed, List<String> errors) {
    Instant started = T0.plusSeconds(60L * n);
    RunProgress run = new RunProgress("run-" + clientId + "-" + n, clientId, "Client " + clientId, "leads", started);
    run.total(successful + failed);
    run.succeeded(successful);
    run.failedLeads(failed);
    run.addTokens(new TokenUsage(1000, 200, 34));
    run.estimatedCostUsd(0.0125);
    errors.forEach(run::error);
    run.finish(started.plusSeconds(12), false);
    String status = failed > 0 || !errors.isEmpty() ? "Completed with errors" : "Completed successfully";
    String entry = ExecutionLogFormatter.format(new LogEntry(started, status, successful, successful + failed,
        run.durationSeconds(), run.tokens().total(), run.errors(), null, null));
    return run.toJson().put("entry", entry).put("logStatus", status);
  }

  private String log(String clientId) {
    return Await.within(vertx.eventBus().<JsonObject>request(ExecutionLogVerticle.READ,
        new JsonObject().put("clientId", clientId))).body().getString("executionLog");
  }

  /** The start times of the log's entries, in the order they appear. */
  private static List<String> entryTimes(String log) {
    List<String> times = new ArrayList<>();
    for (String line : log.split("\n")) {
      if (line.startsWith("=== EXECUTION: ")) times.add(line.substring(15, line.length() - 4));
    }
    return times;
  }

  private static String time(int n) {
    return T0.plusSeconds(60L * n).toString().replace(":00Z", ":00.000Z");
  }

  private List<Record> summaries(String clientId) {
    return Await.within(store.listAll(config.masterClientsBaseId(), ExecutionSummary.TABLE,
        ListQuery.where(Filter.eq(ExecutionSummary.CLIENT_ID, clientId))));
  }

  @Test
  void concurrentRecordsForOneClientAreAllKeptNewestFirst() {
    start(AppConfig.DEFAULT_EXECUTION_LOG_MAX_CHARS, "alpha", "beta");
    int n = 30;
    List<Future<?>> sent = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      sent.add(vertx.eventBus().request(Addresses.EXECLOG_RECORD, runRecord("alpha", i, 5, 0, List.of())));
      sent.add(vertx.eventBus().request(Addresses.EXECLOG_RECORD, runRecord("beta", i, 4, 1, List.of("Chunk error: x"))));
    }
    Await.within(Future.all(sent));

    List<String> expectedNewestFirst = new ArrayList<>();
    for (int i = n - 1; i >= 0; i--) expectedNewestFirst.add(time(i));
    for (String client : List.of("alpha", "beta")) {
      String log = log(client);
      assertThat(entryTimes(log)).as(client).isEqualTo(expectedNewestFirst);
      assertThat(summaries(client)).as(client).hasSize(n);
    }
    assertThat(log("alpha")).startsWith(runRecord("alpha", n - 1, 5, 0, List.of()).getString("entry") + "\n\n");
    assertThat(log("beta")).doesNotContain("LEADS PROCESSED: 5/5");
  }

  @Test
  void theLogIsTrimmedFromItsOldestEntriesToStayUnderTheLimit() {
    int maxChars = 1500;
    start(maxChars, "alpha");
    int n = 25;
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsonObject record = runRecord("alpha", i, 3, 0, List.of());
      entries.add(record.getString("entry"));
      Await.within(vertx.eventBus().request(Addresses.EXECLOG_RECORD, record));
    }

    String log = log("alpha");
    assertThat(log.length()).isLessThanOrEqualTo(maxChars);
    List<String> kept = entryTimes(log);
    assertThat(kept.size()).isBetween(2, n - 1);
    List<String> newest = new ArrayList<>();
    for (int i = n - 1; i >= n - kept.size(); i--) newest.add(entries.get(i));
    // Whole entries, newest first, nothing cut in half.
    assertThat(log).isEqualTo(String.join("\n\n", newest));
    assertThat(summaries("alpha")).hasSize(n);
  }

  @Test
  void eachRunGetsOneExecutionSummaryRecordInTheMasterBase() {
    start(AppConfig.DEFAULT_EXECUTION_LOG_MAX_CHARS, "alpha");
    JsonObject record = runRecord("alpha", 1, 3, 1, List.of("Chunk error: scripted failure"));
    Await.within(vertx.eventBus().request(Addresses.EXECLOG_RECORD, record));

    assertThat(summaries("alpha")).singleElement().satisfies(r -> assertThat(r.fields().getMap())
        .containsEntry(ExecutionSummary.EXECUTION_ID, "run-alpha-1")
        .containsEntry(ExecutionSummary.DATE, "2025-07-01")
        .containsEntry(ExecutionSummary.TIME, "02:01:00")
        .containsEntry(ExecutionSummary.CLIENT_NAME, "Client alpha")
        .containsEntry(ExecutionSummary.PROCESS_TYPE, "Lead Scoring")
        .containsEntry(ExecutionSummary.STATUS, "Completed with errors")
        .containsEntry(ExecutionSummary.LEADS_PROCESSED, 4)
        .containsEntry(ExecutionSummary.LEADS_SUCCESSFUL, 3)
        .containsEntry(ExecutionSummary.LEADS_FAILED, 1)
        .containsEntry(ExecutionSummary.SUCCESS_RATE, 75.0)
        .containsEntry(ExecutionSummary.DURATION, 12)
        .containsEntry(ExecutionSummary.TOKENS_USED, 1234)
        .containsEntry(ExecutionSummary.ERROR_COUNT, 1)
        .containsEntry(ExecutionSummary.PERFORMANCE_SCORE, 15.0)
        .containsEntry(ExecutionSummary.ESTIMATED_COST_USD, 0.0125));
  }

  @Test
  void aRecordForAClientMissingFromTheClientsTableIsRefusedAndWritesNothing() {
    start(AppConfig.DEFAULT_EXECUTION_LOG_MAX_CHARS, "alpha");
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Await.within(vertx.eventBus()
        .request(Addresses.EXECLOG_RECORD, runRecord("ghost", 1, 1, 0, List.of()))));
    assertThat(t).hasMessageContaining("ghost");
    assertThat(summaries("ghost")).isEmpty();
    assertThat(log("alpha")).isEmpty();
  }
}
