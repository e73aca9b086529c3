package pbwebhook.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Server;
import pbwebhook.TestHttp;
import pbwebhook.clients.DemoBootstrap;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.FlakyStore;
import pbwebhook.store.embedded.EmbeddedStore;

/** A run whose result writes are refused: every lead it could not write is a failure with its own error entry. */
class ResultWriteFailureTest {

  @TempDir
  Path dataDir;

  Vertx vertx;
  Server server;
  FlakyStore store;
  TestHttp http;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    AppConfig config = AppConfig.from(new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("DATA_DIR", dataDir.toString()));
    store = new FlakyStore(new EmbeddedStore(vertx, config.dataDir()), DemoBootstrap.DEMO_BASE_ID);
    server = Server.start(vertx, config, store).await(30, TimeUnit.SECONDS);
    http = new TestHttp(server.port());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) server.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  void everyLeadWhoseResultWasNotWrittenIsCountedFailedWithItsOwnEntry() {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 12; i++) {
      body.append(i == 0 ? "" : ",").append(new JsonObject()
          .put("profileUrl", "https://www.linkedin.com/in/unwritten-" + i + "/").put("headline", "Founder")
          .put("summary", "Founder of a funded startup that builds AI tools for clinics and hospitals.").encode());
    }
    assertThat(http.post("/lh-webhook/upsertLeadOnly?wait=true", body.append(']').toString()).status()).isEqualTo(200);
    // Only scoring results carry a breakdown, so only they are refused.
    store.refuseWritesContaining("**Total:**");

    TestHttp.Reply trigger = http.post("/run-batch-score", "");
    assertThat(trigger.status()).as(trigger.body()).isEqualTo(202);
    JsonObject run = http.finishedRun(trigger.json().getJsonArray("runs").getJsonObject(0).getString("runId"),
        Duration.ofSeconds(30));

    assertThat(run.getString("status")).isEqualTo("completed_with_errors");
    assertThat(run.getJsonObject("counts")).isEqualTo(new JsonObject().put("processed", 12).put("successful", 0)
        .put("failed", 12).put("skipped", 0));
    List<String> errors = run.getJsonArray("errors").stream().map(String::valueOf).toList();
    assertThat(errors).hasSize(12).allSatisfy(e -> assertThat(e)
        .matches("Lead rec\\w+: result not written: Field \"Headline\" cannot accept the provided value"));
    assertThat(errors.stream().map(e -> e.substring(0, e.indexOf(':'))).distinct()).hasSize(12);
    assertThat(store.failuresThrown()).isEqualTo(2);
  }
}
