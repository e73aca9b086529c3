package pbwebhook.clients;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Server;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.AirtableBases;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.scoring.DefaultRubric;
import pbwebhook.store.schema.BaseLayout;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.Credentials;
import pbwebhook.store.schema.ExecutionSummary;
import pbwebhook.store.schema.FieldSpec;
import pbwebhook.store.schema.Leads;
import pbwebhook.store.schema.PostScoringAttributes;
import pbwebhook.store.schema.PostScoringInstructions;
import pbwebhook.store.schema.ScoringAttributes;

/**
 * The client API on the Airtable store against the fake Airtable and its metadata endpoints: a new base created in
 * the workspace and scored end to end, and an existing base missing a table and two fields repaired.
 */
class AirtableProvisioningTest {

  private static final String KEY = "patTENANTS.0123456789";
  private static final String ADMIN = "admin-token-for-tests";
  private static final String GLOBAL_SECRET = "global-webhook-secret";
  private static final String MASTER = "appMasterBase0001";
  private static final String WORKSPACE = "wspAgencyWorkspac";
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + ADMIN,
      "Content-Type", "application/json");

  @TempDir
  Path dataDir;
  private Vertx fakeVertx;
  private Vertx vertx;
  private FakeAirtable fake;
  private Server server;
  private TestHttp http;

  @BeforeEach
  void setUp() throws Exception {
    fakeVertx = Vertx.vertx();
    fake = new FakeAirtable(fakeVertx, KEY);
    fake.start().await(10, TimeUnit.SECONDS);
    fake.penaltyMillis(1000);
    fake.createWorkspace(WORKSPACE);
    AirtableBases.master(fake, MASTER);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) server.stop().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    fake.close().await(10, TimeUnit.SECONDS);
    fakeVertx.close().await(10, TimeUnit.SECONDS);
  }

  private void startServer(boolean withWorkspace) throws Exception {
    JsonObject c = new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("AIRTABLE_API_KEY", KEY).put("MASTER_CLIENTS_BASE_ID", MASTER).put("AIRTABLE_ENDPOINT_URL", fake.url())
        .put("AIRTABLE_RATE_LIMIT_PENALTY_S", 1).put("AIRTABLE_TIMEOUT_MS", 10_000)
        .put("ADMIN_TOKEN", ADMIN).put("PB_WEBHOOK_SECRET", GLOBAL_SECRET).put("DATA_DIR", dataDir.toString());
    if (withWorkspace) c.put("AIRTABLE_WORKSPACE_ID", WORKSPACE);
    server = Server.start(vertx, AppConfig.from(c), new ScriptedScorer()).await(30, TimeUnit.SECONDS);
    http = new TestHttp(server.port());
  }

  private static List<String> names(JsonArray a) {
    List<String> out = new ArrayList<>();
    a.forEach(o -> out.add(String.valueOf(o)));
    return out;
  }

  @Test
  void aClientWithoutBaseGetsANewTypedBaseInTheWorkspaceAndIsScored() throws Exception {
    startServer(true);
    TestHttp.Reply created = http.post("/api/clients", new JsonObject().put("clientName", "Zeta Labs").encode(), AUTH);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject c = created.json();
    String baseId = c.getString("baseId");
    assertThat(baseId).matches("app[A-Za-z0-9]{14}");
    JsonObject p = c.getJsonObject("provisioned");
    assertThat(p.getBoolean("baseCreated")).isTrue();
    assertThat(names(p.getJsonArray("tablesCreated"))).containsExactly(Leads.TABLE, ScoringAttributes.TABLE,
        PostScoringAttributes.TABLE, PostScoringInstructions.TABLE, Credentials.TABLE);
    assertThat(p.getJsonObject("rowsSeeded").getMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
        ScoringAttributes.TABLE, DefaultRubric.scoringAttributeRows().size(),
        PostScoringAttributes.TABLE, DefaultRubric.postScoringAttributeRows().size(),
        PostScoringInstructions.TABLE, DefaultRubric.postScoringInstructionRows().size(),
        Credentials.TABLE, 1));

    // Typed as the scoring writes them.
    Map<String, JsonObject> leads = fake.fieldDefinitions(baseId, Leads.TABLE);
    assertThat(leads.keySet()).containsExactlyElementsOf(
        BaseLayout.clientBase(ScoringAttributes.TABLE).get(Leads.TABLE).stream().map(FieldSpec::name).toList());
    assertThat(leads.get(Leads.AI_SCORE).getString("type")).isEqualTo("number");
    assertThat(leads.get(Leads.AI_SCORE).getJsonObject("options").getInteger("precision")).isEqualTo(2);
    assertThat(leads.get(Leads.AI_EXCLUDED).getString("type")).isEqualTo("checkbox");
    assertThat(leads.get(Leads.DATE_SCORED).getString("type")).isEqualTo("date");
    assertThat(leads.get(Leads.AI_ATTRIBUTE_BREAKDOWN).getString("type")).isEqualTo("multilineText");
    assertThat(fake.fieldDefinitions(baseId, ScoringAttributes.TABLE).get(ScoringAttributes.DISQUALIFYING)
        .getString("type")).isEqualTo("checkbox");

    String secret = c.getString("webhookSecret");
    String profile = new JsonObject().put("profileUrl", "https://www.linkedin.com/in/zeta-lead/").put("firstName", "Zed")
        .put("headline", "Founder at Zeta").put("summary", TestServer.LONG_ABOUT).encode();
    TestHttp.Reply hook = http.post("/lh-webhook/upsertLeadOnly?clientId=zeta-labs&wait=true", profile,
        Map.of("Content-Type", "application/json", "X-Webhook-Secret", secret));
    assertThat(hook.status()).as(hook.body()).isEqualTo(200);

    TestHttp.Reply run = http.post("/run-batch-score?clientId=zeta-labs", "", AUTH);
    assertThat(run.status()).as(run.body()).isEqualTo(202);
    String runId = run.json().getJsonArray("runs").getJsonObject(0).getString("runId");
    JsonObject[] last = new JsonObject[1];
    TestServer.awaitCondition("run finished", Duration.ofSeconds(60), () -> {
      last[0] = http.get("/api/runs/" + runId, AUTH).json();
      return !"running".equals(last[0].getString("status"));
    });
    assertThat(last[0].getString("status")).as(last[0].encode()).isEqualTo("completed");
    List<JsonObject> stored = fake.records(baseId, Leads.TABLE);
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).getJsonObject("fields").getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);
    JsonObject row = fake.records(MASTER, Clients.TABLE).get(0).getJsonObject("fields");
    assertThat(row.getString(Clients.CLIENT_ID)).isEqualTo("zeta-labs");
    assertThat(row.getString(Clients.AIRTABLE_BASE_ID)).isEqualTo(baseId);
    TestServer.awaitCondition("execution log written", Duration.ofSeconds(10), () -> fake.records(MASTER, Clients.TABLE)
        .get(0).getJsonObject("fields").getString(Clients.EXECUTION_LOG, "").contains("LEADS PROCESSED: 1/1 successful"));
  }

  @Test
  void withoutAWorkspaceANewBaseIsRefusedNamingTheSetting() throws Exception {
    startServer(false);
    TestHttp.Reply r = http.post("/api/clients", new JsonObject().put("clientName", "Nobase").encode(), AUTH);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("error")).contains("AIRTABLE_WORKSPACE_ID");
    assertThat(fake.records(MASTER, Clients.TABLE)).isEmpty();
  }

  @Test
  void aBaseMissingATableAndTwoFieldsIsReportedAndRepairedWithoutTouchingWhatIsThere() throws Exception {
    String baseId = "appHandMadeBase01";
    BaseLayout.clientBase(ScoringAttributes.TABLE).forEach((table, specs) -> {
      if (table.equals(Credentials.TABLE)) return;
      Set<String> fields = new java.util.LinkedHashSet<>(specs.stream().map(FieldSpec::name).toList());
      if (table.equals(Leads.TABLE)) {
        fields.removeAll(Set.of(Leads.AI_SCORE, Leads.DATE_SCORED));
        fields.add("Custom Notes");
      }
      fake.createTable(baseId, table, fields);
    });
    DefaultRubric.scoringAttributeRows().forEach(r -> fake.insert(baseId, ScoringAttributes.TABLE, r));
    startServer(false);
    TestHttp.Reply created = http.post("/api/clients", new JsonObject().put("clientName", "Hand Made")
        .put("baseId", baseId).put("provision", false).encode(), AUTH);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().containsKey("provisioned")).isFalse();

    JsonObject schema = http.get("/api/clients/hand-made/schema", AUTH).json();
    assertThat(names(schema.getJsonArray("missingTables"))).containsExactly(Credentials.TABLE);
    assertThat(schema.getJsonObject("missingFields")).isEqualTo(new JsonObject()
        .put(Leads.TABLE, new JsonArray().add(Leads.AI_SCORE).add(Leads.DATE_SCORED)));
    assertThat(schema.getJsonObject("optionalMissing")).isEqualTo(new JsonObject());
    assertThat(schema.getJsonObject("extraFieldsIgnored"))
        .isEqualTo(new JsonObject().put(Leads.TABLE, new JsonArray().add("Custom Notes")));

    TestHttp.Reply repaired = http.post("/api/clients/hand-made/schema/repair", "", AUTH);
    assertThat(repaired.status()).as(repaired.body()).isEqualTo(200);
    JsonObject r = repaired.json().getJsonObject("repaired");
    assertThat(names(r.getJsonArray("tablesCreated"))).containsExactly(Credentials.TABLE);
    assertThat(names(r.getJsonObject("fieldsCreated").getJsonArray(Leads.TABLE)))
        .containsExactly(Leads.AI_SCORE, Leads.DATE_SCORED);
    assertThat(r.getJsonObject("fieldsCreated").getJsonArray(Credentials.TABLE)).hasSize(7);
    // The lead rubric had rows, so it was left alone; the empty rubric tables were seeded.
    assertThat(r.getJsonObject("rowsSeeded").getMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
        PostScoringAttributes.TABLE, DefaultRubric.postScoringAttributeRows().size(),
        PostScoringInstructions.TABLE, DefaultRubric.postScoringInstructionRows().size(),
        Credentials.TABLE, 1));
    assertThat(fake.records(baseId, ScoringAttributes.TABLE)).hasSize(DefaultRubric.scoringAttributeRows().size());
    assertThat(fake.fieldDefinitions(baseId, Leads.TABLE).get(Leads.AI_SCORE).getJsonObject("options"))
        .isEqualTo(new JsonObject().put("precision", 2));

    JsonObject after = http.get("/api/clients/hand-made/schema", AUTH).json();
    assertThat(after.getJsonArray("missingTables")).isEmpty();
    assertThat(after.getJsonObject("missingFields")).isEmpty();
    assertThat(after.getJsonObject("extraFieldsIgnored").getJsonArray(Leads.TABLE).getList()).containsExactly("Custom Notes");
    // A second repair has nothing left to do.
    JsonObject again = http.post("/api/clients/hand-made/schema/repair", "", AUTH).json().getJsonObject("repaired");
    assertThat(again.getJsonArray("tablesCreated")).isEmpty();
    assertThat(again.getJsonObject("fieldsCreated")).isEmpty();
    assertThat(again.getJsonObject("rowsSeeded")).isEmpty();
  }

  @Test
  void theMasterBaseGetsItsOptionalTableAndBudgetField() throws Exception {
    startServer(false);
    JsonObject schema = http.get("/api/master/schema", AUTH).json();
    assertThat(schema.getJsonArray("missingTables")).isEmpty();
    assertThat(schema.getJsonObject("missingFields")).isEmpty();
    assertThat(schema.getJsonObject("optionalMissing").getJsonArray(Clients.TABLE).getList())
        .containsExactly(BaseLayout.MONTHLY_TOKEN_BUDGET);
    assertThat(schema.getJsonObject("optionalMissing").getJsonArray(ExecutionSummary.TABLE)).hasSize(15);

    JsonObject r = http.post("/api/master/schema/repair", "", AUTH).json().getJsonObject("repaired");
    assertThat(names(r.getJsonArray("tablesCreated"))).containsExactly(ExecutionSummary.TABLE);
    assertThat(names(r.getJsonObject("fieldsCreated").getJsonArray(Clients.TABLE)))
        .containsExactly(BaseLayout.MONTHLY_TOKEN_BUDGET);
    assertThat(fake.tableNames(MASTER)).containsExactly(Clients.TABLE, ExecutionSummary.TABLE);
    JsonObject after = http.get("/api/master/schema", AUTH).json();
    assertThat(after.getJsonObject("optionalMissing")).isEmpty();
  }
}
