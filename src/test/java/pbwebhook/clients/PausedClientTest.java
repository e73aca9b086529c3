package pbwebhook.clients;

import pbwebhook.Await;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static pbwebhook.TestServer.DEMO;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Addresses;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.scoring.DefaultRubric;
import pbwebhook.store.Record;
import pbwebhook.store.schema.Leads;

/** A paused client keeps receiving webhooks but is never scored, until its status changes and the registry refreshes. */
class PausedClientTest {

  @TempDir
  Path dataDir;

  private final ScriptedScorer scorer = new ScriptedScorer();
  private TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(dataDir, scorer);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String profile(String slug) {
    return new JsonObject().put("profileUrl", "https://www.linkedin.com/in/" + slug + "/").put("firstName", "Pat")
        .put("headline", "Founder at " + slug).put("summary", LONG_ABOUT).encode();
  }

  private Record onlyLead(String baseId) {
    var leads = server.leads(baseId);
    assertThat(leads).hasSize(1);
    return leads.get(0);
  }

  /** The client's own worker, asked directly: it refuses to score when it was deployed for a paused client. */
  private ReplyException workerRefusal(String clientId) {
    Throwable t = catchThrowable(() -> Await.within(server.vertx().eventBus()
        .request(Addresses.scoreLeads(clientId), new JsonObject())));
    assertThat(t).isInstanceOf(ReplyException.class);
    return (ReplyException) t;
  }

  @Test
  void aPausedClientIsNotScoredButItsWebhooksAreStoredUntilItIsActiveAgain() {
    String base = server.addClient("sleepy", "Paused", DefaultRubric.scoringAttributeRows());

    TestHttp.Reply refused = server.http().get("/run-batch-score?clientId=sleepy");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("error")).contains("sleepy").contains("Paused");
    assertThat(workerRefusal("sleepy").failureCode()).isEqualTo(409);

    TestHttp.Reply hook = server.http().post("/lh-webhook/upsertLeadOnly?clientId=sleepy&wait=true", profile("paused-lead"));
    assertThat(hook.status()).isEqualTo(200);
    assertThat(hook.json().getString("message")).isEqualTo("Upserted/Updated 1 LH profiles, Failed: 0");
    Record stored = onlyLead(base);
    assertThat(stored.string(Leads.SCORING_STATUS)).isEqualTo(Leads.TO_BE_SCORED);

    String demoLead = server.addLead(DEMO_BASE, "active-lead", LONG_ABOUT);
    TestHttp.Reply all = server.http().get("/run-batch-score");
    assertThat(all.status()).isEqualTo(202);
    JsonArray runs = all.json().getJsonArray("runs");
    assertThat(runs).hasSize(1);
    assertThat(runs.getJsonObject(0).getString("clientId")).isEqualTo(DEMO);
    server.waitForRun(runs.getJsonObject(0).getString("runId"));
    assertThat(scorer.askedLeadIds()).containsExactly(demoLead);
    assertThat(server.lead(base, stored.id()).getString(Leads.SCORING_STATUS)).isEqualTo(Leads.TO_BE_SCORED);
    assertThat(server.executionLog("sleepy")).isEmpty();

    server.setClientStatus("sleepy", "Active");
    server.refreshClients();
    assertThat(server.runToEnd("sleepy").getString("status")).isEqualTo("completed");
    assertThat(server.lead(base, stored.id()).getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);
  }

  @Test
  void pausingAClientInTheClientsTableTakesEffectAfterARefresh() {
    server.setClientStatus(DEMO, "Paused");
    JsonObject refreshed = server.refreshClients();
    assertThat(refreshed.getJsonArray("clients").getJsonObject(0).getString("status")).isEqualTo("Paused");

    assertThat(server.http().get("/run-batch-score?clientId=demo").status()).isEqualTo(409);
    assertThat(workerRefusal(DEMO).getMessage()).contains("Paused");
    TestHttp.Reply all = server.http().get("/run-batch-score");
    assertThat(all.status()).isEqualTo(202);
    assertThat(all.json().getJsonArray("runs")).isEmpty();
    assertThat(server.http().get("/score-lead?recordId=recAnything000000").status()).isEqualTo(409);

    // The only client is still the default one for webhooks, and they are stored.
    assertThat(server.http().post("/lh-webhook/upsertLeadOnly?wait=true", profile("while-paused")).status()).isEqualTo(200);
    assertThat(onlyLead(DEMO_BASE).string(Leads.SCORING_STATUS)).isEqualTo(Leads.TO_BE_SCORED);
    assertThat(scorer.calls()).isEmpty();
  }
}
