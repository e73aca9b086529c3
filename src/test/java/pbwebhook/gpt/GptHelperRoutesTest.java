package pbwebhook.gpt;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Await;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.clients.HelperKeyStore;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.scoring.DefaultRubric;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.schema.Credentials;
import pbwebhook.store.schema.Leads;
import pbwebhook.store.schema.ScoringAttributes;

/** The Custom-GPT helper routes on the real server (embedded store): per-client keys, and what each route does. */
class GptHelperRoutesTest {

  static final String ADMIN_TOKEN = "admin-token-for-gpt-helper-tests-0123456789";
  static final String CHAT_URL = "https://chat.example.org/g/g-demo-gpt";

  @TempDir
  Path dataDir;

  TestServer server;
  TestHttp http;
  String demoKey;
  String acmeKey;
  String leadId;

  @BeforeEach
  void start() {
    server = TestServer.start(dataDir, new ScriptedScorer(),
        new JsonObject().put("ADMIN_TOKEN", ADMIN_TOKEN).put("GPT_CHAT_URL", CHAT_URL));
    http = server.http();
    server.addClient("acme", "Active", DefaultRubric.scoringAttributeRows());
    demoKey = newKey(DEMO);
    acmeKey = newKey("acme");
    leadId = server.addLead(DEMO_BASE, new JsonObject()
        .put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/jane-example-0001")
        .put(Leads.FIRST_NAME, "Jane").put(Leads.HEADLINE, "Founder at Example Labs").put(Leads.EMAIL, "jane@example.org")
        .put(Leads.PHONE, "+61 400 000 000").put(Leads.ABOUT, LONG_ABOUT)
        .put(Leads.PROFILE_FULL_JSON, new JsonObject().put("headline", "Founder at Example Labs").put("about", LONG_ABOUT)
            .encode()));
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  static Map<String, String> admin() {
    return Map.of("Authorization", "Bearer " + ADMIN_TOKEN, "Content-Type", "application/json");
  }

  static Map<String, String> key(String key) {
    return Map.of("Authorization", "Bearer " + key, "Content-Type", "application/json");
  }

  String newKey(String clientId) {
    TestHttp.Reply r = http.post("/api/clients/" + clientId + "/helper-key", "", admin());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("clientId")).isEqualTo(clientId);
    assertThat(r.json().getLong("previousKeyValidForHours")).isEqualTo(24L);
    return r.json().getString("helperKey");
  }

  /** Every helper route, for client demo, as (method, path, body). */
  List<String[]> routes() {
    return List.of(
        new String[] {"GET", "/pointer?clientId=demo&recordId=" + leadId, null},
        new String[] {"GET", "/latest-lead?clientId=demo", null},
        new String[] {"POST", "/update-lead?clientId=demo", "{\"nextMessage\":\"Hi Jane\"}"},
        new String[] {"GET", "/prompt?clientId=demo", null},
        new String[] {"GET", "/prompt?clientId=demo&raw=1", null},
        new String[] {"PATCH", "/attribute/A?clientId=demo", "{\"Max Points\":6}"},
        new String[] {"GET", "/profileRecord?clientId=demo&id=" + leadId, null});
  }

  TestHttp.Reply call(String[] route, Map<String, String> headers) {
    return switch (route[0]) {
      case "GET" -> http.get(route[1], headers);
      case "POST" -> http.post(route[1], route[2], headers);
      default -> http.patch(route[1], route[2], headers);
    };
  }

  @Test
  void everyRouteRefusesACallerWithoutTheClientsKeyAndServesTheKeyOrTheAdminToken() {
    for (String[] route : routes()) {
      String what = route[0] + " " + route[1];
      TestHttp.Reply none = call(route, Map.of("Content-Type", "application/json"));
      assertThat(none.status()).as(what + " without a key").isEqualTo(401);
      assertThat(none.json().getString("error")).startsWith("missing helper key");
      TestHttp.Reply other = call(route, key(acmeKey));
      assertThat(other.status()).as(what + " with acme's key").isEqualTo(401);
      assertThat(other.json().getString("error")).isEqualTo("invalid helper key for this client");
      TestHttp.Reply made = call(route, key("not-a-key-of-anyone"));
      assertThat(made.status()).as(what + " with a made-up key").isEqualTo(401);
      assertThat(made.json().getString("error")).isEqualTo("invalid helper key");
      assertThat(call(route, Map.of("X-Helper-Key", acmeKey, "Content-Type", "application/json")).status())
          .as(what + " with acme's key in X-Helper-Key").isEqualTo(401);
    }
    // The pointer first: latest-lead and update-lead need the chat's lead.
    for (String[] route : routes()) {
      int expected = route[1].startsWith("/pointer") ? 302 : 200;
      assertThat(call(route, key(demoKey)).status()).as(route[0] + " " + route[1] + " with demo's key").isEqualTo(expected);
      assertThat(call(route, admin()).status()).as(route[0] + " " + route[1] + " with the admin token").isEqualTo(expected);
    }
    // A browser opening the pointer link carries the key in the URL.
    TestHttp.Reply link = http.get("/pointer?clientId=demo&recordId=" + leadId + "&key=" + demoKey);
    assertThat(link.status()).isEqualTo(302);
    assertThat(link.header("Location")).isEqualTo(CHAT_URL);
    // acme's own key works for acme.
    assertThat(http.get("/prompt?clientId=acme", key(acmeKey)).status()).isEqualTo(200);
  }

  @Test
  void onlyDigestsOfTheKeysAreStoredAndARotationKeepsThePreviousKeyForItsGrace() throws Exception {
    String file = Files.readString(dataDir.resolve(HelperKeyStore.FILE_NAME));
    assertThat(file).doesNotContain(demoKey).doesNotContain(acmeKey);
    String rotated = newKey(DEMO);
    assertThat(rotated).isNotEqualTo(demoKey).hasSize(43);
    assertThat(http.get("/prompt?clientId=demo", key(rotated)).status()).isEqualTo(200);
    assertThat(http.get("/prompt?clientId=demo", key(demoKey)).status()).isEqualTo(200);
    assertThat(http.post("/api/clients/nobody/helper-key", "", admin()).status()).isEqualTo(404);
    assertThat(http.post("/api/clients/demo/helper-key", "", key(rotated)).status()).isEqualTo(401);
  }

  @Test
  void thePointerStoresTheLeadAndLatestLeadReturnsExactlyTheVisibleFields() {
    Record credentials = credentials(DEMO_BASE);
    Await.within(server.store().update(DEMO_BASE, Credentials.TABLE, List.of(new Record(credentials.id(), null,
        new JsonObject().put(Credentials.GPT_VISIBLE_FIELDS, "First Name, Headline,,Notes ,Email")))));

    TestHttp.Reply pointer = http.get("/pointer?clientId=demo&recordId=" + leadId, key(demoKey));
    assertThat(pointer.status()).isEqualTo(302);
    assertThat(pointer.header("Location")).isEqualTo(CHAT_URL);
    assertThat(credentials(DEMO_BASE).string(Credentials.RECORD_ID_FOR_CHAT)).isEqualTo(leadId);

    TestHttp.Reply latest = http.get("/latest-lead?clientId=demo", key(demoKey));
    assertThat(latest.status()).isEqualTo(200);
    // Notes is listed but empty on the lead: left out, as before; Phone and About are not listed.
    assertThat(latest.json()).isEqualTo(new JsonObject().put("First Name", "Jane")
        .put("Headline", "Founder at Example Labs").put("Email", "jane@example.org"));

    TestHttp.Reply unknown = http.get("/pointer?clientId=demo&recordId=recNoSuchLead00000", key(demoKey));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(credentials(DEMO_BASE).string(Credentials.RECORD_ID_FOR_CHAT)).isEqualTo(leadId);
    assertThat(http.get("/pointer?clientId=demo", key(demoKey)).json().getString("error"))
        .isEqualTo("recordId query parameter is required");
  }

  @Test
  void latestLeadBeforeAnyPointerIs404NamingThePointer() {
    TestHttp.Reply r = http.get("/latest-lead?clientId=acme", key(acmeKey));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().getString("error")).isEqualTo("no lead is chosen for the chat: open /pointer?recordId=<lead> first");
  }

  @Test
  void updateLeadWritesTheMessageAndABadSendAtIs400NamingIt() {
    assertThat(http.get("/pointer?clientId=demo&recordId=" + leadId, key(demoKey)).status()).isEqualTo(302);

    TestHttp.Reply ok = http.post("/update-lead?clientId=demo", new JsonObject().put("nextMessage", "  Hi Jane, coffee?  ")
        .put("sendAt", "Tue, 1 Jul 2025 09:30:00 +1000").put("messageStatus", "Ready").encode(), key(demoKey));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json()).isEqualTo(new JsonObject().put("success", true));
    JsonObject lead = server.lead(DEMO_BASE, leadId);
    assertThat(lead.getString(Leads.MESSAGE_TO_BE_SENT)).isEqualTo("Hi Jane, coffee?");
    assertThat(lead.getString(Leads.SEND_AT)).isEqualTo("2025-06-30T23:30:00Z");
    assertThat(lead.getString(Leads.MESSAGE_STATUS)).isEqualTo("Ready");

    TestHttp.Reply bad = http.post("/update-lead?clientId=demo", new JsonObject().put("nextMessage", "Changed")
        .put("sendAt", "next tuesday at 10").encode(), key(demoKey));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getString("error")).startsWith("sendAt is not a date-time: \"next tuesday at 10\"");
    assertThat(server.lead(DEMO_BASE, leadId).getString(Leads.MESSAGE_TO_BE_SENT)).isEqualTo("Hi Jane, coffee?");

    TestHttp.Reply iso = http.post("/update-lead?clientId=demo", new JsonObject().put("nextMessage", "Second")
        .put("sendAt", "2025-07-02T08:00:00+02:00").encode(), key(demoKey));
    assertThat(iso.status()).isEqualTo(200);
    assertThat(server.lead(DEMO_BASE, leadId).getString(Leads.SEND_AT)).isEqualTo("2025-07-02T06:00:00Z");

    TestHttp.Reply missing = http.post("/update-lead?clientId=demo", "{\"sendAt\":\"2025-07-02\"}", key(demoKey));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getString("error")).isEqualTo("nextMessage is required: a non-empty string");
  }

  @Test
  void patchAttributeChangesOnlyEditableFieldsWithValuesOfTheirType() {
    TestHttp.Reply heading = http.patch("/attribute/A?clientId=demo", "{\"fieldName\":\"Heading\",\"value\":\"Boss\"}",
        key(demoKey));
    assertThat(heading.status()).isEqualTo(400);
    assertThat(heading.json().getString("error")).startsWith("field \"Heading\" is not editable here");
    TestHttp.Reply category = http.patch("/attribute/A?clientId=demo", "{\"Category\":\"Negative\",\"Max Points\":2}",
        key(demoKey));
    assertThat(category.status()).isEqualTo(400);
    assertThat(category.json().getString("error")).startsWith("field \"Category\" is not editable here");
    TestHttp.Reply typed = http.patch("/attribute/A?clientId=demo", "{\"Max Points\":\"nine\"}", key(demoKey));
    assertThat(typed.status()).isEqualTo(400);
    assertThat(typed.json().getString("error")).isEqualTo("Max Points must be a number, not the string \"nine\"");
    JsonObject before = attribute(DEMO_BASE, "A").fields();

    // The prompt is read (and cached) first, so the edit must also clear the cache.
    assertThat(http.get("/prompt?clientId=demo", key(demoKey)).json().getString("prompt")).contains("\"maxPoints\" : 5");
    TestHttp.Reply ok = http.patch("/attribute/A?clientId=demo", "{\"Max Points\":9,\"Instructions\":\"Owns the company.\"}",
        key(demoKey));
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json().getJsonObject("fields")).isEqualTo(new JsonObject().put("Max Points", 9)
        .put("Instructions", "Owns the company."));
    JsonObject after = attribute(DEMO_BASE, "A").fields();
    assertThat(after.getInteger(ScoringAttributes.MAX_POINTS)).isEqualTo(9);
    assertThat(after.getString(ScoringAttributes.INSTRUCTIONS)).isEqualTo("Owns the company.");
    assertThat(after.getString(ScoringAttributes.HEADING)).isEqualTo(before.getString(ScoringAttributes.HEADING));
    assertThat(after.getString(ScoringAttributes.CATEGORY)).isEqualTo(before.getString(ScoringAttributes.CATEGORY));
    String prompt = http.get("/prompt?clientId=demo", key(demoKey)).json().getString("prompt");
    assertThat(prompt).contains("\"instructions\" : \"Owns the company.\"").contains("\"maxPoints\" : 9");

    TestHttp.Reply old = http.patch("/attribute/N1?clientId=demo", "{\"fieldName\":\"Disqualifying\",\"value\":true}",
        key(demoKey));
    assertThat(old.status()).isEqualTo(200);
    assertThat(attribute(DEMO_BASE, "N1").fields().getBoolean(ScoringAttributes.DISQUALIFYING)).isTrue();
    // acme's rubric is its own.
    assertThat(attribute("acme-base", "A").fields().getInteger(ScoringAttributes.MAX_POINTS)).isEqualTo(5);

    assertThat(http.patch("/attribute/ZZ9?clientId=demo", "{\"Max Points\":1}", key(demoKey)).status()).isEqualTo(404);
  }

  @Test
  void profileRecordReturnsTheParsedProfile() {
    TestHttp.Reply r = http.get("/profileRecord?clientId=demo&id=" + leadId, key(demoKey));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).isEqualTo(new JsonObject().put("profile", new JsonObject()
        .put("headline", "Founder at Example Labs").put("about", LONG_ABOUT)));
    assertThat(http.get("/profileRecord?clientId=demo&id=recNoSuchLead00000", key(demoKey)).status()).isEqualTo(404);
  }

  @Test
  void thePointerWithoutAChatUrlIs503NamingTheSetting() {
    server.close();
    server = TestServer.start(dataDir, new ScriptedScorer(), new JsonObject().put("ADMIN_TOKEN", ADMIN_TOKEN));
    TestHttp.Reply r = server.http().get("/pointer?clientId=demo&recordId=" + leadId, admin());
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.json().getString("error")).startsWith("GPT_CHAT_URL is not set");
  }

  Record credentials(String baseId) {
    List<Record> rows = Await.within(server.store().listAll(baseId, Credentials.TABLE, ListQuery.all()));
    assertThat(rows).isNotEmpty();
    return rows.get(0);
  }

  Record attribute(String baseId, String id) {
    List<Record> rows = Await.within(server.store().listAll(baseId, ScoringAttributes.TABLE,
        ListQuery.where(Filter.eq(ScoringAttributes.ATTRIBUTE_ID, id))));
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }
}
