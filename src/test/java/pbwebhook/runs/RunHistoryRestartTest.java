package pbwebhook.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Addresses;
import pbwebhook.Await;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.clients.ClientWorker;
import pbwebhook.fakes.ScriptedScorer;

/**
 * Run history outlives the process (DATA_DIR/runs.db): {@code /api/runs/{id}} and {@code /api/runs} answer the
 * same runs after a restart, and a run the previous process left {@code running} reads {@code failed} with the
 * reason instead of {@code running} for a week, without blocking the client's next run; a trigger that arrives
 * after its caller was answered never starts a run.
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
    assertThat(again.json().getString("finishedAt")).isEqualTo(run.getString("finishedAt"));
    assertThat(server.http().get("/api/runs?clientId=" + DEMO).json().getJsonArray("runs").stream()
        .map(r -> ((JsonObject) r).getString("runId"))).containsExactly(run.getString("runId"));
  }

  @Test
  void aRunLeftRunningByTheLastProcessReadsFailedWithTheReasonAndTheNextRunStarts() throws Exception {
    String runId = "261204-101500-" + DEMO + "-lcrash";
    long savedAt = System.currentTimeMillis() - 60_000;
    try (RunHistory history = RunHistory.open(dataDir)) {
      RunProgress crashed = new RunProgress(runId, DEMO, "Demo Client", ClientWorker.KIND_LEADS, Instant.now().minusSeconds(90));
      crashed.total(5);
      crashed.succeeded(2);
      history.save(crashed.toJson(), savedAt);
    }

    server = TestServer.start(dataDir, scorer);
    JsonObject ended = server.http().get("/api/runs/" + runId).json();
    assertThat(ended.getString("status")).isEqualTo("failed");
    assertThat(ended.getJsonArray("errors").getList()).containsExactly(RunTracker.ORPHANED);
    assertThat(ended.getJsonObject("counts").getInteger("successful")).isEqualTo(2);
    assertThat(ended.getString("finishedAt")).isEqualTo(Instant.ofEpochMilli(savedAt).toString());

    server.addLead(DEMO_BASE, "after-crash", LONG_ABOUT);
    assertThat(server.runToEnd(DEMO).getString("status")).isEqualTo("completed");

    // the ended state is on disk too: a second restart reads the same
    server.close();
    server = TestServer.start(dataDir, scorer);
    assertThat(server.http().get("/api/runs/" + runId).json().getString("status")).isEqualTo("failed");
  }

  @Test
  void aTriggerThatArrivesAfterItsDeadlineStartsNoRun() throws Exception {
    server = TestServer.start(dataDir, scorer);
    server.addLead(DEMO_BASE, "late-lead", LONG_ABOUT);
    Throwable refused = null;
    try {
      Await.within(server.vertx().eventBus().request(Addresses.scoreLeads(DEMO),
          new JsonObject().put("limit", 10).put("notAfter", System.currentTimeMillis() - 1)));
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
