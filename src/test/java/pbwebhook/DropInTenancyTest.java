package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.AirtableBases;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.Leads;

/**
 * An existing deployment switched over as it is: its senders post to /lh-webhook/upsertLeadOnly naming no
 * client, its environment has the old AIRTABLE_BASE_ID and CLIENTS_BASE_ID. The client on that base takes
 * those webhooks, unless DEFAULT_CLIENT_ID names another.
 */
class DropInTenancyTest {

  static final String KEY = "patTESTKEY.0123456789abcdef";
  static final String SECRET = "old-deployment-secret";
  static final String MASTER = "appMasterBase0001";
  static final String OLD_BASE = "appOldSingleBase1";
  static final String OTHER_BASE = "appAnotherClient2";

  @TempDir
  Path dataDir;
  Vertx fakeVertx = Vertx.vertx();
  Vertx vertx = Vertx.vertx();
  FakeAirtable fake;
  Server server;
  TestHttp http;

  @BeforeEach
  void setUp() throws Exception {
    fake = new FakeAirtable(fakeVertx, KEY);
    fake.start().await(10, TimeUnit.SECONDS);
    AirtableBases.master(fake, MASTER);
    AirtableBases.clientBase(fake, OLD_BASE);
    AirtableBases.clientBase(fake, OTHER_BASE);
    // The old base's client is not the first row, so "the first client" would pick the wrong one.
    AirtableBases.addClient(fake, MASTER, "newer-client", OTHER_BASE, Clients.STATUS_ACTIVE);
    AirtableBases.addClient(fake, MASTER, "original-client", OLD_BASE, Clients.STATUS_ACTIVE);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) server.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
    fake.close().await(10, TimeUnit.SECONDS);
    fakeVertx.close().await(10, TimeUnit.SECONDS);
  }

  private void start(JsonObject extra) throws Exception {
    AppConfig config = AppConfig.from(new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("DATA_DIR", dataDir.toString()).put("AIRTABLE_API_KEY", KEY).put("AIRTABLE_ENDPOINT_URL", fake.url())
        .put("AIRTABLE_RATE_LIMIT_PENALTY_S", 1).put("AIRTABLE_TIMEOUT_MS", 10_000)
        .put("CLIENTS_BASE_ID", MASTER).put("AIRTABLE_BASE_ID", OLD_BASE).put("PB_WEBHOOK_SECRET", SECRET)
        .mergeIn(extra));
    server = Server.start(vertx, config).await(30, TimeUnit.SECONDS);
    http = new TestHttp(server.port());
  }

  private TestHttp.Reply postUnnamed(String slug) {
    String body = new JsonObject().put("profileUrl", "https://www.linkedin.com/in/" + slug + "/").put("firstName", "Old")
        .put("headline", "Founder").encode();
    return http.post("/lh-webhook/upsertLeadOnly?wait=true&secret=" + SECRET, body, Map.of("Content-Type", "application/json"));
  }

  private List<String> urls(String baseId) {
    return fake.records(baseId, Leads.TABLE).stream()
        .map(r -> r.getJsonObject("fields").getString(Leads.LINKEDIN_PROFILE_URL)).toList();
  }

  @Test
  void aWebhookNamingNoClientGoesToTheClientOnAirtableBaseId() throws Exception {
    start(new JsonObject());
    TestHttp.Reply r = postUnnamed("kept-sender");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("status")).isEqualTo("delivered");
    assertThat(r.json().getString("clientId")).isEqualTo("original-client");
    assertThat(urls(OLD_BASE)).containsExactly("https://www.linkedin.com/in/kept-sender");
    assertThat(urls(OTHER_BASE)).isEmpty();
  }

  @Test
  void defaultClientIdStillDecides() throws Exception {
    start(new JsonObject().put("DEFAULT_CLIENT_ID", "newer-client"));
    TestHttp.Reply r = postUnnamed("explicit-default");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("clientId")).isEqualTo("newer-client");
    assertThat(urls(OTHER_BASE)).containsExactly("https://www.linkedin.com/in/explicit-default");
    assertThat(urls(OLD_BASE)).isEmpty();
  }

  @Test
  void withoutAClientOnThatBaseAWebhookNamingNoClientIsStill400() throws Exception {
    start(new JsonObject().put("AIRTABLE_BASE_ID", "appNoClientHere9"));
    TestHttp.Reply r = postUnnamed("nowhere");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().getString("error"))
        .isEqualTo("no client given: pass ?clientId=, the X-Client-Id header, or set DEFAULT_CLIENT_ID");
  }
}
