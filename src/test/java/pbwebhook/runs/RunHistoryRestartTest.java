package pbwebhook.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Addresses;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.scoring.ClientWorker;

/**
 * Run history outlives the process: {@code /api/runs/{id}} answers the same run after a restart; a run left
 * {@code running} by a crash is ended "owner left" by the next start; a trigger that arrives after its caller
 * was answered never starts a run.
 */
class RunHistoryRestartTest {

  @TempDir
  Path dataDir;

  final ScriptedScorer scorer = new ScriptedScorer().byDefault(ScriptedScorer.fullMarks());
  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void aFinishedRunIsReadableAfterARestart() {
    server = TestServer.start(dataDir, scorer);
    server.addLead(DEMO_BASE, "history-lead", LONG_ABOUT);
    JsonObject run = server.runToEnd(DEMO);
    assertThat(run.getString("status")).isEqualTo("completed");
    server.close();

    server = TestServer.start(dataDir, scorer);
    TestHttp.Reply again = server.http().get("/api/runs/" + run.getString("runId"));
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().getString("status")).isEqualTo("completed");
    assertThat(again.json().getJsonObject("counts")).isEqualTo(run.getJsonObject("counts"));
    assertThat(server.http().get("/api/runs?clientId=" + DEMO).json().encode()).contains(run.getString("runId"));
  }

  @Test
  void aRunLeftRunningByACrashEndsFailedOwnerLeftWithALogEntryAtTheNextStart() throws Exception {
    String runId = "261204-101500-" + DEMO + "-lcrash";
    try (RunHistory history = RunHistory.open(dataDir)) {
      RunProgress crashed = new RunProgress(runId, DEMO, "Demo", ClientWorker.KIND_LEADS, java.time.Instant.now());
      crashed.total(5);
      crashed.succeeded(2);
      history.save(crashed.toJson(), System.currentTimeMillis());
    }

    server = TestServer.start(dataDir, scorer);
    JsonObject ended = server.waitForRun(runId);
    assertThat(ended.getString("status")).isEqualTo("failed");
    assertThat(ended.getJsonArray("errors").encode()).contains("owner left");
    assertThat(ended.getJsonObject("counts").getInteger("successful")).isEqualTo(2);
    TestServer.awaitCondition("log entry written", TestServer.RUN_DEADLINE,
        () -> server.executionLog(DEMO).contains("owner left"));
    assertThat(server.executionLog(DEMO)).contains("STATUS: Failed");
  }

  @Test
  void aTriggerThatArrivesAfterItsDeadlineStartsNoRun() throws Exception {
    server = TestServer.start(dataDir, scorer);
    server.addLead(DEMO_BASE, "late-lead", LONG_ABOUT);
    Throwable refused = null;
    try {
      server.vertx().eventBus().request(Addresses.scoreLeads(DEMO),
          new JsonObject().put("limit", 10).put("notAfter", System.currentTimeMillis() - 1)).await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      refused = e;
    }
    assertThat(refused).isInstanceOf(io.vertx.core.eventbus.ReplyException.class).hasMessageContaining("after its deadline");
    assertThat(((io.vertx.core.eventbus.ReplyException) refused).failureCode()).isEqualTo(503);
    assertThat(server.http().get("/api/runs?clientId=" + DEMO).json().getJsonArray("runs")).isEmpty();
    assertThat(server.leads(DEMO_BASE)).singleElement()
        .satisfies(r -> assertThat(r.fields().getString("Scoring Status")).isEqualTo("To Be Scored"));
  }
}
