package pbwebhook.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.scoring.DefaultRubric;
import pbwebhook.store.Record;
import pbwebhook.store.schema.Leads;

/**
 * The client API on the embedded store, with admin token and a global webhook secret set (no demo mode): a
 * client created over HTTP is provisioned, takes webhooks with its own secret and is scored, with no restart and
 * no wait for the client cache.
 */
class ClientAdminTest {

  private static final String ADMIN = "admin-token-for-tests";
  private static final String GLOBAL_SECRET = "global-webhook-secret";
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + ADMIN,
      "Content-Type", "application/json");

  @TempDir
  Path dataDir;

  private final ScriptedScorer scorer = new ScriptedScorer();
  private TestServer server;

  private TestServer start(JsonObject extra) {
    server = TestServer.start(dataDir, scorer, new JsonObject().put("ADMIN_TOKEN", ADMIN)
        .put("PB_WEBHOOK_SECRET", GLOBAL_SECRET).mergeIn(extra));
    return server;
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private TestHttp.Reply createClient(JsonObject body) {
    return server.http().post("/api/clients", body.encode(), AUTH);
  }

  private static String profile(String slug) {
    return new JsonObject().put("profileUrl", "https://www.linkedin.com/in/" + slug + "/").put("firstName", "Pat")
        .put("headline", "Founder at " + slug).put("summary", LONG_ABOUT).encode();
  }

  private TestHttp.Reply webhook(String clientId, String slug, String secret) {
    return server.http().post("/lh-webhook/upsertLeadOnly?clientId=" + clientId + "&wait=true", profile(slug),
        Map.of("Content-Type", "application/json", "X-Webhook-Secret", secret));
  }

  private JsonObject runToEnd(String clientId) {
    TestHttp.Reply r = server.http().get("/run-batch-score?clientId=" + clientId, AUTH);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    String runId = r.json().getJsonArray("runs").getJsonObject(0).getString("runId");
    JsonObject[] last = new JsonObject[1];
    TestServer.awaitCondition("run " + runId + " finished", TestServer.RUN_DEADLINE, () -> {
      last[0] = server.http().get("/api/runs/" + runId, AUTH).json();
      return !"running".equals(last[0].getString("status"));
    });
    return last[0];
  }

  @Test
  void aClientCreatedOverHttpIsProvisionedTakesWebhooksWithItsOwnSecretAndIsScored() throws Exception {
    start(new JsonObject());
    TestHttp.Reply created = createClient(new JsonObject().put("clientName", "Acme Co. (UK)"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject c = created.json();
    assertThat(c.getString("clientId")).isEqualTo("acme-co-uk");
    assertThat(c.getString("clientName")).isEqualTo("Acme Co. (UK)");
    assertThat(c.getString("status")).isEqualTo("Active");
    assertThat(c.getString("baseId")).isEqualTo("acme-co-uk");
    JsonObject provisioned = c.getJsonObject("provisioned");
    assertThat(provisioned.getBoolean("baseCreated")).isTrue();
    assertThat(provisioned.getJsonArray("tablesCreated").getList()).containsExactly("Leads", "Scoring Attributes",
        "Post Scoring Attributes", "Post Scoring Instructions", "Credentials");
    assertThat(provisioned.getJsonObject("rowsSeeded").getMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "Scoring Attributes", DefaultRubric.scoringAttributeRows().size(),
        "Post Scoring Attributes", DefaultRubric.postScoringAttributeRows().size(),
        "Post Scoring Instructions", DefaultRubric.postScoringInstructionRows().size(),
        "Credentials", 1));
    String secret = c.getString("webhookSecret");
    assertThat(secret).matches("[A-Za-z0-9_-]{43}");

    // The secrets file is private to the server's user.
    Path file = dataDir.resolve(WebhookSecretStore.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

    // Its own secret replaces the global one for this client.
    assertThat(webhook("acme-co-uk", "global-try", GLOBAL_SECRET).status()).isEqualTo(403);
    TestHttp.Reply hook = webhook("acme-co-uk", "first-lead", secret);
    assertThat(hook.status()).as(hook.body()).isEqualTo(200);
    assertThat(hook.json().getString("message")).isEqualTo("Upserted/Updated 1 LH profiles, Failed: 0");

    JsonObject run = runToEnd("acme-co-uk");
    assertThat(run.getString("status")).as(run.encode()).isEqualTo("completed");
    List<Record> leads = server.leads("acme-co-uk");
    assertThat(leads).hasSize(1);
    assertThat(leads.get(0).string(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);
    String log = server.http().get("/api/clients/acme-co-uk", AUTH).json().getString("executionLog");
    assertThat(log).startsWith("=== EXECUTION: ").contains("LEADS PROCESSED: 1/1 successful");
    // The secret is never shown again.
    assertThat(server.http().get("/api/clients", AUTH).body()).doesNotContain(secret);
    assertThat(server.http().get("/api/clients/acme-co-uk", AUTH).body()).doesNotContain(secret);
  }

  @Test
  void badOrClashingClientsAreRefusedNamingTheProblem() {
    start(new JsonObject());
    TestHttp.Reply badId = createClient(new JsonObject().put("clientName", "X").put("clientId", "Bad_ID"));
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.json().getString("error")).startsWith("invalid clientId \"Bad_ID\"");
    TestHttp.Reply noName = createClient(new JsonObject().put("clientId", "x"));
    assertThat(noName.status()).isEqualTo(400);
    assertThat(noName.json().getString("error")).contains("clientName is required");
    TestHttp.Reply badStatus = createClient(new JsonObject().put("clientName", "Y").put("status", "Sleeping"));
    assertThat(badStatus.status()).isEqualTo(400);
    assertThat(badStatus.json().getString("error")).isEqualTo("invalid status \"Sleeping\": expected \"Active\" or \"Paused\"");
    TestHttp.Reply extra = createClient(new JsonObject().put("clientName", "Y").put("color", "red"));
    assertThat(extra.status()).isEqualTo(400);
    assertThat(extra.json().getString("error")).startsWith("unknown field(s) [color]");
    TestHttp.Reply budget = createClient(new JsonObject().put("clientName", "Y").put("monthlyTokenBudget", -5));
    assertThat(budget.status()).isEqualTo(400);
    assertThat(budget.json().getString("error")).startsWith("invalid monthlyTokenBudget -5");
    TestHttp.Reply notJson = server.http().post("/api/clients", "{nope", AUTH);
    assertThat(notJson.status()).isEqualTo(400);

    TestHttp.Reply dupId = createClient(new JsonObject().put("clientName", "Demo"));
    assertThat(dupId.status()).isEqualTo(409);
    assertThat(dupId.json().getString("error")).isEqualTo("client id demo already exists");
    TestHttp.Reply dupBase = createClient(new JsonObject().put("clientName", "Other").put("baseId", "demo"));
    assertThat(dupBase.status()).isEqualTo(409);
    assertThat(dupBase.json().getString("error")).isEqualTo("base demo is already used by client demo");
    // Nothing was half-created by the refusals.
    assertThat(server.http().get("/api/clients", AUTH).json().getJsonArray("clients")).hasSize(1);
    assertThat(server.http().post("/api/clients", "{}", Map.of("Content-Type", "application/json")).status())
        .isEqualTo(401);
  }

  @Test
  void pausingOverHttpTakesEffectAtOnceAndWebhooksAreStillStored() {
    start(new JsonObject());
    String secret = createClient(new JsonObject().put("clientName", "Beta").put("monthlyTokenBudget", 5000))
        .json().getString("webhookSecret");

    TestHttp.Reply paused = server.http().patch("/api/clients/beta", new JsonObject().put("status", "Paused")
        .put("clientName", "Beta Ltd").encode(), AUTH);
    assertThat(paused.status()).as(paused.body()).isEqualTo(200);
    assertThat(paused.json()).isEqualTo(new JsonObject().put("clientId", "beta").put("clientName", "Beta Ltd")
        .put("status", "Paused").put("baseId", "beta").put("monthlyTokenBudget", 5000L));

    assertThat(webhook("beta", "while-paused", secret).status()).isEqualTo(200);
    assertThat(server.leads("beta")).hasSize(1);
    TestHttp.Reply all = server.http().get("/run-batch-score", AUTH);
    assertThat(all.status()).isEqualTo(202);
    JsonArray runs = all.json().getJsonArray("runs");
    assertThat(runs.stream().map(r -> ((JsonObject) r).getString("clientId")).toList()).containsExactly("demo");
    assertThat(server.http().get("/run-batch-score?clientId=beta", AUTH).status()).isEqualTo(409);

    TestHttp.Reply active = server.http().patch("/api/clients/beta", new JsonObject().put("status", "Active")
        .putNull("monthlyTokenBudget").encode(), AUTH);
    assertThat(active.json().getValue("monthlyTokenBudget")).isNull();
    assertThat(runToEnd("beta").getString("status")).isEqualTo("completed");
    assertThat(server.leads("beta").get(0).string(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);

    assertThat(server.http().patch("/api/clients/nobody", "{\"status\":\"Paused\"}", AUTH).status()).isEqualTo(404);
    TestHttp.Reply clash = server.http().patch("/api/clients/beta", "{\"baseId\":\"demo\"}", AUTH);
    assertThat(clash.status()).isEqualTo(409);
    assertThat(server.http().patch("/api/clients/beta", "{}", AUTH).status()).isEqualTo(400);
  }

  @Test
  void aRotatedSecretKeepsTheOldOneWorkingForTheGracePeriod() {
    start(new JsonObject());
    String first = createClient(new JsonObject().put("clientName", "Gamma")).json().getString("webhookSecret");
    TestHttp.Reply rotated = server.http().post("/api/clients/gamma/webhook-secret", "", AUTH);
    assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
    assertThat(rotated.json().getString("clientId")).isEqualTo("gamma");
    String second = rotated.json().getString("webhookSecret");
    assertThat(second).isNotEqualTo(first).matches("[A-Za-z0-9_-]{43}");
    assertThat(webhook("gamma", "with-new", second).status()).isEqualTo(200);
    assertThat(webhook("gamma", "with-old", first).status()).isEqualTo(200);

    // A second rotation ends the first secret's grace: only the one just replaced still works.
    String third = server.http().post("/api/clients/gamma/webhook-secret", "", AUTH).json().getString("webhookSecret");
    assertThat(webhook("gamma", "with-first", first).status()).isEqualTo(403);
    assertThat(webhook("gamma", "with-second", second).status()).isEqualTo(200);
    assertThat(webhook("gamma", "with-third", third).status()).isEqualTo(200);
    assertThat(server.http().post("/api/clients/nobody/webhook-secret", "", AUTH).status()).isEqualTo(404);
  }

  @Test
  void withNoGraceTheOldSecretStopsAtOnceAndTheEnvironmentSecretWins() {
    start(new JsonObject().put("SECRET_ROTATION_GRACE_H", 0).put("WEBHOOK_SECRET_DELTA", "from-the-environment"));
    String deltaSecret = createClient(new JsonObject().put("clientName", "Delta")).json().getString("webhookSecret");
    assertThat(webhook("delta", "file-secret", deltaSecret).status()).isEqualTo(403);
    assertThat(webhook("delta", "env-secret", "from-the-environment").status()).isEqualTo(200);

    String first = createClient(new JsonObject().put("clientName", "Echo")).json().getString("webhookSecret");
    String second = server.http().post("/api/clients/echo/webhook-secret", "", AUTH).json().getString("webhookSecret");
    assertThat(webhook("echo", "old", first).status()).isEqualTo(403);
    assertThat(webhook("echo", "new", second).status()).isEqualTo(200);
  }
}
