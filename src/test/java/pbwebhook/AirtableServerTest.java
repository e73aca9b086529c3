package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.AirtableBases;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.Leads;

/**
 * The whole server on the Airtable store, against a fake Airtable that enforces Airtable's limits
 * (requests per second per base, 10 records a write, 100 a page, 422 on unknown fields, 429 penalty box).
 */
class AirtableServerTest {

  static final String KEY = "patTESTKEY.0123456789abcdef";
  static final String ADMIN = "admin-token-for-tests";
  static final String SECRET = "webhook-secret-for-tests";
  static final String MASTER = "appMasterBase0001";
  static final String BASE_A = "appClientAlpha001";
  static final String BASE_B = "appClientBravo002";
  static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + ADMIN);
  static final String INJECTION = "O'Brien \"x\" \\ }) , OR(1=1";

  @org.junit.jupiter.api.io.TempDir
  Path dataDir;
  Vertx fakeVertx;
  Vertx vertx;
  FakeAirtable fake;
  Server server;
  TestHttp http;

  @BeforeEach
  void setUp() {
    fakeVertx = Vertx.vertx();
    fake = new FakeAirtable(fakeVertx, KEY);
    Await.within(fake.start());
    fake.penaltyMillis(1000);
    AirtableBases.master(fake, MASTER);
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    if (server != null) Await.within(server.stop());
    Await.within(vertx.close());
    Await.within(fake.close());
    Await.within(fakeVertx.close());
  }

  void startServer(int rps) {
    startServer(rps, MASTER);
  }

  void startServer(int rps, String masterBaseId) {
    fake.rateLimit(rps);
    AppConfig config = AppConfig.from(new JsonObject()
        .put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("AIRTABLE_API_KEY", KEY).put("MASTER_CLIENTS_BASE_ID", masterBaseId)
        .put("AIRTABLE_ENDPOINT_URL", fake.url()).put("AIRTABLE_RPS", rps)
        .put("AIRTABLE_RATE_LIMIT_PENALTY_S", 1).put("AIRTABLE_TIMEOUT_MS", 10_000)
        .put("ADMIN_TOKEN", ADMIN).put("PB_WEBHOOK_SECRET", SECRET)
        // the durable inbox lives in DATA_DIR whatever the store; senders here go faster than the accept limit
        .put("DATA_DIR", dataDir.toString()).put("WEBHOOK_RATE_PER_S", 0));
    assertThat(config.store()).isEqualTo(AppConfig.StoreKind.AIRTABLE);
    server = Await.within(Server.start(vertx, config));
    http = new TestHttp(server.port());
  }

  TestHttp.Reply postProfiles(String clientId, String body) {
    return http.post("/lh-webhook/upsertLeadOnly?wait=true&clientId=" + clientId, body,
        Map.of("Content-Type", "application/json", "X-Webhook-Secret", SECRET));
  }

  static String profile(int i) {
    return new JsonObject().put("profileUrl", "https://www.linkedin.com/in/bulk-lead-" + i + "/")
        .put("firstName", "Bulk").put("lastName", "Lead " + i)
        .put("headline", i % 3 == 0 ? "Founder and CEO at Startup " + i : "Engineer at Company " + i)
        .put("summary", "Profile number " + i + " with an about text that is comfortably longer than forty characters.")
        .encode();
  }

  JsonObject waitForRun(String runId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject run = http.get("/api/runs/" + runId, AUTH).json();
      if (!"running".equals(run.getString("status"))) return run;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    throw new AssertionError("run " + runId + " still running after 120 s");
  }

  String startRun(String clientId) {
    TestHttp.Reply r = http.post("/run-batch-score?clientId=" + clientId, "", AUTH);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().getJsonArray("runs").getJsonObject(0).getString("runId");
  }

  List<JsonObject> leads(String baseId) {
    return fake.records(baseId, Leads.TABLE).stream().map(r -> r.getJsonObject("fields")).toList();
  }

  @Test
  void theWalkThroughWorksAgainstAirtable() throws Exception {
    AirtableBases.clientBase(fake, BASE_A);
    AirtableBases.addClient(fake, MASTER, "alpha", BASE_A, Clients.STATUS_ACTIVE);
    startServer(5);

    assertThat(http.get("/lh-webhook/upsertLeadOnly").status()).isEqualTo(404);
    TestHttp.Reply noSecret = http.post("/lh-webhook/upsertLeadOnly", "{}");
    assertThat(noSecret.status()).isEqualTo(401);

    TestHttp.Reply posted = postProfiles("alpha", Files.readString(Path.of("examples/lh-profile.json")));
    assertThat(posted.status()).as(posted.body()).isEqualTo(200);
    assertThat(leads(BASE_A)).hasSize(1);

    JsonObject run = waitForRun(startRun("alpha"));
    assertThat(run.getString("status")).isEqualTo("completed");
    JsonObject lead = leads(BASE_A).get(0);
    assertThat(lead.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);
    assertThat(lead.getString(Leads.AI_ATTRIBUTE_BREAKDOWN)).contains("**Total:**");

    JsonObject scored = http.get("/api/clients/alpha/leads?status=Scored", AUTH).json();
    assertThat(scored.getInteger("count")).isEqualTo(1);

    String log = fake.records(MASTER, Clients.TABLE).get(0).getJsonObject("fields").getString(Clients.EXECUTION_LOG);
    assertThat(log).startsWith("=== EXECUTION: ").contains("LEADS PROCESSED: 1/1 successful");

    JsonObject health = http.get("/api/clients/alpha/health", AUTH).json();
    assertThat(health.getBoolean("reachable")).isTrue();
    assertThat(health.getBoolean("healthy")).isTrue();
    assertThat(fake.all429s()).isZero();
  }

  @Test
  void aThousandLeadsAreIngestedAndScoredAtTheRateLimitWithoutA429() throws Exception {
    int rps = 20;
    AirtableBases.clientBase(fake, BASE_A);
    AirtableBases.addClient(fake, MASTER, "alpha", BASE_A, Clients.STATUS_ACTIVE);
    startServer(rps);
    int before = fake.requests(BASE_A);

    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      List<Callable<Integer>> posts = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        String body = profile(i);
        posts.add(() -> postProfiles("alpha", body).status());
      }
      for (Future<Integer> f : pool.invokeAll(posts, 120, TimeUnit.SECONDS)) assertThat(f.get()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
    int ingestRequests = fake.requests(BASE_A) - before;
    assertThat(leads(BASE_A)).hasSize(1000);
    // One upsert per 10 profiles, plus the lead index load and the odd partial batch at the burst's edges.
    assertThat(ingestRequests).isLessThanOrEqualTo(100 + 5);

    int beforeRun = fake.requests(BASE_A);
    JsonObject run = waitForRun(startRun("alpha"));
    assertThat(run.getString("status")).as(run.encode()).isEqualTo("completed");
    assertThat(run.getJsonObject("counts").getInteger("successful")).isEqualTo(1000);
    int scoringRequests = fake.requests(BASE_A) - beforeRun;
    // 10 pages of 100 and 100 writes of 10, plus the rubric and the retry query.
    assertThat(scoringRequests).isLessThanOrEqualTo(112);
    assertThat(leads(BASE_A)).allSatisfy(l -> assertThat(l.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED));

    assertThat(fake.all429s()).isZero();
    assertThat(fake.maxRequestsInAnySecond(BASE_A)).isLessThanOrEqualTo(rps);
  }

  @Test
  void a429MidRunIsWaitedOutAndTheRunCompletes() {
    AirtableBases.clientBase(fake, BASE_A);
    AirtableBases.addClient(fake, MASTER, "alpha", BASE_A, Clients.STATUS_ACTIVE);
    startServer(5);
    StringBuilder batch = new StringBuilder("[");
    for (int i = 0; i < 30; i++) batch.append(i == 0 ? "" : ",").append(profile(i));
    assertThat(postProfiles("alpha", batch.append("]").toString()).status()).isEqualTo(200);

    fake.inject429s(1);
    JsonObject run = waitForRun(startRun("alpha"));
    assertThat(fake.all429s()).isEqualTo(1);
    assertThat(run.getString("status")).as(run.encode()).isEqualTo("completed");
    assertThat(run.getJsonObject("counts").getInteger("successful")).isEqualTo(30);
  }

  @Test
  void anUnknownFieldIsReportedByNameAndTheHealthCheckShowsIt() {
    AirtableBases.clientBase(fake, BASE_A, Set.of(Leads.AI_EXCLUDED));
    AirtableBases.addClient(fake, MASTER, "alpha", BASE_A, Clients.STATUS_ACTIVE);
    startServer(5);
    assertThat(postProfiles("alpha", profile(1)).status()).isEqualTo(200);

    JsonObject run = waitForRun(startRun("alpha"));
    assertThat(run.getString("status")).isEqualTo("completed_with_errors");
    assertThat(run.getJsonArray("errors").encode()).contains("AI_Excluded").contains("Leads");
    String log = fake.records(MASTER, Clients.TABLE).get(0).getJsonObject("fields").getString(Clients.EXECUTION_LOG);
    assertThat(log).contains("STATUS: Completed with errors").contains("AI_Excluded");

    TestHttp.Reply health = http.get("/api/clients/alpha/health", AUTH);
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.json().getJsonObject("missingFields").getJsonArray("Leads").getList()).containsExactly(Leads.AI_EXCLUDED);
  }

  @Test
  void injectionStringsRoundTripLiterally() {
    AirtableBases.clientBase(fake, BASE_A);
    AirtableBases.addClient(fake, MASTER, "alpha", BASE_A, Clients.STATUS_ACTIVE);
    startServer(5);
    String body = new JsonObject().put("profileUrl", "https://www.linkedin.com/in/obrien").put("firstName", INJECTION)
        .put("headline", INJECTION).put("summary", "About text long enough to be scored, with " + INJECTION).encode();
    assertThat(postProfiles("alpha", body).status()).isEqualTo(200);
    assertThat(postProfiles("alpha", body).status()).isEqualTo(200);
    assertThat(leads(BASE_A)).hasSize(1);
    assertThat(leads(BASE_A).get(0).getString(Leads.FIRST_NAME)).isEqualTo(INJECTION);

    TestHttp.Reply filtered = http.get("/api/clients/alpha/leads?status=" + java.net.URLEncoder.encode(INJECTION,
        java.nio.charset.StandardCharsets.UTF_8), AUTH);
    assertThat(filtered.status()).as(filtered.body()).isEqualTo(200);
    assertThat(filtered.json().getInteger("count")).isZero();
    JsonArray toScore = http.get("/api/clients/alpha/leads?status=To%20Be%20Scored", AUTH).json().getJsonArray("records");
    assertThat(toScore).hasSize(1);
    assertThat(toScore.getJsonObject(0).getJsonObject("fields").getString(Leads.HEADLINE)).isEqualTo(INJECTION);
  }

  @Test
  void aClientWhoseBaseFailsDoesNotStopTheOthers() {
    AirtableBases.clientBase(fake, BASE_A);
    AirtableBases.clientBase(fake, BASE_B);
    fake.forbidBase(BASE_B);
    AirtableBases.addClient(fake, MASTER, "alpha", BASE_A, Clients.STATUS_ACTIVE);
    AirtableBases.addClient(fake, MASTER, "bravo", BASE_B, Clients.STATUS_ACTIVE);
    startServer(5);
    assertThat(postProfiles("alpha", profile(1)).status()).isEqualTo(200);

    TestHttp.Reply r = http.post("/run-batch-score", "", AUTH);
    assertThat(r.status()).isEqualTo(202);
    JsonArray runs = r.json().getJsonArray("runs");
    assertThat(runs).hasSize(2);
    for (Object o : runs) {
      JsonObject started = (JsonObject) o;
      JsonObject run = waitForRun(started.getString("runId"));
      if ("alpha".equals(started.getString("clientId"))) {
        assertThat(run.getString("status")).isEqualTo("completed");
      } else {
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getJsonArray("errors").encode()).contains(BASE_B);
      }
    }
    List<JsonObject> clients = fake.records(MASTER, Clients.TABLE);
    String bravoLog = clients.stream().map(c -> c.getJsonObject("fields"))
        .filter(f -> "bravo".equals(f.getString(Clients.CLIENT_ID))).findFirst().orElseThrow()
        .getString(Clients.EXECUTION_LOG);
    assertThat(bravoLog).contains("STATUS: Failed").contains("Fatal error:");
    TestHttp.Reply health = http.get("/api/clients/bravo/health", AUTH);
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.json().getBoolean("reachable")).isFalse();
  }

  @Test
  void theServerStartsWhileTheMasterBaseIsUnreachableAndPicksTheClientsUpLater() {
    String lateMaster = "appLateMaster0001";
    AirtableBases.clientBase(fake, BASE_A);
    startServer(5, lateMaster);
    assertThat(http.get("/health").body()).isEqualTo("ok");
    TestHttp.Reply early = postProfiles("alpha", profile(1));
    assertThat(early.status()).as(early.body()).isEqualTo(503);
    assertThat(early.json().getString("error")).contains("clients unavailable");

    AirtableBases.master(fake, lateMaster);
    AirtableBases.addClient(fake, lateMaster, "alpha", BASE_A, Clients.STATUS_ACTIVE);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (http.get("/api/clients", AUTH).status() != 200) {
      assertThat(System.nanoTime()).as("clients readable within 30 s").isLessThan(deadline);
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    assertThat(http.get("/api/clients", AUTH).json().getJsonArray("clients")).hasSize(1);
    assertThat(postProfiles("alpha", profile(1)).status()).isEqualTo(200);
    assertThat(leads(BASE_A)).hasSize(1);
  }

  @Test
  void a429StormDuringABurstIsWaitedOutAndEveryAcceptedProfileLandsOnce() throws Exception {
    AirtableBases.clientBase(fake, BASE_A);
    AirtableBases.addClient(fake, MASTER, "alpha", BASE_A, Clients.STATUS_ACTIVE);
    startServer(20);
    fake.inject429s(3);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Integer>> posts = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String body = profile(i);
        // no ?wait: acknowledged once durable in the inbox, as LinkedHelper sees it
        posts.add(() -> http.post("/lh-webhook/upsertLeadOnly?clientId=alpha", body,
            Map.of("Content-Type", "application/json", "X-Webhook-Secret", SECRET)).status());
      }
      for (Future<Integer> f : pool.invokeAll(posts, 60, TimeUnit.SECONDS)) assertThat(f.get()).isEqualTo(200);
    } finally {
      pool.shutdownNow();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonObject inbox = http.get("/api/inbox", AUTH).json();
    while (inbox.getInteger("pending") + inbox.getInteger("inFlight") > 0) {
      assertThat(System.nanoTime()).as("inbox drained within 60 s: " + inbox.encode()).isLessThan(deadline);
      Thread.sleep(100);
      inbox = http.get("/api/inbox", AUTH).json();
    }
    assertThat(fake.all429s()).isEqualTo(3);
    assertThat(inbox.getInteger("dead")).isZero();
    assertThat(leads(BASE_A)).hasSize(200);
    assertThat(leads(BASE_A).stream().map(l -> l.getString(Leads.LINKEDIN_PROFILE_URL)).distinct()).hasSize(200);
  }

  TestHttp.Reply postPosts(String clientId, JsonArray items) {
    return http.post("/api/pb-webhook?wait=true&clientId=" + clientId, new JsonObject().put("resultObject", items).encode(),
        Map.of("Content-Type", "application/json", "X-Webhook-Secret", SECRET));
  }

  static JsonObject pbPost(int lead, String postId, String content) {
    String url = "https://www.linkedin.com/in/bulk-lead-" + lead;
    return new JsonObject().put("profileUrl", url).put("postUrl", "https://www.linkedin.com/feed/update/urn:li:activity:" + postId)
        .put("postContent", content).put("postTimestamp", "2025-06-20T08:00:00.000Z").put("action", "Post")
        .put("authorUrl", url);
  }

  JsonObject lead(String baseId, String slug) {
    return leads(baseId).stream().filter(l -> l.getString(Leads.LINKEDIN_PROFILE_URL).endsWith("/in/" + slug))
        .findFirst().orElseThrow(() -> new AssertionError("no lead " + slug));
  }

  /** Issue 8 item 2: every existing base lacks Posts JSON Status and the master base has no Execution Summary. */
  @Test
  void aBaseWithExactlyTheOldSchemaStoresEverythingAndTheHealthNamesWhatIsMissing() {
    AirtableBases.oldSchemaClientBase(fake, BASE_A);
    AirtableBases.addClient(fake, MASTER, "alpha", BASE_A, Clients.STATUS_ACTIVE);
    fake.insert(BASE_A, Leads.TABLE, new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/broken-posts")
        .put(Leads.POSTS_CONTENT, "{{{ not JSON"));
    startServer(50);

    for (int i = 0; i < 3; i++) {
      TestHttp.Reply r = postProfiles("alpha", profile(i));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().getString("status")).as(r.body()).isEqualTo("delivered");
    }
    TestHttp.Reply posts = postPosts("alpha", new JsonArray()
        .add(pbPost(0, "7001", "We shipped an AI assistant for clinics"))
        .add(pbPost(0, "7002", "Hiring: machine learning engineer"))
        .add(pbPost(1, "7003", "Our LLM evaluation notes")));
    assertThat(posts.status()).as(posts.body()).isEqualTo(200);
    assertThat(posts.json().getString("status")).as(posts.body()).isEqualTo("delivered");
    assertThat(posts.json().getInteger("updated")).isEqualTo(2);
    assertThat(posts.json().getInteger("postsAdded")).isEqualTo(3);

    JsonObject lead0 = lead(BASE_A, "bulk-lead-0");
    assertThat(new JsonArray(lead0.getString(Leads.POSTS_CONTENT))).extracting(p -> ((JsonObject) p).getString("postUrl"))
        .containsExactly("https://www.linkedin.com/feed/update/urn:li:activity:7001",
            "https://www.linkedin.com/feed/update/urn:li:activity:7002");
    assertThat(lead0.containsKey(Leads.POSTS_JSON_STATUS)).isFalse();

    JsonObject leadRun = waitForRun(startRun("alpha"));
    assertThat(leadRun.getString("status")).as(leadRun.encode()).isEqualTo("completed");
    assertThat(leadRun.getJsonObject("counts").getInteger("successful")).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(lead(BASE_A, "bulk-lead-" + i).getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);
    }

    TestHttp.Reply trigger = http.post("/run-post-batch-score?clientId=alpha", "", AUTH);
    assertThat(trigger.status()).as(trigger.body()).isEqualTo(202);
    JsonObject postRun = waitForRun(trigger.json().getJsonArray("runs").getJsonObject(0).getString("runId"));
    assertThat(postRun.getJsonObject("counts").getInteger("processed")).as(postRun.encode()).isEqualTo(3);
    assertThat(lead(BASE_A, "bulk-lead-0").getValue(Leads.POSTS_RELEVANCE_SCORE)).isNotNull();
    assertThat(lead(BASE_A, "bulk-lead-1").getValue(Leads.POSTS_RELEVANCE_SCORE)).isNotNull();
    JsonObject broken = lead(BASE_A, "broken-posts");
    assertThat(broken.getString(Leads.POSTS_AI_EVALUATION)).startsWith("ERROR during AI post scoring: Posts Content does not parse");
    assertThat(broken.getString(Leads.POSTS_CONTENT)).isEqualTo("{{{ not JSON");
    assertThat(broken.containsKey(Leads.POSTS_JSON_STATUS)).isFalse();

    String log = fake.records(MASTER, Clients.TABLE).get(0).getJsonObject("fields").getString(Clients.EXECUTION_LOG);
    assertThat(log.split("=== EXECUTION: ", -1)).as(log).hasSize(3);

    JsonObject inbox = http.get("/api/inbox", AUTH).json();
    assertThat(inbox.getInteger("dead")).as(inbox.encode()).isZero();
    assertThat(fake.unknownFieldAnswers()).as("learned once, then left out").isEqualTo(Map.of(Leads.POSTS_JSON_STATUS, 1));

    TestHttp.Reply health = http.get("/api/clients/alpha/health", AUTH);
    assertThat(health.status()).as(health.body()).isEqualTo(200);
    assertThat(health.json().getBoolean("healthy")).isTrue();
    assertThat(health.json().getJsonObject("missingFields")).isEqualTo(new JsonObject());
    assertThat(health.json().getJsonObject("missingOptional"))
        .isEqualTo(new JsonObject().put(Leads.TABLE, new JsonArray().add(Leads.POSTS_JSON_STATUS)));
    assertThat(health.json().getJsonArray("missingOptionalTables")).isEqualTo(new JsonArray().add("Execution Summary"));
  }

  /** Issue 8 item 3: a stored Posts Content cut off inside a post is never rewritten; the new posts wait as a dead letter. */
  @Test
  void postsForALeadWhoseStoredPostsAreCutOffWaitAsADeadLetterAndAreMergedOnReplay() throws Exception {
    AirtableBases.clientBase(fake, BASE_A);
    AirtableBases.addClient(fake, MASTER, "alpha", BASE_A, Clients.STATUS_ACTIVE);
    String cut = "[\n  {\n    \"postUrl\": \"https://www.linkedin.com/feed/update/urn:li:activity:6001\",\n"
        + "    \"postContent\": \"An older post\",\n    \"pbMeta\": {\n      \"timestamp\": \"2025-05-0";
    String cutLead = fake.insert(BASE_A, Leads.TABLE, new JsonObject()
        .put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/bulk-lead-0").put(Leads.POSTS_CONTENT, cut)
        .put(Leads.POSTS_JSON_STATUS, "Parsed"));
    fake.insert(BASE_A, Leads.TABLE, new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/bulk-lead-1"));
    startServer(50);

    TestHttp.Reply r = postPosts("alpha", new JsonArray().add(pbPost(0, "7001", "New post on AI"))
        .add(pbPost(1, "7002", "Another post")));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("status")).as(r.body()).isEqualTo("dead");
    assertThat(r.json().getString("reason")).isEqualTo("the store refused 1 item(s): https://www.linkedin.com/in/bulk-lead-0:"
        + " the stored Posts Content is cut off (1 post cannot be recovered whole); kept as it is and no posts were added");

    JsonObject lead0 = lead(BASE_A, "bulk-lead-0");
    assertThat(lead0.getString(Leads.POSTS_CONTENT)).as("kept byte for byte").isEqualTo(cut);
    assertThat(lead0.getString(Leads.POSTS_JSON_STATUS)).isEqualTo("Failed");
    assertThat(new JsonArray(lead(BASE_A, "bulk-lead-1").getString(Leads.POSTS_CONTENT))).hasSize(1);

    JsonObject dead = http.get("/api/inbox/dead", AUTH).json();
    assertThat(dead.getInteger("count")).isEqualTo(1);
    String inboxId = dead.getJsonArray("entries").getJsonObject(0).getString("inboxId");
    assertThat(inboxId).isEqualTo(r.json().getString("inboxId"));

    // the operator repairs the stored text by hand, then replays the dead letter
    server.store().update(BASE_A, Leads.TABLE, List.of(new pbwebhook.store.Record(cutLead, null, new JsonObject()
        .put(Leads.POSTS_CONTENT, "[{\"postUrl\": \"https://www.linkedin.com/feed/update/urn:li:activity:6001\","
            + " \"postContent\": \"An older post\", \"pbMeta\": {}}]")))).await(10, TimeUnit.SECONDS);
    assertThat(http.post("/api/inbox/dead/" + inboxId + "/replay", "", AUTH).status()).isEqualTo(202);
    TestServer.awaitCondition("the replayed posts are merged", Duration.ofSeconds(30),
        () -> lead(BASE_A, "bulk-lead-0").getString(Leads.POSTS_CONTENT).contains("activity:7001"));
    JsonObject repaired = lead(BASE_A, "bulk-lead-0");
    assertThat(new JsonArray(repaired.getString(Leads.POSTS_CONTENT))).extracting(p -> ((JsonObject) p).getString("postUrl"))
        .containsExactly("https://www.linkedin.com/feed/update/urn:li:activity:6001",
            "https://www.linkedin.com/feed/update/urn:li:activity:7001");
    assertThat(repaired.getString(Leads.POSTS_JSON_STATUS)).isEqualTo("Parsed");
    assertThat(new JsonArray(lead(BASE_A, "bulk-lead-1").getString(Leads.POSTS_CONTENT))).as("not added twice").hasSize(1);
    assertThat(http.get("/api/inbox/dead", AUTH).json().getInteger("count")).isZero();
  }
}
