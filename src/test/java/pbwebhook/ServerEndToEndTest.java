package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.store.schema.Leads;

/**
 * The whole server on the embedded default with the configured (offline heuristic) scorer: each test gets a
 * fresh DATA_DIR and a random port with the demo client seeded, posts the profiles it needs, runs what it needs,
 * and reads back what an operator sees.
 */
class ServerEndToEndTest {

  /** What the offline heuristic gives the sample profile (examples/lh-profile.json) on the default rubric. */
  static final double JANE_SCORE = 28.95;

  @TempDir
  Path dataDir;

  TestServer server;
  TestHttp http;

  @BeforeEach
  void start() {
    startServer();
  }

  void startServer() {
    server = TestServer.startConfigured(dataDir, new JsonObject());
    http = server.http();
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  static String profile(String slug, String headline, String about, String extra) {
    return "{\"profileUrl\":\"https://www.linkedin.com/in/" + slug + "/\",\"firstName\":\"Test\",\"lastName\":\"" + slug
        + "\",\"headline\":\"" + headline + "\",\"summary\":\"" + about + "\"" + extra
        + ",\"experience\":[{\"title\":\"Founder\",\"company\":\"Acme\",\"dateRange\":\"2020 – Present\",\"description\":\"Runs it.\"}]}";
  }

  static String sample() throws Exception {
    return Files.readString(Path.of("examples/lh-profile.json"));
  }

  /** Posts the sample profile the way LinkedHelper does (acknowledged first), waits until it is stored, returns its inbox id. */
  String postSample() throws Exception {
    TestHttp.Reply r = http.post("/lh-webhook/upsertLeadOnly", sample());
    assertThat(r.status()).isEqualTo(200);
    awaitInboxDelivered();
    return r.json().getString("inboxId");
  }

  JsonObject leadByUrl(String slug) {
    JsonArray records = http.get("/api/clients/demo/leads?limit=1000").json().getJsonArray("records");
    List<JsonObject> matches = new ArrayList<>();
    for (Object o : records) {
      JsonObject r = (JsonObject) o;
      if (r.getJsonObject("fields").getString(Leads.LINKEDIN_PROFILE_URL, "").toLowerCase().contains("/in/" + slug)) {
        matches.add(r);
      }
    }
    assertThat(matches).as("leads for " + slug).hasSize(1);
    return matches.get(0);
  }

  /** Webhooks are acknowledged before the store write: wait (bounded) until the inbox has delivered everything. */
  void awaitInboxDelivered() {
    JsonObject[] inbox = new JsonObject[1];
    TestServer.awaitCondition("inbox has no pending entries", TestServer.RUN_DEADLINE, () -> {
      inbox[0] = http.get("/api/inbox").json();
      return inbox[0].getInteger("pending") == 0;
    });
    assertThat(inbox[0].getInteger("dead")).as("dead-lettered entries").isZero();
  }

  /** A short pause between polls; other tests' polling loops use it too. */
  static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The number of run entries in the demo client's Execution Log. */
  int executions() {
    String log = String.valueOf(server.executionLog(TestServer.DEMO));
    return log.split("=== EXECUTION: ", -1).length - 1;
  }

  @Test
  void startsWithTheDemoClientAndAHealthyStore() {
    assertThat(http.get("/health").body()).isEqualTo("ok");
    JsonObject detail = http.get("/health?detail=true").json();
    assertThat(detail.getString("status")).isEqualTo("ok");
    assertThat(detail.getJsonObject("store").getString("kind")).isEqualTo("embedded");
    assertThat(detail.getJsonObject("scorer").getString("provider")).contains("heuristic");
    JsonArray clients = http.get("/api/clients").json().getJsonArray("clients");
    assertThat(clients).hasSize(1);
    assertThat(clients.getJsonObject(0).getString("clientId")).isEqualTo("demo");
    assertThat(clients.getJsonObject(0).getString("status")).isEqualTo("Active");
  }

  @Test
  void theSampleProfileIsStoredAsALeadToBeScored() throws Exception {
    TestHttp.Reply r = http.post("/lh-webhook/upsertLeadOnly", sample());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("message")).isEqualTo("Accepted 1 LH profiles, Failed: 0");
    assertThat(r.json().getString("status")).isEqualTo("accepted");
    assertThat(r.json().getString("inboxId")).startsWith("ib_");
    awaitInboxDelivered();
    JsonObject lead = leadByUrl("jane-example-0001");
    assertThat(lead.getString("id")).startsWith("rec");
    assertThat(lead.getString("createdTime")).isNotBlank();
    JsonObject f = lead.getJsonObject("fields");
    assertThat(f.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.TO_BE_SCORED);
    assertThat(f.getString(Leads.FIRST_NAME)).isEqualTo("Jane");
    assertThat(f.getString(Leads.STATUS)).isEqualTo(Leads.STATUS_IN_PROCESS);
    assertThat(f.getString(Leads.LINKEDIN_CONNECTION_STATUS)).isEqualTo(Leads.CONNECTION_CANDIDATE);
    assertThat(f.getString(Leads.VIEW_IN_SALES_NAVIGATOR)).isEqualTo("https://www.linkedin.com/sales/lead/ACwAAAExampleHash0001");
  }

  @Test
  void theSameProfilePostedConcurrentlyInAnySpellingIsOneLead() throws Exception {
    String[] spellings = {"https://www.linkedin.com/in/dup-person/", "http://linkedin.com/in/dup-person",
        "https://LinkedIn.com/in/Dup-Person?trk=abc", "https://www.linkedin.com/in/dup-person#top"};
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        String url = spellings[i % spellings.length];
        String body = "{\"profileUrl\":\"" + url + "\",\"firstName\":\"Dup\",\"headline\":\"Founder of Dup Co\","
            + "\"summary\":\"A long enough about text for the duplicate test, over forty characters.\"}";
        calls.add(() -> http.post("/lh-webhook/upsertLeadOnly", body).status());
      }
      for (Future<Integer> f : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) assertThat(f.get()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
    awaitInboxDelivered();
    leadByUrl("dup-person");
    assertThat(server.leads(TestServer.DEMO_BASE)).as("all leads").hasSize(1);
  }

  @Test
  void aFirstDegreeProfileIsConnected() {
    TestHttp.Reply r = http.post("/lh-webhook/upsertLeadOnly?wait=true",
        "[" + profile("conn-friend", "CTO at Friends Ltd", "We build data platforms for retailers across Australia.",
            ",\"member_distance\":\"DISTANCE_1\"") + "]");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("status")).isEqualTo("delivered");
    assertThat(r.json().getString("message")).isEqualTo("Upserted/Updated 1 LH profiles, Failed: 0");
    assertThat(r.json().getInteger("created")).isEqualTo(1);
    JsonObject f = leadByUrl("conn-friend").getJsonObject("fields");
    assertThat(f.getString(Leads.LINKEDIN_CONNECTION_STATUS)).isEqualTo(Leads.CONNECTION_CONNECTED);
    assertThat(f.getString(Leads.SOURCE)).isEqualTo(Leads.SOURCE_EXISTING_CONNECTION);
    assertThat(f.getString(Leads.DATE_CONNECTED)).isNotBlank();
  }

  @Test
  void aBatchRunScoresLeadsSkipsThinOnesAndWritesTheExecutionLog() throws Exception {
    postSample();
    assertThat(http.post("/lh-webhook/upsertLeadOnly?wait=true", profile("thin-lead", "Consultant", "Short.", "")).status())
        .isEqualTo(200);
    TestHttp.Reply trigger = http.post("/run-batch-score", "");
    assertThat(trigger.status()).isEqualTo(202);
    JsonArray runs = trigger.json().getJsonArray("runs");
    assertThat(runs).hasSize(1);
    JsonObject started = runs.getJsonObject(0);
    assertThat(started.getString("clientId")).isEqualTo("demo");
    assertThat(started.getString("kind")).isEqualTo("leads");

    JsonObject run = server.waitForRun(started.getString("runId"));
    assertThat(run.getString("status")).isEqualTo("completed");
    JsonObject counts = run.getJsonObject("counts");
    assertThat(run.getJsonObject("progress").getInteger("total")).isEqualTo(2);
    assertThat(run.getJsonObject("progress").getInteger("done")).isEqualTo(2);
    assertThat(counts.getInteger("skipped")).isEqualTo(1);
    assertThat(counts.getInteger("successful")).isEqualTo(1);
    assertThat(counts.getInteger("failed")).isZero();
    assertThat(run.getJsonObject("tokens").getLong("total")).isPositive();

    JsonObject jane = leadByUrl("jane-example-0001").getJsonObject("fields");
    assertThat(jane.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);
    // The offline heuristic is deterministic: founder (headline, job title), head of product (job 2 title),
    // AI (headline) and automation (about) on the default rubric: 11 of 38 points.
    assertThat(jane.getDouble(Leads.AI_SCORE)).isEqualTo(JANE_SCORE);
    assertThat(jane.getString(Leads.AI_ATTRIBUTE_BREAKDOWN)).isEqualTo("""
        **Positive Attributes**:
        - **A (Founder / Co-Founder)**: 5 / 5
          ↳ Found "founder" in headline, job 1 title.

        - **C (Tech / Product seniority)**: 3 / 3
          ↳ Found "head of product" in job 2 title.

        - **K (Inbound warm-up)**: 3 / 3
          ↳ Found "AI" in headline; "automation" in about.


        **Negative Attributes**:

        **Total:** 11 / 38 ⇒ 29.0 % — Not Disqualified""");
    assertThat(jane.getString(Leads.AI_PROFILE_ASSESSMENT)).contains("offline heuristic scorer");
    assertThat(jane.getString(Leads.DATE_SCORED)).matches("\\d{4}-\\d{2}-\\d{2}");

    JsonObject thin = leadByUrl("thin-lead").getJsonObject("fields");
    assertThat(thin.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SKIPPED_TOO_THIN);
    assertThat(thin.getDouble(Leads.AI_SCORE)).isZero();

    String log = server.executionLog(TestServer.DEMO);
    assertThat(log).startsWith("=== EXECUTION: ");
    assertThat(log).contains("STATUS: Completed successfully\nLEADS PROCESSED: 1/2 successful\n");
    assertThat(executions()).isEqualTo(1);
  }

  @Test
  void aRevisitWithUnchangedContentKeepsTheScore() throws Exception {
    String sampleInboxId = postSample();
    assertThat(server.runToEnd(TestServer.DEMO).getString("status")).isEqualTo("completed");
    String sample = sample();
    TestHttp.Reply again = http.post("/lh-webhook/upsertLeadOnly", sample);
    assertThat(again.status()).isEqualTo(200);
    // The same body within the retention period is the same webhook: acknowledged again, not written again.
    assertThat(again.json().getString("inboxId")).isEqualTo(sampleInboxId);
    assertThat(again.json().getBoolean("duplicate")).isTrue();
    JsonObject jane = leadByUrl("jane-example-0001").getJsonObject("fields");
    assertThat(jane.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);

    String changed = new JsonObject(sample).put("summary", "Now running a completely different venture in robotics.").encode();
    TestHttp.Reply revisit = http.post("/lh-webhook/upsertLeadOnly?wait=true", changed);
    assertThat(revisit.status()).isEqualTo(200);
    assertThat(revisit.json().getInteger("updated")).isEqualTo(1);
    jane = leadByUrl("jane-example-0001").getJsonObject("fields");
    assertThat(jane.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.TO_BE_SCORED);
    assertThat(jane.getString(Leads.EMAIL)).isEqualTo("jane@example.org");
  }

  @Test
  void scoreLeadScoresOneLeadNowAndWaitGivesTheOldSummary() throws Exception {
    postSample();
    String id = leadByUrl("jane-example-0001").getString("id");
    JsonObject one = http.get("/score-lead?recordId=" + id).json();
    assertThat(one.getString("id")).isEqualTo(id);
    assertThat(one.getDouble("finalPct")).isEqualTo(JANE_SCORE);
    assertThat(one.getString("breakdown")).contains("**Total:** 11 / 38");
    assertThat(leadByUrl("jane-example-0001").getJsonObject("fields").getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);
    assertThat(executions()).as("score-lead is not a run").isZero();

    assertThat(http.get("/score-lead?recordId=recDoesNotExist00").status()).isEqualTo(404);

    http.post("/lh-webhook/upsertLeadOnly?wait=true", profile("sync-lead", "Founder and CEO", "Founder of a funded startup building AI tools for clinics.", ""));
    TestHttp.Reply sync = http.get("/run-batch-score?clientId=demo&wait=true&limit=5");
    assertThat(sync.status()).isEqualTo(200);
    JsonObject body = sync.json();
    assertThat(body.getBoolean("ok")).isTrue();
    assertThat(body.getJsonObject("summary").getInteger("clientsProcessed")).isEqualTo(1);
    assertThat(body.getJsonObject("summary").getInteger("totalSuccessful")).isEqualTo(1);
    assertThat(body.getJsonArray("clientResults").getJsonObject(0).getString("clientId")).isEqualTo("demo");
    assertThat(executions()).isEqualTo(1);

    // a second run adds its own entry to the log
    http.post("/lh-webhook/upsertLeadOnly?wait=true", profile("sync-lead-2", "Founder and CEO", "Founder of a funded startup building AI tools for clinics.", ""));
    TestHttp.Reply second = http.get("/run-batch-score?clientId=demo&wait=true&limit=5");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.json().getJsonObject("summary").getInteger("totalSuccessful")).isEqualTo(1);
    assertThat(executions()).isEqualTo(2);
  }

  @Test
  void badInputGetsAClearErrorAndTheServerKeepsServing() {
    TestHttp.Reply notJson = http.post("/lh-webhook/upsertLeadOnly", "{not json");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().getString("error")).contains("not valid JSON");

    TestHttp.Reply noUrl = http.post("/lh-webhook/upsertLeadOnly", "{\"firstName\":\"Nobody\"}");
    assertThat(noUrl.status()).isEqualTo(400);
    assertThat(noUrl.json().getString("error")).contains("no URL");

    TestHttp.Reply unknown = http.post("/lh-webhook/upsertLeadOnly?clientId=nope", profile("x-y", "h", "a", ""));
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getString("error")).contains("unknown client: nope");

    TestHttp.Reply scalar = http.post("/lh-webhook/upsertLeadOnly", "42");
    assertThat(scalar.status()).isEqualTo(400);
    assertThat(scalar.json().getString("error")).contains("JSON object or an array");

    TestHttp.Reply deep = http.post("/lh-webhook/upsertLeadOnly", "[".repeat(100) + "]".repeat(100));
    assertThat(deep.status()).isEqualTo(400);
    assertThat(deep.json().getString("error")).contains("nested deeper than 64");

    TestHttp.Reply badLimit = http.get("/run-batch-score?limit=abc");
    assertThat(badLimit.status()).isEqualTo(400);
    assertThat(badLimit.json().getString("error")).contains("limit");

    assertThat(http.get("/api/runs/nope").status()).isEqualTo(404);
    assertThat(http.get("/score-lead").status()).isEqualTo(400);
    assertThat(http.get("/no/such/route").status()).isEqualTo(404);

    TestHttp.Reply mixed = http.post("/lh-webhook/upsertLeadOnly",
        "[{\"firstName\":\"NoUrl\"}," + profile("mixed-ok", "Founder", "An about text that is comfortably over forty characters.", "") + "]");
    assertThat(mixed.status()).isEqualTo(200);
    assertThat(mixed.json().getString("message")).isEqualTo("Accepted 1 LH profiles, Failed: 1");
    assertThat(mixed.json().getJsonArray("errors").getString(0)).contains("profile[0]").contains("no URL");

    assertThat(http.get("/health").body()).isEqualTo("ok");
  }

  @Test
  void theEmbeddedDataSurvivesARestart() throws Exception {
    postSample();
    assertThat(server.runToEnd(TestServer.DEMO).getString("status")).isEqualTo("completed");

    server.close();
    server = null;
    startServer();

    assertThat(http.get("/api/clients").json().getJsonArray("clients")).hasSize(1);
    JsonObject jane = leadByUrl("jane-example-0001").getJsonObject("fields");
    assertThat(jane.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);
    assertThat(jane.getDouble(Leads.AI_SCORE)).isEqualTo(JANE_SCORE);
    assertThat(executions()).isEqualTo(1);
    Map<String, String> none = Map.of();
    assertThat(http.get("/health", none).status()).isEqualTo(200);
  }
}
