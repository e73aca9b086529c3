package pbwebhook.http;

import pbwebhook.Await;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pbwebhook.Server;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.AirtableBases;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.scoring.DefaultRubric;
import pbwebhook.store.schema.ExecutionSummary;

/** The operator dashboard: its static files, and {@code GET /api/execution-summary} over runs the server really made. */
class DashboardRoutesTest {

  private static final String ADMIN = "dashboard-admin-token";
  private static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + ADMIN);

  @TempDir
  Path dataDir;

  private final ScriptedScorer scorer = new ScriptedScorer().byDefault(ScriptedScorer.fullMarks());
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private static List<String> executionIds(JsonObject reply) {
    List<String> ids = new ArrayList<>();
    for (Object o : reply.getJsonArray("records")) {
      ids.add(((JsonObject) o).getJsonObject("fields").getString(ExecutionSummary.EXECUTION_ID));
    }
    return ids;
  }

  private JsonObject summary(String query) {
    TestHttp.Reply r = server.http().get("/api/execution-summary" + query);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getBoolean("available")).as(r.body()).isTrue();
    return r.json();
  }

  @Test
  void theSummaryShowsEveryFinishedRunNewestFirstAndCanBeLimitedAndFilteredByClient() {
    server = TestServer.start(dataDir, scorer);
    String acmeBase = server.addClient("acme", "Active", DefaultRubric.scoringAttributeRows());
    List<String> demoRuns = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      server.addLead(DEMO_BASE, "summary-lead-" + i, LONG_ABOUT);
      demoRuns.add(server.runToEnd(DEMO).getString("runId"));
    }
    server.addLead(acmeBase, "acme-lead", LONG_ABOUT);
    String acmeRun = server.runToEnd("acme").getString("runId");

    JsonObject all = summary("");
    assertThat(executionIds(all)).containsExactly(acmeRun, demoRuns.get(2), demoRuns.get(1), demoRuns.get(0));
    assertThat(all.getInteger("count")).isEqualTo(4);
    JsonObject newest = all.getJsonArray("records").getJsonObject(0);
    assertThat(newest.getString("id")).startsWith("rec");
    assertThat(newest.getJsonObject("fields").getMap())
        .containsEntry(ExecutionSummary.CLIENT_ID, "acme")
        .containsEntry(ExecutionSummary.PROCESS_TYPE, "Lead Scoring")
        .containsEntry(ExecutionSummary.STATUS, "Completed successfully")
        .containsEntry(ExecutionSummary.LEADS_PROCESSED, 1)
        .containsEntry(ExecutionSummary.LEADS_SUCCESSFUL, 1);

    assertThat(executionIds(summary("?limit=2"))).containsExactly(acmeRun, demoRuns.get(2));
    assertThat(executionIds(summary("?clientId=demo"))).containsExactly(demoRuns.get(2), demoRuns.get(1), demoRuns.get(0));
    assertThat(executionIds(summary("?clientId=demo&limit=1"))).containsExactly(demoRuns.get(2));
    assertThat(executionIds(summary("?clientId=nobody"))).isEmpty();
  }

  @Test
  void theViewsSumTheRunsTheServerMadeToday() {
    server = TestServer.start(dataDir, scorer);
    String acmeBase = server.addClient("acme", "Active", DefaultRubric.scoringAttributeRows());
    for (int i = 0; i < 2; i++) {
      server.addLead(DEMO_BASE, "view-lead-" + i, LONG_ABOUT);
      server.runToEnd(DEMO);
    }
    server.addLead(acmeBase, "acme-view-lead-1", LONG_ABOUT);
    server.addLead(acmeBase, "acme-view-lead-2", LONG_ABOUT);
    server.runToEnd("acme");
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();

    JsonObject todays = summary("?view=today");
    assertThat(todays.getString("view")).isEqualTo("today");
    assertThat(todays.getString("timeZone")).isEqualTo("UTC");
    assertThat(todays.getString("from")).isIn(today, java.time.LocalDate.parse(today).minusDays(1).toString());
    assertThat(todays.getInteger("count")).isEqualTo(3);

    JsonArray clients = summary("?view=by-client").getJsonArray("clients");
    assertThat(clients.stream().map(c -> ((JsonObject) c).getString("clientId"))).containsExactly("acme", DEMO);
    assertThat(clients.getJsonObject(0).getInteger("runs")).isEqualTo(1);
    assertThat(clients.getJsonObject(0).getLong("leadsProcessed")).isEqualTo(2L);
    assertThat(clients.getJsonObject(0).getDouble("successRate")).isEqualTo(100.0);
    assertThat(clients.getJsonObject(1).getInteger("runs")).isEqualTo(2);
    assertThat(clients.getJsonObject(1).getLong("leadsProcessed")).isEqualTo(2L);

    JsonArray points = summary("?view=trends&days=2&clientId=acme").getJsonArray("points");
    assertThat(points).hasSize(2);
    assertThat(points.getJsonObject(1).getString("date")).isEqualTo(today);
    assertThat(points.getJsonObject(1).getInteger("runs")).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "view=weekly | unknown view 'weekly': use one of today, 7d, by-client, trends",
      "view=trends&days=91 | days must be between 1 and 90, not 91",
      "view=by-client&days=0 | days must be between 1 and 90, not 0",
  })
  void aBadViewOrPeriodIsRefusedWith400NamingIt(String query, String error) {
    server = TestServer.start(dataDir, scorer);
    TestHttp.Reply r = server.http().get("/api/execution-summary?" + query);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().getString("error")).isEqualTo(error);
  }

  @ParameterizedTest(name = "limit={0}")
  @CsvSource({"0", "501", "-3", "ten", "2.5"})
  void aLimitOutsideOneTo500IsRefusedWith400NamingIt(String limit) {
    server = TestServer.start(dataDir, scorer);
    TestHttp.Reply r = server.http().get("/api/execution-summary?limit=" + limit);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().getString("error")).startsWith("limit must be");
  }

  @Test
  void aMalformedClientIdIsRefusedWith400() {
    server = TestServer.start(dataDir, scorer);
    TestHttp.Reply r = server.http().get("/api/execution-summary?clientId=%3Cscript%3E");
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().getString("error")).contains("invalid client id");
  }

  @Test
  void withAnAdminTokenTheSummaryNeedsItButTheDashboardFilesDoNot() {
    server = TestServer.start(dataDir, scorer, new JsonObject().put("ADMIN_TOKEN", ADMIN));
    TestHttp http = server.http();
    assertThat(http.get("/api/execution-summary").status()).isEqualTo(401);
    assertThat(http.get("/api/execution-summary", Map.of("Authorization", "Bearer wrong")).status()).isEqualTo(401);
    TestHttp.Reply ok = http.get("/api/execution-summary", AUTH);
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json().getJsonArray("records")).isEmpty();

    for (String file : List.of("/dashboard/", "/dashboard/index.html", "/dashboard/app.js", "/dashboard/style.css")) {
      assertThat(http.get(file).status()).as(file).isEqualTo(200);
    }
  }

  @Test
  void theDashboardFilesAreServedWithTheirContentTypesAndTheRootRedirectsToThem() {
    server = TestServer.start(dataDir, scorer);
    TestHttp http = server.http();

    TestHttp.Reply page = http.get("/dashboard/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("content-type")).startsWith("text/html");
    assertThat(page.body()).contains("<script src=\"app.js\" defer></script>", "<link rel=\"stylesheet\" href=\"style.css\">");
    assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(http.get("/dashboard/index.html").body()).isEqualTo(page.body());

    assertThat(http.get("/dashboard/app.js").header("content-type")).matches("(text|application)/javascript.*");
    assertThat(http.get("/dashboard/style.css").header("content-type")).startsWith("text/css");

    for (String path : List.of("/", "/dashboard")) {
      TestHttp.Reply r = http.get(path);
      assertThat(r.status()).as(path).isEqualTo(302);
      assertThat(r.header("Location")).as(path).isEqualTo("/dashboard/");
    }
    assertThat(http.get("/dashboard/missing.js").status()).isEqualTo(404);
    assertThat(http.get("/dashboard/../pom.xml").status()).isNotEqualTo(200);
  }

  /** Data reaches the page as text only: the served script never hands a string to the HTML parser. */
  @Test
  void theServedScriptNeverInsertsMarkup() {
    server = TestServer.start(dataDir, scorer);
    String app = server.http().get("/dashboard/app.js").body();
    assertThat(app).contains("textContent", "createTextNode");
    for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function")) {
      assertThat(app).as(sink).doesNotContain(sink);
    }
  }

  /**
   * No CDN or web font: the page loads nothing but its own files, the chart library this server serves from its
   * webjar (versioned path) and the server's own API.
   */
  @Test
  void thePageLoadsNothingFromAnotherOriginAndHasNoInlineScript() {
    server = TestServer.start(dataDir, scorer);
    TestHttp http = server.http();
    for (String file : List.of("/dashboard/", "/dashboard/app.js", "/dashboard/style.css", "/dashboard/favicon.svg")) {
      TestHttp.Reply r = http.get(file);
      assertThat(r.status()).as(file).isEqualTo(200);
      // an SVG's namespace name is an identifier, not something fetched
      assertThat(r.body().replace("xmlns=\"http://www.w3.org/2000/svg\"", "")).as(file)
          .doesNotContainPattern("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}/?")
          .doesNotContainIgnoringCase("@import");
    }
    Matcher scripts = Pattern.compile("<script([^>]*)>").matcher(http.get("/dashboard/").body());
    List<String> sources = new ArrayList<>();
    while (scripts.find()) {
      Matcher src = Pattern.compile("src=\"([^\"]+)\"").matcher(scripts.group(1));
      assertThat(src.find()).as("every script is a file: " + scripts.group(1)).isTrue();
      sources.add(src.group(1));
    }
    assertThat(sources).containsExactly("vendor/echarts/5.3.1/dist/echarts.common.min.js", "app.js");
    TestHttp.Reply library = http.get("/dashboard/" + sources.get(0));
    assertThat(library.status()).isEqualTo(200);
    assertThat(library.header("content-type")).matches("(text|application)/javascript.*");
    assertThat(library.body()).contains("echarts");
    assertThat(http.get("/dashboard/vendor/echarts/").status()).as("no directory listing").isNotEqualTo(200);
  }

  /** Existing Airtable master bases often lack the table: the dashboard is told so, it does not get an error. */
  @Test
  void aMasterBaseWithoutTheTableAnswers200WithTheReason() {
    Vertx fakeVertx = Vertx.vertx();
    Vertx vertx = Vertx.vertx();
    String key = "patDASHBOARDKEY.0123456789";
    FakeAirtable fake = new FakeAirtable(fakeVertx, key);
    Server airtableServer = null;
    try {
      Await.within(fake.start());
      AirtableBases.master(fake, "appMasterBase0001");
      airtableServer = Await.within(Server.start(vertx, AppConfig.from(new JsonObject()
          .put("HTTP_HOST", "127.0.0.1").put("PORT", 0).put("DATA_DIR", dataDir.toString())
          .put("AIRTABLE_API_KEY", key).put("MASTER_CLIENTS_BASE_ID", "appMasterBase0001")
          .put("AIRTABLE_ENDPOINT_URL", fake.url()).put("ADMIN_TOKEN", ADMIN))));
      TestHttp.Reply r = new TestHttp(airtableServer.port()).get("/api/execution-summary?clientId=alpha", AUTH);

      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().getBoolean("available")).isFalse();
      assertThat(r.json().getJsonArray("records")).isEqualTo(new JsonArray());
      assertThat(r.json().getString("reason")).contains("Execution Summary").doesNotContain(key);
    } finally {
      if (airtableServer != null) Await.within(airtableServer.stop());
      Await.within(vertx.close());
      Await.within(fake.close());
      Await.within(fakeVertx.close());
    }
  }
}
