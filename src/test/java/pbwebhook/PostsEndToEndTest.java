package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.store.schema.Leads;

/**
 * Posts end to end on the embedded store, with secrets set: LinkedHelper profiles, PhantomBuster posts in the
 * three resultObject shapes, a post-scoring run, what the lead and the Execution Log show, and Text Blaze.
 * Each test starts its own server (configured offline heuristic scorer) on a fresh DATA_DIR and posts what it needs.
 */
class PostsEndToEndTest {

  static final String ADMIN = "test-admin-token";
  static final String SECRET = "test-pb-secret";
  static final Map<String, String> ADMIN_HEADERS = Map.of("Authorization", "Bearer " + ADMIN);
  static final Map<String, String> JSON = Map.of("Content-Type", "application/json");
  static final String JANE_POST_URL = "https://www.linkedin.com/feed/update/urn:li:activity:7000000000000000001";

  /** system.md §9.2 variant (a), verbatim: a string with the header row and a trailing comma. */
  static final String VARIANT_A = "{\"agentId\":\"111\",\"containerId\":\"222\",\"resultObject\":\"[{\\\"profileUrl\\\":\\\"Profile URL\\\",\\\"error\\\":\\\"Invalid input\\\"},{\\\"profileUrl\\\":\\\"https://www.linkedin.com/in/jane-example-0001\\\",\\\"postUrl\\\":\\\"https://www.linkedin.com/feed/update/urn:li:activity:7000000000000000001\\\",\\\"postContent\\\":\\\"Three lessons from shipping our first AI-powered assistant...\\\",\\\"postTimestamp\\\":\\\"2025-06-28T09:00:00.000Z\\\",\\\"timestamp\\\":\\\"2025-06-30T17:31:00.000Z\\\",\\\"type\\\":\\\"Text\\\",\\\"imgUrl\\\":\\\"\\\",\\\"author\\\":\\\"Jane Example\\\",\\\"authorUrl\\\":\\\"https://www.linkedin.com/in/jane-example-0001\\\",\\\"likeCount\\\":12,\\\"commentCount\\\":3,\\\"repostCount\\\":0,\\\"action\\\":\\\"Post\\\"},]\"}";

  @TempDir
  Path dataDir;

  TestServer server;
  TestHttp http;

  @BeforeEach
  void start() {
    server = TestServer.startConfigured(dataDir, new JsonObject()
        .put("ADMIN_TOKEN", ADMIN)
        .put("PB_WEBHOOK_SECRET", SECRET)
        .put("POSTS_TIME_ZONE", "Australia/Brisbane"));
    http = server.http();
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  TestHttp.Reply admin(String method, String path) {
    return method.equals("GET") ? http.get(path, ADMIN_HEADERS)
        : http.post(path, "", Map.of("Authorization", "Bearer " + ADMIN, "Content-Type", "application/json"));
  }

  /** Posts with {@code ?wait=true}, so the reply comes once the inbox has delivered the body to the store. */
  TestHttp.Reply webhook(String path, String body) {
    return http.post(path + (path.contains("?") ? "&" : "?") + "wait=true&secret=" + SECRET, body, JSON);
  }

  JsonObject lead(String slug) {
    JsonArray records = admin("GET", "/api/clients/demo/leads?limit=1000").json().getJsonArray("records");
    for (Object o : records) {
      JsonObject r = (JsonObject) o;
      if (r.getJsonObject("fields").getString(Leads.LINKEDIN_PROFILE_URL, "").toLowerCase().contains("/in/" + slug)) return r;
    }
    throw new AssertionError("no lead " + slug);
  }

  static String profile(String slug) {
    return "{\"profileUrl\":\"https://www.linkedin.com/in/" + slug + "/\",\"firstName\":\"Test\",\"headline\":\"Founder\","
        + "\"summary\":\"A profile long enough to be scored, well over forty characters.\"}";
  }

  static JsonObject item(String profileSlug, String postId, String content, String action, String authorSlug) {
    return new JsonObject().put("profileUrl", "https://www.linkedin.com/in/" + profileSlug)
        .put("postUrl", "https://www.linkedin.com/feed/update/urn:li:activity:" + postId)
        .put("postContent", content).put("postTimestamp", "2025-06-20T08:00:00.000Z").put("action", action)
        .put("authorUrl", "https://www.linkedin.com/in/" + authorSlug);
  }

  JsonObject waitForRun(String runId) {
    return server.waitForRun(runId, ADMIN_HEADERS);
  }

  /** The sample profile (Jane, examples/lh-profile.json), stored before the reply. */
  void postJane() throws Exception {
    assertThat(webhook("/lh-webhook/upsertLeadOnly", Files.readString(Path.of("examples/lh-profile.json"))).status()).isEqualTo(200);
  }

  /** Jane, plus a lead who only reposts or posts others' content, and a lead whose one post has no AI keyword. */
  void postProfiles() throws Exception {
    postJane();
    for (String slug : new String[] {"repost-only", "quiet-lead"}) {
      assertThat(webhook("/lh-webhook/upsertLeadOnly", profile(slug)).status()).isEqualTo(200);
    }
  }

  /** Jane's post (variant A, a string resultObject). */
  void postJanesPost() {
    assertThat(webhook("/api/pb-webhook", VARIANT_A).json().getInteger("updated")).isEqualTo(1);
  }

  /** The three profiles, then their posts in the three resultObject shapes: three leads to post-score. */
  void postProfilesAndPosts() throws Exception {
    postProfiles();
    postJanesPost();
    arrayAndSingleObjectPosts();
  }

  /** Posts for repost-only and an unknown profile (an array, secret in the body), one for quiet-lead (an object, secret in a header). */
  void arrayAndSingleObjectPosts() {
    JsonArray rows = new JsonArray()
        .add(new JsonObject().put("profileUrl", "Profile URL").put("error", "Invalid input"))
        .add(item("repost-only", "8000000000000000001", "Reposting this great piece on AI agents", "Repost", "repost-only"))
        .add(item("repost-only", "8000000000000000002", "An AI post by someone else", "Post", "someone-else"))
        .add(item("nobody-we-know", "8000000000000000003", "AI everywhere", "Post", "nobody-we-know"));
    TestHttp.Reply array = http.post("/api/pb-webhook?wait=true",
        new JsonObject().put("secret", SECRET).put("resultObject", rows).encode(), JSON);
    assertThat(array.status()).isEqualTo(200);
    assertThat(array.json().getInteger("updated")).isEqualTo(1);
    assertThat(array.json().getInteger("unmatched")).isEqualTo(1);

    JsonObject single = item("quiet-lead", "8000000000000000004", "OpenAI shipped another model; we went hiking.", "Post", "quiet-lead");
    TestHttp.Reply one = http.post("/api/pb-webhook?wait=true", new JsonObject().put("resultObject", single).encode(),
        Map.of("Content-Type", "application/json", "X-Webhook-Secret", SECRET));
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().getInteger("updated")).isEqualTo(1);
  }

  @Test
  void profilesArrive() throws Exception {
    postProfiles();
    JsonArray records = admin("GET", "/api/clients/demo/leads?limit=1000").json().getJsonArray("records");
    assertThat(records).hasSize(3);
    for (String slug : new String[] {"jane-example-0001", "repost-only", "quiet-lead"}) {
      assertThat(lead(slug).getJsonObject("fields").getString(Leads.SCORING_STATUS)).isEqualTo(Leads.TO_BE_SCORED);
    }
  }

  @Test
  void theSampleVariantAIsMergedOnceEvenWhenPostedTwice() throws Exception {
    postJane();
    TestHttp.Reply first = webhook("/api/pb-webhook", VARIANT_A);
    assertThat(first.status()).isEqualTo(200);
    JsonObject r = first.json();
    assertThat(r.getString("message")).startsWith("Webhook received.");
    assertThat(r.getInteger("processed")).isEqualTo(1);
    assertThat(r.getInteger("updated")).isEqualTo(1);
    assertThat(r.getInteger("unmatched")).isZero();
    assertThat(r.getInteger("postsAdded")).isEqualTo(1);

    // the README's example file holds the same delivery
    TestHttp.Reply again = webhook("/api/pb-webhook", Files.readString(Path.of("examples/pb-posts.json")));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getInteger("updated")).isZero();
    assertThat(again.json().getInteger("skipped")).isEqualTo(1);

    JsonObject f = lead("jane-example-0001").getJsonObject("fields");
    JsonArray posts = new JsonArray(f.getString(Leads.POSTS_CONTENT));
    assertThat(posts).hasSize(1);
    JsonObject post = posts.getJsonObject(0);
    assertThat(post.getString("postUrl")).isEqualTo(JANE_POST_URL);
    assertThat(post.getString("postDate")).isEqualTo("2025-06-28T09:00:00.000Z");
    assertThat(post.getJsonObject("pbMeta").getString("authorUrl")).isEqualTo("https://www.linkedin.com/in/jane-example-0001");
    assertThat(post.getJsonObject("pbMeta").getInteger("likeCount")).isEqualTo(12);
    assertThat(f.getString(Leads.POSTS_JSON_STATUS)).isEqualTo("Parsed");
    assertThat(f.getString(Leads.TIME_POSTS_ADDED)).isNotBlank();
  }

  @Test
  void arrayAndSingleObjectShapesWithTheSecretInTheBody() throws Exception {
    postProfiles();
    arrayAndSingleObjectPosts();
    assertThat(new JsonArray(lead("repost-only").getJsonObject("fields").getString(Leads.POSTS_CONTENT))).hasSize(2);
    assertThat(new JsonArray(lead("quiet-lead").getJsonObject("fields").getString(Leads.POSTS_CONTENT))).hasSize(1);
  }

  @Test
  void theWebhookRefusesBadSecretsAndBadBodiesWithAClearReason() {
    TestHttp.Reply noSecret = http.post("/api/pb-webhook", VARIANT_A, JSON);
    assertThat(noSecret.status()).isEqualTo(401);
    TestHttp.Reply wrongBodySecret = http.post("/api/pb-webhook",
        new JsonObject(VARIANT_A).put("secret", "wrong").encode(), JSON);
    assertThat(wrongBodySecret.status()).isEqualTo(403);
    assertThat(wrongBodySecret.body()).doesNotContain(SECRET);

    TestHttp.Reply missing = webhook("/api/pb-webhook", "{\"agentId\":\"111\"}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getString("error")).contains("resultObject is missing");

    TestHttp.Reply unreadable = webhook("/api/pb-webhook", "{\"resultObject\":\"[{{{ nope\"}");
    assertThat(unreadable.status()).isEqualTo(400);
    assertThat(unreadable.json().getString("error")).contains("resultObject is not valid JSON");

    TestHttp.Reply notJson = webhook("/api/pb-webhook", "{not json");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.json().getString("error")).contains("not valid JSON");

    TestHttp.Reply scalar = webhook("/api/pb-webhook", "{\"resultObject\":42}");
    assertThat(scalar.status()).isEqualTo(400);
    assertThat(scalar.json().getString("error")).contains("JSON array or object");
  }

  @Test
  void aPostRunScoresOriginalsAndRecordsTheRest() throws Exception {
    postProfilesAndPosts();
    assertThat(http.post("/run-post-batch-score", "", JSON).status()).isEqualTo(401);
    TestHttp.Reply trigger = admin("POST", "/run-post-batch-score");
    assertThat(trigger.status()).isEqualTo(202);
    JsonObject started = trigger.json().getJsonArray("runs").getJsonObject(0);
    assertThat(started.getString("clientId")).isEqualTo("demo");
    assertThat(started.getString("kind")).isEqualTo("posts");

    JsonObject run = waitForRun(started.getString("runId"));
    assertThat(run.getString("status")).isEqualTo("completed");
    assertThat(run.getJsonObject("counts").getInteger("processed")).isEqualTo(3);
    assertThat(run.getJsonObject("counts").getInteger("successful")).isEqualTo(3);
    assertThat(run.getJsonObject("tokens").getLong("total")).isPositive();

    JsonObject jane = lead("jane-example-0001").getJsonObject("fields");
    // Offline heuristic: 10 for a positive indicator, plus 25 for each of "ai" and "lessons".
    assertThat(jane.getInteger(Leads.POSTS_RELEVANCE_SCORE)).isEqualTo(60);
    assertThat(jane.getString(Leads.TOP_SCORING_POST)).startsWith("Date: 2025-06-28 19:00 Australia/Brisbane\nURL: "
        + JANE_POST_URL + "\nScore: " + jane.getInteger(Leads.POSTS_RELEVANCE_SCORE)
        + "\nContent: Three lessons from shipping our first AI-powered assistant...\nRationale: ");
    JsonArray evaluation = new JsonArray(jane.getString(Leads.POSTS_AI_EVALUATION));
    assertThat(evaluation.getJsonObject(0).getString("post_url")).isEqualTo(JANE_POST_URL);
    assertThat(jane.getString(Leads.DATE_POSTS_SCORED)).isNotBlank();

    JsonObject reposts = lead("repost-only").getJsonObject("fields");
    assertThat(reposts.getString(Leads.POSTS_AI_EVALUATION)).isEqualTo("Scanned 0 original posts. No relevant AI keywords detected.");
    assertThat(reposts.getInteger(Leads.POSTS_RELEVANCE_SCORE)).isZero();
    assertThat(reposts.getString(Leads.DATE_POSTS_SCORED)).isNotBlank();

    JsonObject quiet = lead("quiet-lead").getJsonObject("fields");
    assertThat(quiet.getString(Leads.POSTS_AI_EVALUATION)).startsWith("Scanned 1 original posts. No relevant AI keywords detected.\n"
        + "EDGE CASE: post_url=https://www.linkedin.com/feed/update/urn:li:activity:8000000000000000004");

    String log = admin("GET", "/api/clients/demo").json().getString("executionLog");
    assertThat(log).startsWith("=== EXECUTION: ");
    assertThat(log).contains("STATUS: success\nLEADS PROCESSED: 0/0 successful\nPOST SCORING: 3/3 successful\n");
  }

  @Test
  void scoredLeadsAreNotPickedAgainUnlessForced() throws Exception {
    postProfilesAndPosts();
    JsonObject first = waitForRun(admin("POST", "/run-post-batch-score").json().getJsonArray("runs").getJsonObject(0).getString("runId"));
    assertThat(first.getJsonObject("counts").getInteger("successful")).isEqualTo(3);

    TestHttp.Reply sync = admin("GET", "/run-post-batch-score?clientId=demo&wait=true");
    assertThat(sync.status()).isEqualTo(200);
    JsonObject body = sync.json();
    assertThat(body.getString("status")).isEqualTo("completed");
    JsonObject summary = body.getJsonObject("summary");
    assertThat(summary.getInteger("totalClients")).isEqualTo(1);
    assertThat(summary.getInteger("successfulClients")).isEqualTo(1);
    assertThat(summary.getInteger("totalPostsProcessed")).isZero();
    assertThat(body.getJsonArray("clientResults").getJsonObject(0).getString("clientId")).isEqualTo("demo");

    TestHttp.Reply forced = admin("POST", "/api/internal/trigger-post-scoring-batch?forceRescore=true&limit=2");
    assertThat(forced.status()).isEqualTo(202);
    assertThat(forced.json().getString("status")).isEqualTo("accepted");
    JsonObject run = waitForRun(forced.json().getJsonArray("runs").getJsonObject(0).getString("runId"));
    assertThat(run.getJsonObject("counts").getInteger("processed")).isEqualTo(2);
  }

  @Test
  void testPostScoreScoresOneLead() throws Exception {
    postJane();
    postJanesPost();
    String id = lead("jane-example-0001").getString("id");
    TestHttp.Reply r = admin("POST", "/api/test-post-score/" + id);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("outcome")).isEqualTo("scored");
    assertThat(r.json().getJsonObject("fields").getString(Leads.TOP_SCORING_POST)).contains(JANE_POST_URL);
    assertThat(admin("POST", "/api/test-post-score/recDoesNotExist00").status()).isEqualTo(404);
  }

  @Test
  void textBlazePrependsNotesToTheLeadFoundByCanonicalUrl() throws Exception {
    postJane();
    String id = lead("jane-example-0001").getString("id");
    TestHttp.Reply first = webhook("/textblaze-linkedin-webhook", new JsonObject().put("linkedinMessage", "Hi Jane")
        .put("profileUrl", "http://LinkedIn.com/in/jane-example-0001/").put("timestamp", "2025-07-01 10:00").encode());
    assertThat(first.status()).isEqualTo(200);
    assertThat(first.json().getString("status")).isEqualTo("success");
    assertThat(first.json().getString("recordId")).isEqualTo(id);
    assertThat(first.json().getString("airtableRecordUrl")).isEqualTo("https://airtable.com/demo/Leads/" + id);

    webhook("/textblaze-linkedin-webhook", new JsonObject().put("linkedinMessage", "Following up")
        .put("profileUrl", "https://www.linkedin.com/in/jane-example-0001").put("timestamp", "2025-07-02 09:00").encode());
    assertThat(lead("jane-example-0001").getJsonObject("fields").getString(Leads.NOTES))
        .isEqualTo("📅 2025-07-02 09:00 – Sent: Following up\n\n---\n\n📅 2025-07-01 10:00 – Sent: Hi Jane");

    TestHttp.Reply missing = webhook("/textblaze-linkedin-webhook", "{\"profileUrl\":\"https://www.linkedin.com/in/x\"}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getString("error")).isEqualTo("missing required fields: linkedinMessage, timestamp");

    TestHttp.Reply unknown = webhook("/textblaze-linkedin-webhook", new JsonObject().put("linkedinMessage", "m")
        .put("profileUrl", "https://www.linkedin.com/in/nobody-we-know").put("timestamp", "t").encode());
    assertThat(unknown.status()).isEqualTo(404);

    assertThat(http.post("/textblaze-linkedin-webhook", "{}", JSON).status()).isEqualTo(401);
  }
}
