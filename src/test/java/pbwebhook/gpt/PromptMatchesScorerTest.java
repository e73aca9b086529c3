package pbwebhook.gpt;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Await;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.fakes.FakeOpenAi;

/** {@code GET /prompt} is the system prompt lead scoring really sends, as the fake AI endpoint received it. */
class PromptMatchesScorerTest {

  static final String API_KEY = "sk-test-openai-key-for-the-prompt-test-42";
  static final String ADMIN_TOKEN = "admin-token-for-the-prompt-test-0123456789";

  @TempDir
  Path dataDir;

  Vertx vertx = Vertx.vertx();
  FakeOpenAi openai;
  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
    if (openai != null) Await.within(openai.stop());
    Await.within(vertx.close());
  }

  @Test
  void thePromptIsTheSystemInstructionTheScorerSent() {
    openai = new FakeOpenAi(vertx, API_KEY);
    Await.within(openai.start());
    server = TestServer.startConfigured(dataDir, new JsonObject().put("OPENAI_API_KEY", API_KEY)
        .put("OPENAI_BASE_URL", openai.apiBase()).put("OPENAI_MODEL", "gpt-4o-mini").put("ADMIN_TOKEN", ADMIN_TOKEN));
    Map<String, String> admin = Map.of("Authorization", "Bearer " + ADMIN_TOKEN);
    // An edited rubric, so the prompt compared is not just the seeded default.
    TestHttp.Reply edit = server.http().patch("/attribute/B?clientId=demo", "{\"Signals\":\"board seat, CEO\"}",
        Map.of("Authorization", "Bearer " + ADMIN_TOKEN, "Content-Type", "application/json"));
    assertThat(edit.status()).as(edit.body()).isEqualTo(200);
    server.addLead(DEMO_BASE, "prompt-lead", LONG_ABOUT);

    TestHttp.Reply run = server.http().get("/run-batch-score?clientId=demo", admin);
    assertThat(run.status()).as(run.body()).isEqualTo(202);
    JsonObject done = server.waitForRun(run.json().getJsonArray("runs").getJsonObject(0).getString("runId"), admin);
    assertThat(done.getString("status")).as(done.encode()).isEqualTo("completed");
    String sent = openai.lastRequest.getJsonArray("messages").getJsonObject(0).getString("content");

    TestHttp.Reply raw = server.http().get("/prompt?clientId=demo&raw=1", admin);
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.header("content-type")).isEqualTo("text/markdown; charset=utf-8");
    assertThat(raw.body()).isEqualTo(sent).contains("board seat, CEO");
    assertThat(server.http().get("/prompt?clientId=demo", admin).json()).isEqualTo(new JsonObject().put("prompt", sent));
  }
}
