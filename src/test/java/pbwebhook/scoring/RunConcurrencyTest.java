package pbwebhook.scoring;

import pbwebhook.Await;
import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.clients.ClientWorker;
import pbwebhook.Addresses;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.execlog.ExecutionLogFormatter;
import pbwebhook.execlog.LogEntry;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.runs.RunProgress;
import pbwebhook.store.schema.Leads;

/** One lead-scoring run per client at a time: a second trigger is refused with the running run's id. */
class RunConcurrencyTest {

  @TempDir
  Path dataDir;

  private final ScriptedScorer scorer = new ScriptedScorer();
  private final CompletableFuture<Void> release = new CompletableFuture<>();
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(dataDir, scorer);
  }

  @AfterEach
  void stop() {
    release.complete(null);
    server.close();
  }

  @Test
  void aSecondTriggerWhileARunIsOpenIsRefusedWithTheRunningRunsId() {
    String lead = server.addLead(DEMO_BASE, "held", LONG_ABOUT);
    scorer.then(ScriptedScorer.heldUntil(release, ScriptedScorer.fullMarks()));
    String first = server.startRun(DEMO).getString("runId");
    TestServer.awaitCondition("the run reached the AI", Duration.ofSeconds(10), () -> scorer.calls().size() == 1);

    for (TestHttp.Reply again : new TestHttp.Reply[] {
        server.http().get("/run-batch-score?clientId=demo"), server.http().post("/run-batch-score?clientId=demo", "")}) {
      assertThat(again.status()).isEqualTo(409);
      JsonObject body = again.json();
      assertThat(body.getBoolean("ok")).isFalse();
      assertThat(body.getString("runId")).isEqualTo(first);
      assertThat(body.getString("error")).contains("already running").contains(first);
    }
    // Without a client, the busy client's entry says why it did not start.
    JsonObject all = server.http().get("/run-batch-score").json().getJsonArray("runs").getJsonObject(0);
    assertThat(all.getString("status")).isEqualTo("rejected");
    assertThat(all.getString("error")).contains(first);

    JsonObject open = server.http().get("/api/runs/" + first).json();
    assertThat(open.getString("status")).isEqualTo("running");
    assertThat(open.getJsonObject("progress").getMap()).containsEntry("done", 0).containsEntry("total", 1);

    release.complete(null);
    assertThat(server.waitForRun(first).getString("status")).isEqualTo("completed");
    assertThat(server.lead(DEMO_BASE, lead).getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);

    String second = server.startRun(DEMO).getString("runId");
    assertThat(second).isNotEqualTo(first);
    assertThat(server.waitForRun(second).getJsonObject("progress").getInteger("total")).isZero();
  }

  @Test
  void ofConcurrentTriggersExactlyOneStartsAndTheOthersNameIt() throws Exception {
    server.addLead(DEMO_BASE, "contended", LONG_ABOUT);
    scorer.byDefault(ScriptedScorer.heldUntil(release, ScriptedScorer.fullMarks()));
    int triggers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(triggers);
    List<TestHttp.Reply> replies = new ArrayList<>();
    try {
      List<Callable<TestHttp.Reply>> calls = new ArrayList<>();
      for (int i = 0; i < triggers; i++) calls.add(() -> server.http().get("/run-batch-score?clientId=demo"));
      for (Future<TestHttp.Reply> f : pool.invokeAll(calls, 30, TimeUnit.SECONDS)) replies.add(f.get());
    } finally {
      pool.shutdownNow();
    }
    List<TestHttp.Reply> started = replies.stream().filter(r -> r.status() == 202).toList();
    assertThat(started).hasSize(1);
    String runId = started.get(0).json().getJsonArray("runs").getJsonObject(0).getString("runId");
    assertThat(replies).filteredOn(r -> r.status() != 202).hasSize(triggers - 1)
        .allSatisfy(r -> {
          assertThat(r.status()).isEqualTo(409);
          assertThat(r.json().getString("runId")).isEqualTo(runId);
        });
    release.complete(null);
    assertThat(server.waitForRun(runId).getString("status")).isEqualTo("completed");
    assertThat(scorer.calls()).hasSize(1);
  }

  @Test
  void aRunReportedFinishedHasReleasedItsClientAndWrittenItsLogEntry() {
    int runs = 5;
    Set<String> ids = new HashSet<>();
    for (int i = 1; i <= runs; i++) {
      server.addLead(DEMO_BASE, "lead-" + i, LONG_ABOUT);
      JsonObject run = server.runToEnd(DEMO);
      ids.add(run.getString("runId"));
      assertThat(run.getString("status")).isEqualTo("completed");
      String log = server.executionLog(DEMO);
      assertThat(log.split("=== EXECUTION: ", -1)).as("log entries after run " + i).hasSize(i + 1);
    }
    assertThat(ids).hasSize(runs);
  }

  @Test
  void aRunReadsAsFinishedOnlyOnceItsLogEntryIsWritten() {
    server.addLead(DEMO_BASE, "queued-behind", LONG_ABOUT);
    scorer.then(ScriptedScorer.heldUntil(release, ScriptedScorer.fullMarks()));
    String runId = server.startRun(DEMO).getString("runId");
    TestServer.awaitCondition("the run reached the AI", Duration.ofSeconds(10), () -> scorer.calls().size() == 1);
    // Other runs' entries for the same client queue up in front of this run's entry.
    int queued = 150;
    for (int i = 0; i < queued; i++) {
      RunProgress other = new RunProgress("other-" + i, DEMO, "Demo Client", ClientWorker.KIND_LEADS,
          Instant.parse("2025-01-01T00:00:00Z").plusSeconds(i));
      other.finish(other.startedAt(), false);
      String entry = ExecutionLogFormatter.format(new LogEntry(other.startedAt(), "Completed successfully", 0, 0, 0, 0,
          List.of(), null, null));
      server.vertx().eventBus().request(Addresses.EXECLOG_RECORD,
          other.toJson().put("entry", entry).put("logStatus", "Completed successfully"));
    }
    release.complete(null);

    assertThat(server.waitForRun(runId).getString("status")).isEqualTo("completed");
    String log = server.executionLog(DEMO);
    assertThat(log).startsWith("=== EXECUTION: ").contains("LEADS PROCESSED: 1/1 successful\n");
  }

  @Test
  void aRunCutShortByPausingTheClientEndsAsFailedAndFreesTheClient() {
    server.addLead(DEMO_BASE, "cut-short", LONG_ABOUT);
    scorer.then(ScriptedScorer.heldUntil(release, ScriptedScorer.fullMarks()));
    String runId = server.startRun(DEMO).getString("runId");
    TestServer.awaitCondition("the run reached the AI", Duration.ofSeconds(10), () -> scorer.calls().size() == 1);

    server.setClientStatus(DEMO, "Paused");
    server.refreshClients();
    JsonObject run = server.waitForRun(runId);
    assertThat(run.getString("status")).isEqualTo("failed");
    assertThat(run.getJsonArray("errors").encode()).contains("worker was redeployed");
    assertThat(server.executionLog(DEMO)).contains("STATUS: Failed");

    server.setClientStatus(DEMO, "Active");
    server.refreshClients();
    release.complete(null);
    JsonObject next = server.runToEnd(DEMO);
    assertThat(next.getString("status")).isEqualTo("completed");
    assertThat(next.getString("runId")).isNotEqualTo(runId);
  }

  @Test
  void renamingAClientDuringARunLeavesTheRunAlone() {
    server.addLead(DEMO_BASE, "renamed", LONG_ABOUT);
    scorer.then(ScriptedScorer.heldUntil(release, ScriptedScorer.fullMarks()));
    String runId = server.startRun(DEMO).getString("runId");
    TestServer.awaitCondition("the run reached the AI", Duration.ofSeconds(10), () -> scorer.calls().size() == 1);

    pbwebhook.store.Record row = server.clientRow(DEMO);
    Await.within(server.store().update(server.masterBase(), pbwebhook.store.schema.Clients.TABLE, java.util.List.of(
        new pbwebhook.store.Record(row.id(), null, new JsonObject().put(pbwebhook.store.schema.Clients.CLIENT_NAME,
            "Demo Client Renamed")))));
    server.refreshClients();
    release.complete(null);
    assertThat(server.waitForRun(runId).getString("status")).isEqualTo("completed");
  }
}
