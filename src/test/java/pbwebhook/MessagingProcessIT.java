package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.clients.DemoBootstrap;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.FakePhantomBuster;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.embedded.EmbeddedStore;
import pbwebhook.store.schema.Credentials;
import pbwebhook.store.schema.Leads;

/**
 * Issue 12 item 1, with the packaged server as a child process and the fake PhantomBuster in this JVM: a queued
 * message survives SIGKILL and is sent exactly once after the restart; a SIGKILL while a launch is unanswered never
 * launches it again; the cookie and the key appear in no log (at debug level), no reply and no file but their base.
 */
class MessagingProcessIT {

  static final String ADMIN = "adm-msg-it-5e2d";
  static final String AGENT = "agent-it-99";
  static final String KEY = "KEYMARKER-it-0a1b2c3d4e";
  static final String COOKIE = "COOKIEMARKER-it-li_at-AQED";
  static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir
  Path tmp;

  Vertx vertx;
  FakePhantomBuster phantom;
  final List<ServerProcess> started = new ArrayList<>();
  final List<TestHttp.Reply> replies = new ArrayList<>();

  @BeforeEach
  void fake() {
    vertx = Vertx.vertx();
    phantom = new FakePhantomBuster(vertx, AGENT, KEY);
  }

  @AfterEach
  void stop() {
    started.forEach(s -> s.process.destroyForcibly());
    phantom.close();
    Await.within(vertx.close());
  }

  static Map<String, String> admin() {
    return Map.of("Authorization", "Bearer " + ADMIN);
  }

  ServerProcess start(Path data) throws IOException {
    Map<String, String> env = new HashMap<>(Map.of("ADMIN_TOKEN", ADMIN, "PHANTOMBUSTER_API_URL", phantom.baseUrl(),
        "PB_DISPATCH_INTERVAL_S", "0.2"));
    ServerProcess s = ServerProcess.start(data, tmp.resolve("server.log"), env, "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug");
    started.add(s);
    return s;
  }

  /** The demo client seeded as the server would, with its Credentials filled and two leads with a message each. */
  List<String> seed(Path data) {
    AppConfig config = AppConfig.from(new JsonObject().put("DATA_DIR", data.toString()));
    RecordStore store = new EmbeddedStore(vertx, data);
    try {
      Await.within(DemoBootstrap.seedIfEmpty(store, config));
      Record creds = Await.within(store.list(DemoBootstrap.DEMO_BASE_ID, Credentials.TABLE, ListQuery.all())).records().get(0);
      Await.within(store.update(DemoBootstrap.DEMO_BASE_ID, Credentials.TABLE, List.of(new Record(creds.id(), null,
          new JsonObject().put(Credentials.PB_MESSAGE_SENDER_ID, AGENT).put(Credentials.PHANTOM_API_KEY, KEY)
              .put(Credentials.LINKEDIN_COOKIE, COOKIE).put(Credentials.USER_AGENT, "Mozilla/5.0 IT")))));
      List<String> ids = new ArrayList<>();
      for (String slug : List.of("kill-first", "kill-second")) {
        ids.add(Await.within(store.create(DemoBootstrap.DEMO_BASE_ID, Leads.TABLE, List.of(new JsonObject()
            .put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/" + slug)
            .put(Leads.MESSAGE_TO_BE_SENT, "Hello from " + slug)))).get(0).id());
      }
      return ids;
    } finally {
      Await.within(store.close());
    }
  }

  String initiate(ServerProcess s, String recordId) {
    TestHttp.Reply r = s.http.get("/api/initiate-pb-message?recordId=" + recordId, admin());
    replies.add(r);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getString("jobId");
  }

  JsonObject awaitMessageStatus(ServerProcess s, String recordId, String status) {
    JsonObject[] fields = new JsonObject[1];
    TestServer.awaitCondition("lead " + recordId + " Message Status " + status, DEADLINE, () -> {
      TestHttp.Reply r = s.http.get("/api/clients/demo/leads/" + recordId, admin());
      fields[0] = r.json().getJsonObject("fields");
      return status.equals(fields[0].getString(Leads.MESSAGE_STATUS));
    });
    return fields[0];
  }

  static void kill(ServerProcess s) throws InterruptedException {
    s.process.destroyForcibly();
    assertThat(s.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void aQueuedMessageSurvivesSigkillAndIsSentExactlyOnceAndNoSecretLeaks() throws Exception {
    Path data = tmp.resolve("data");
    List<String> leads = seed(data);
    phantom.statuses("running");
    ServerProcess first = start(data);
    String jobId = initiate(first, leads.get(0));
    TestServer.awaitCondition("the job waiting on the running phantom", DEADLINE, () -> phantom.fetches.get() >= 2);
    assertThat(awaitMessageStatus(first, leads.get(0), "Queuing Initiated by Server")).isNotNull();
    kill(first);

    phantom.statuses("success");
    ServerProcess second = start(data);
    JsonObject sent = awaitMessageStatus(second, leads.get(0), "Sent");
    assertThat(sent.getString(Leads.PB_RUN_ID)).isEqualTo("cont-1");
    // A job queued after it goes out after it: had the first been launched again, it would show here.
    initiate(second, leads.get(1));
    assertThat(awaitMessageStatus(second, leads.get(1), "Sent").getString(Leads.PB_RUN_ID)).isEqualTo("cont-2");
    assertThat(phantom.launchRequests.get()).isEqualTo(2);
    assertThat(phantom.launches.stream().map(l -> l.body().getJsonObject("argument").getString("spreadsheetUrl")).toList())
        .containsExactly("https://www.linkedin.com/in/kill-first", "https://www.linkedin.com/in/kill-second");
    TestHttp.Reply list = second.http.get("/api/clients/demo/messages", admin());
    replies.add(list);
    assertThat(list.json().getJsonArray("jobs").getJsonObject(0).getString("jobId")).isEqualTo(jobId);
    assertThat(list.json().getJsonArray("jobs").getJsonObject(0).getString("status")).isEqualTo("sent");
    replies.add(second.http.get("/api/clients/demo/leads", admin()));
    second.process.destroy();
    assertThat(second.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    String log = Files.readString(tmp.resolve("server.log"));
    assertThat(log).contains("DEBUG").contains("launched the phantom");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).anyMatch(f -> f.toString().contains("messages"));
    for (String secret : List.of(KEY, COOKIE)) {
      assertThat(log).as("server log").doesNotContain(secret);
      for (TestHttp.Reply r : replies) assertThat(r.body()).as("reply").doesNotContain(secret);
      for (Path f : files) {
        if (f.getFileName().toString().startsWith(DemoBootstrap.DEMO_BASE_ID + ".")) continue;
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as("file " + f).doesNotContain(secret);
      }
    }
  }

  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void aSigkillWhileALaunchIsUnansweredNeverLaunchesItAgain() throws Exception {
    Path data = tmp.resolve("data");
    List<String> leads = seed(data);
    phantom.launchesHang = true;
    ServerProcess first = start(data);
    initiate(first, leads.get(0));
    TestServer.awaitCondition("the launch request received", DEADLINE, () -> phantom.launchRequests.get() == 1);
    kill(first);

    phantom.launchesHang = false;
    ServerProcess second = start(data);
    JsonObject failed = awaitMessageStatus(second, leads.get(0), "Error from queueDispatcher");
    assertThat(failed.getString(Leads.PB_ERROR_MESSAGE)).startsWith("the server stopped while launching the phantom, "
        + "so PhantomBuster may or may not have sent this message; it is not launched again automatically");
    // The next job goes out, and the one in doubt is still not launched again.
    initiate(second, leads.get(1));
    awaitMessageStatus(second, leads.get(1), "Sent");
    assertThat(phantom.launchRequests.get()).isEqualTo(2);
  }
}
