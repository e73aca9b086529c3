package pbwebhook.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Await;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.fakes.FakePhantomBuster;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.schema.Credentials;
import pbwebhook.store.schema.Leads;

/**
 * Issue 12 item 1: PhantomBuster messaging end to end, against the fake PhantomBuster and the embedded store:
 * what reaches PhantomBuster, what the lead shows, the bounded waits, the durable queue across a restart, and
 * that the LinkedIn cookie and the PhantomBuster key stay in the Credentials table.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MessagingTest {

  static final String AGENT = "agent-4711";
  static final String KEY = "KEYMARKER-pb-9f8e7d6c5b4a";
  static final String COOKIE = "COOKIEMARKER-li_at-AQEDARx7";
  static final String UA = "Mozilla/5.0 (X11; Linux x86_64) MessagingTest";
  static final String ADMIN = "adm-msg-3c1f9a";
  static final String MESSAGE = "Hi Ada, loved your post on clinical AI. Coffee next week?";
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir
  Path dataDir;

  Vertx fakes;
  FakePhantomBuster phantom;
  final List<TestServer> servers = new ArrayList<>();

  @BeforeEach
  void startFake() {
    fakes = Vertx.vertx();
    phantom = new FakePhantomBuster(fakes, AGENT, KEY);
  }

  @AfterEach
  void stopAll() {
    servers.forEach(TestServer::close);
    phantom.close();
    Await.within(fakes.close());
  }

  TestServer start() {
    TestServer s = TestServer.start(dataDir, new ScriptedScorer(), new JsonObject().put("ADMIN_TOKEN", ADMIN)
        .put("PHANTOMBUSTER_API_URL", phantom.baseUrl()).put("PB_DISPATCH_INTERVAL_S", "0.1"));
    servers.add(s);
    return s;
  }

  static Map<String, String> admin() {
    return Map.of("Authorization", "Bearer " + ADMIN);
  }

  /** Fills the demo client's Credentials row (the first row, as the old server read it). */
  static void credentials(TestServer s, JsonObject fields) {
    Record first = Await.within(s.store().list(TestServer.DEMO_BASE, Credentials.TABLE, ListQuery.all())).records().get(0);
    Await.within(s.store().update(TestServer.DEMO_BASE, Credentials.TABLE, List.of(new Record(first.id(), null, fields))));
  }

  static JsonObject allCredentials() {
    return new JsonObject().put(Credentials.PB_MESSAGE_SENDER_ID, AGENT).put(Credentials.PHANTOM_API_KEY, KEY)
        .put(Credentials.LINKEDIN_COOKIE, COOKIE).put(Credentials.USER_AGENT, UA);
  }

  static String lead(TestServer s, String slug, String message) {
    JsonObject fields = new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/" + slug)
        .put(Leads.FIRST_NAME, "Ada");
    if (message != null) fields.put(Leads.MESSAGE_TO_BE_SENT, message);
    return s.addLead(TestServer.DEMO_BASE, fields);
  }

  static TestHttp.Reply initiate(TestServer s, String recordId) {
    return s.http().get("/api/initiate-pb-message?clientId=demo&recordId=" + recordId, admin());
  }

  static JsonObject awaitMessageStatus(TestServer s, String recordId, String status) {
    JsonObject[] last = new JsonObject[1];
    TestServer.awaitCondition("lead " + recordId + " Message Status " + status, DEADLINE, () -> {
      last[0] = s.lead(TestServer.DEMO_BASE, recordId);
      return status.equals(last[0].getString(Leads.MESSAGE_STATUS));
    });
    return last[0];
  }

  static JsonObject job(TestServer s, String jobId) {
    JsonArray jobs = s.http().get("/api/clients/demo/messages", admin()).json().getJsonArray("jobs");
    return jobs.stream().map(o -> (JsonObject) o).filter(j -> jobId.equals(j.getString("jobId"))).findFirst().orElseThrow();
  }

  @Test
  void aQueuedMessageLaunchesThePhantomOnceWithTheLeadAndCredentialsAndTheLeadShowsSent() {
    TestServer s = start();
    credentials(s, allCredentials());
    String id = lead(s, "ada-sender", MESSAGE);
    Instant before = Instant.now();

    TestHttp.Reply r = initiate(s, id);

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getBoolean("success")).isTrue();
    assertThat(r.json().getString("message")).isEqualTo("message to lead " + id + " queued");
    String jobId = r.json().getString("jobId");
    assertThat(jobId).startsWith("msg_");
    JsonObject lead = awaitMessageStatus(s, id, "Sent");
    assertThat(lead.getString(Leads.PB_RUN_ID)).isEqualTo("cont-1");
    Instant sentAt = Instant.parse(lead.getString(Leads.TIME_PB_MESSAGE_SENT));
    assertThat(sentAt).isBetween(before, Instant.now());
    assertThat(phantom.launches).hasSize(1);
    FakePhantomBuster.Launch launch = phantom.launches.get(0);
    assertThat(launch.key()).isEqualTo(KEY);
    assertThat(launch.body()).isEqualTo(new JsonObject().put("id", AGENT).put("argument", new JsonObject()
        .put("sessionCookie", COOKIE).put("userAgent", UA).put("profilesPerLaunch", 10).put("message", MESSAGE)
        .put("spreadsheetUrl", "https://www.linkedin.com/in/ada-sender").put("spreadsheetUrlExclusionList", new JsonArray())));
    JsonObject listed = job(s, jobId);
    assertThat(listed.getString("status")).isEqualTo("sent");
    assertThat(listed.getString("runId")).isEqualTo("cont-1");
    assertThat(listed.getString("recordId")).isEqualTo(id);
    assertThat(listed.getBoolean("recorded")).isTrue();
    // A job queued after it goes out after it: had the first been launched again, it would show here.
    String next = lead(s, "ada-next", MESSAGE);
    assertThat(initiate(s, next).status()).isEqualTo(200);
    assertThat(awaitMessageStatus(s, next, "Sent").getString(Leads.PB_RUN_ID)).isEqualTo("cont-2");
    assertThat(phantom.launchRequests.get()).isEqualTo(2);
    assertThat(phantom.launches.get(1).body().getJsonObject("argument").getString("spreadsheetUrl"))
        .isEqualTo("https://www.linkedin.com/in/ada-next");
  }

  @Test
  void missingCredentialsAndLeadFieldsAre400NamingEachAndQueueNothing() {
    TestServer s = start();
    credentials(s, new JsonObject().put(Credentials.PB_MESSAGE_SENDER_ID, AGENT).put(Credentials.USER_AGENT, UA));
    String id = lead(s, "no-message", null);

    TestHttp.Reply r = initiate(s, id);

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().getString("error")).isEqualTo("cannot queue a message: the Credentials table lacks "
        + "Phantom API Key, LinkedIn Cookie; lead " + id + " lacks Message To Be Sent");
    assertThat(s.http().get("/api/clients/demo/messages", admin()).json().getJsonArray("jobs")).isEmpty();
    assertThat(s.lead(TestServer.DEMO_BASE, id).getString(Leads.MESSAGE_STATUS)).isNull();

    credentials(s, allCredentials());
    String vague = s.addLead(TestServer.DEMO_BASE, new JsonObject().put(Leads.LINKEDIN_PROFILE_URL,
        "https://www.linkedin.com/in/vague").put(Leads.MESSAGE_TO_BE_SENT, MESSAGE).put(Leads.SEND_AT, "next tuesday"));
    TestHttp.Reply badDate = initiate(s, vague);
    assertThat(badDate.status()).isEqualTo(400);
    assertThat(badDate.json().getString("error"))
        .isEqualTo("cannot queue a message: Send At of lead " + vague + " is not a date: \"next tuesday\"");

    TestHttp.Reply noId = s.http().get("/api/initiate-pb-message?clientId=demo", admin());
    assertThat(noId.status()).isEqualTo(400);
    assertThat(noId.json().getString("error")).isEqualTo("recordId query parameter is required (the lead's record id)");
    TestHttp.Reply unknownLead = initiate(s, "recNOSUCHLEAD0000");
    assertThat(unknownLead.status()).isEqualTo(404);
    assertThat(unknownLead.json().getString("error")).isEqualTo("no lead recNOSUCHLEAD0000 in the Leads table of client demo");
    TestHttp.Reply unknownClient = s.http().get("/api/initiate-pb-message?clientId=nobody&recordId=" + id, admin());
    assertThat(unknownClient.status()).isEqualTo(404);
    assertThat(s.http().get("/api/initiate-pb-message?clientId=demo&recordId=" + id).status()).isEqualTo(401);
    assertThat(s.http().post("/enqueue", new JsonObject().put("recordId", id).encode()).status()).isEqualTo(401);
    assertThat(phantom.fetches.get() + phantom.launchRequests.get()).isZero();
  }

  @Test
  void aRunningPhantomDelaysTheLaunchUntilItIsIdleThenTheMessageIsSentOnce() {
    TestServer s = start();
    credentials(s, allCredentials());
    phantom.statuses("running", "running", "running", "success");
    String id = lead(s, "busy-phantom", MESSAGE);

    TestHttp.Reply r = s.http().post("/enqueue?clientId=demo", new JsonObject().put("recordId", id)
        .put("pbKey", "ignored").put("sessionCookie", "ignored").encode(), Map.of("Authorization", "Bearer " + ADMIN,
        "Content-Type", "application/json"));

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getBoolean("queued")).isTrue();
    assertThat(r.json().getInteger("size")).isEqualTo(1);
    String jobId = r.json().getString("jobId");
    TestServer.awaitCondition("the running phantom checked twice", DEADLINE, () -> phantom.fetches.get() >= 2);
    assertThat(s.lead(TestServer.DEMO_BASE, id).getString(Leads.MESSAGE_STATUS)).isEqualTo("Queuing Initiated by Server");
    assertThat(phantom.launchRequests.get()).isZero();
    assertThat(job(s, jobId).getString("lastError")).isEqualTo("the phantom is running");

    JsonObject lead = awaitMessageStatus(s, id, "Sent");
    assertThat(lead.getString(Leads.PB_RUN_ID)).isEqualTo("cont-1");
    assertThat(phantom.launches).hasSize(1);
    assertThat(phantom.launches.get(0).fetchesBefore()).as("launched at the first idle check").isEqualTo(4);
    assertThat(job(s, jobId).getInteger("busyChecks")).isEqualTo(3);
  }

  @Test
  void aPhantomWhoseLastRunFailedEndsTheJobWithAReasonAndTheQueueMovesOn() {
    TestServer s = start();
    credentials(s, allCredentials());
    phantom.statuses("error");
    String first = lead(s, "failed-phantom-1", MESSAGE);
    String second = lead(s, "failed-phantom-2", MESSAGE);
    assertThat(initiate(s, first).status()).isEqualTo(200);
    assertThat(initiate(s, second).status()).isEqualTo(200);

    JsonObject failed = awaitMessageStatus(s, first, "Error from queueDispatcher");

    assertThat(failed.getString(Leads.PB_ERROR_MESSAGE)).isEqualTo("the phantom's last run ended with status \"error\" "
        + "at 5 checks in a row; not launched: fix the phantom in PhantomBuster, then queue the message again");
    assertThat(phantom.launchRequests.get()).isZero();
    // The job behind it is not stalled: once the phantom is fixed it goes out.
    phantom.statuses("success");
    JsonObject sent = awaitMessageStatus(s, second, "Sent");
    assertThat(sent.getString(Leads.PB_RUN_ID)).isEqualTo("cont-1");
    assertThat(phantom.launches).hasSize(1);
    assertThat(phantom.launches.get(0).body().getJsonObject("argument").getString("spreadsheetUrl"))
        .isEqualTo("https://www.linkedin.com/in/failed-phantom-2");
  }

  @Test
  void fiveRefusedLaunchesEndTheJobAsErrorFromQueueDispatcherWithoutTheKeyInTheMessage() {
    TestServer s = start();
    credentials(s, allCredentials());
    phantom.launchFailuresLeft.set(100);
    phantom.launchFailureText = "{\"error\":\"session expired for key " + KEY + "\"}";
    String id = lead(s, "refused-launch", MESSAGE);
    String jobId = initiate(s, id).json().getString("jobId");

    JsonObject lead = awaitMessageStatus(s, id, "Error from queueDispatcher");

    assertThat(phantom.launchRequests.get()).isEqualTo(5);
    assertThat(lead.getString(Leads.PB_ERROR_MESSAGE)).isEqualTo("gave up after 5 tries: PhantomBuster launch failed "
        + "(HTTP 500): {\"error\":\"session expired for key [redacted]\"}");
    assertThat(lead.getString(Leads.PB_RUN_ID)).isNull();
    JsonObject listed = job(s, jobId);
    assertThat(listed.getString("status")).isEqualTo("failed");
    assertThat(listed.getInteger("tries")).isEqualTo(5);
  }

  @Test
  void aLongPhantomErrorIsCutTo1000Characters() {
    TestServer s = start();
    credentials(s, allCredentials());
    phantom.launchFailuresLeft.set(100);
    phantom.launchFailureText = "x".repeat(5000);
    String id = lead(s, "long-error", MESSAGE);
    initiate(s, id);

    JsonObject lead = awaitMessageStatus(s, id, "Error from queueDispatcher");

    assertThat(lead.getString(Leads.PB_ERROR_MESSAGE)).hasSizeLessThanOrEqualTo(1000)
        .startsWith("gave up after 5 tries: PhantomBuster launch failed (HTTP 500): xxx");
  }

  @Test
  void aSendAtInTheFutureHoldsTheJobUntilThen() {
    TestServer s = start();
    credentials(s, allCredentials());
    Instant sendAt = Instant.now().plusSeconds(2);
    String id = s.addLead(TestServer.DEMO_BASE, new JsonObject()
        .put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/later").put(Leads.MESSAGE_TO_BE_SENT, MESSAGE)
        .put(Leads.SEND_AT, sendAt.toString()));
    TestHttp.Reply r = initiate(s, id);
    assertThat(r.status()).as(r.body()).isEqualTo(200);

    awaitMessageStatus(s, id, "Sent");

    assertThat(phantom.launches).hasSize(1);
    assertThat(Instant.parse(s.lead(TestServer.DEMO_BASE, id).getString(Leads.TIME_PB_MESSAGE_SENT))).isAfterOrEqualTo(sendAt);
    assertThat(job(s, r.json().getString("jobId")).getString("sendAt")).isEqualTo(sendAt.toString());
  }

  @Test
  void aSecondRequestForTheSameLeadJoinsTheOpenJob() {
    TestServer s = start();
    credentials(s, allCredentials());
    phantom.statuses("running");
    String id = lead(s, "double-click", MESSAGE);

    String first = initiate(s, id).json().getString("jobId");
    TestHttp.Reply again = initiate(s, id);

    assertThat(again.json().getString("jobId")).isEqualTo(first);
    assertThat(again.json().getBoolean("duplicate")).isTrue();
    assertThat(s.http().get("/api/clients/demo/messages", admin()).json().getInteger("open")).isEqualTo(1);
  }

  @Test
  void aQueuedJobSurvivesARestartAndIsSentExactlyOnce() {
    phantom.statuses("running");
    String id;
    String jobId;
    TestServer first = start();
    credentials(first, allCredentials());
    id = lead(first, "restart", MESSAGE);
    jobId = initiate(first, id).json().getString("jobId");
    TestServer.awaitCondition("the job checked the running phantom", DEADLINE, () -> phantom.fetches.get() >= 2);
    servers.remove(first);
    first.close();
    assertThat(phantom.launchRequests.get()).isZero();

    phantom.statuses("success");
    TestServer second = start();

    JsonObject lead = awaitMessageStatus(second, id, "Sent");
    assertThat(lead.getString(Leads.PB_RUN_ID)).isEqualTo("cont-1");
    assertThat(job(second, jobId).getString("status")).isEqualTo("sent");
    assertThat(phantom.launchRequests.get()).isEqualTo(1);
  }

  @Test
  void theCookieAndTheKeyAppearInNoLogNoReplyAndNoFileButTheirBase() throws IOException {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    List<TestHttp.Reply> replies = new ArrayList<>();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      TestServer s = start();
      credentials(s, allCredentials());
      phantom.launchFailuresLeft.set(100);
      phantom.launchFailureText = "{\"error\":\"bad cookie " + COOKIE + " for key " + KEY + "\"}";
      String failing = lead(s, "leak-failing", MESSAGE);
      replies.add(initiate(s, failing));
      awaitMessageStatus(s, failing, "Error from queueDispatcher");
      phantom.launchFailuresLeft.set(0);
      String sending = lead(s, "leak-sending", MESSAGE);
      replies.add(s.http().post("/enqueue?clientId=demo", new JsonObject().put("recordId", sending)
          .put("pbKey", KEY).put("sessionCookie", COOKIE).encode(), Map.of("Authorization", "Bearer " + ADMIN)));
      replies.add(s.http().post("/enqueue?clientId=demo", "{\"recordId\": \"" + COOKIE, Map.of("Authorization",
          "Bearer " + ADMIN)));
      awaitMessageStatus(s, sending, "Sent");
      replies.add(s.http().get("/api/clients/demo/messages", admin()));
      replies.add(s.http().get("/api/clients/demo/leads", admin()));
      servers.remove(s);
      s.close();
    } finally {
      System.setErr(original);
    }
    assertThat(replies.get(2).status()).isEqualTo(400);
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("message job");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dataDir)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).anyMatch(f -> f.toString().contains("messages"));
    for (String secret : List.of(COOKIE, KEY)) {
      assertThat(log).as("captured log").doesNotContain(secret);
      for (TestHttp.Reply r : replies) assertThat(r.body()).as("reply").doesNotContain(secret);
      for (Path f : files) {
        // The Credentials live in the demo base's own file: that is where they are read from.
        if (f.getFileName().toString().startsWith(TestServer.DEMO_BASE + ".")) continue;
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as("file " + f).doesNotContain(secret);
      }
    }
  }
}
