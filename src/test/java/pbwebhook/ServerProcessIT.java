package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.http.RequestAuth;
import pbwebhook.store.schema.Leads;

/**
 * The packaged server as a child process: SIGKILL mid-stream loses no acknowledged webhook and
 * duplicates none; SIGTERM stops accepting, exits within SHUTDOWN_TIMEOUT_S and loses nothing; a full
 * run with secrets set never shows them in logs, responses or stored files. Loopback only.
 */
class ServerProcessIT {

  static final String ADMIN = "adm-7f3c9e1b5d";
  static final String HOOK = "hook-2b8e4a6c0f";
  static final String AIRTABLE_KEY = "patLEAKCHECK0001.0123456789abcdef0123456789abcdef";

  @TempDir
  Path tmp;

  final List<ServerProcess> started = new ArrayList<>();

  @AfterEach
  void killAll() {
    started.forEach(s -> s.process.destroyForcibly());
  }

  ServerProcess start(Path dataDir, Map<String, String> env, String... jvmArgs) throws IOException {
    Map<String, String> all = new HashMap<>(Map.of("ADMIN_TOKEN", ADMIN, "PB_WEBHOOK_SECRET", HOOK, "WEBHOOK_RATE_PER_S", "0"));
    all.putAll(env);
    ServerProcess s = ServerProcess.start(dataDir, tmp.resolve("server.log"), all, jvmArgs);
    started.add(s);
    return s;
  }

  static Map<String, String> admin() {
    return Map.of("Authorization", "Bearer " + ADMIN);
  }

  static String profile(String slug) {
    return "{\"profileUrl\":\"https://www.linkedin.com/in/" + slug + "\",\"firstName\":\"K\",\"headline\":\"Founder\","
        + "\"summary\":\"A summary long enough for a lead in the failure test.\"}";
  }

  /**
   * Posts {@code n} distinct profiles, {@code concurrency} at a time; {@code onAck} sees each acknowledged
   * slug (and may kill the server). Returns the acknowledged slugs and the statuses of the rest.
   */
  static Set<String> flood(int port, String prefix, int n, int concurrency, Consumer<Integer> onAck,
                           Map<Integer, Integer> otherStatuses) throws InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Set<String> acked = ConcurrentHashMap.newKeySet();
    Semaphore permits = new Semaphore(concurrency);
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String slug = prefix + "-" + i;
      permits.acquire();
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/lh-webhook/upsertLeadOnly?secret=" + HOOK))
          .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(profile(slug))).build();
      all.add(client.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
        permits.release();
        if (e == null && r.statusCode() == 200 && r.body().contains("\"inboxId\"")) {
          acked.add(slug);
          onAck.accept(acked.size());
        } else {
          otherStatuses.merge(e == null ? r.statusCode() : -1, 1, Integer::sum);
        }
      }));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    return acked;
  }

  static void awaitDelivered(ServerProcess s, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    JsonObject inbox = null;
    while (System.nanoTime() < deadline) {
      inbox = s.http.get("/api/inbox", admin()).json();
      if (inbox.getInteger("pending") == 0) return;
      ServerEndToEndTest.pause();
    }
    throw new AssertionError("still pending after " + limit + ": " + inbox);
  }

  /** Slug → how many leads carry it. The list is complete only below its 1000 cap, which is asserted. */
  static Map<String, Integer> leadsBySlug(ServerProcess s) {
    JsonArray records = s.http.get("/api/clients/demo/leads?limit=1000", admin()).json().getJsonArray("records");
    assertThat(records.size()).as("leads listed (must stay under the 1000 cap to be complete)").isLessThan(1000);
    Map<String, Integer> out = new HashMap<>();
    for (Object o : records) {
      String url = ((JsonObject) o).getJsonObject("fields").getString(Leads.LINKEDIN_PROFILE_URL, "");
      out.merge(url.substring(url.lastIndexOf('/') + 1), 1, Integer::sum);
    }
    return out;
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aSigkillMidStreamLosesNoAcknowledgedWebhookAndDuplicatesNone() throws Exception {
    Path data = tmp.resolve("data");
    ServerProcess first = start(data, Map.of());
    AtomicBoolean killed = new AtomicBoolean();
    Map<Integer, Integer> others = new ConcurrentHashMap<>();
    Set<String> acked = flood(first.port, "kill", 2000, 64, n -> {
      if (n >= 600 && killed.compareAndSet(false, true)) first.process.destroyForcibly();
    }, others);
    assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(killed).isTrue();
    assertThat(acked).hasSizeBetween(600, 1999);

    ServerProcess second = start(data, Map.of());
    awaitDelivered(second, Duration.ofSeconds(90));
    Map<String, Integer> leads = leadsBySlug(second);
    for (String slug : acked) assertThat(leads.get(slug)).as("leads for acknowledged " + slug).isEqualTo(1);
    assertThat(leads.values()).as("no profile stored twice").allMatch(c -> c == 1);
    assertThat(second.http.get("/api/inbox", admin()).json().getInteger("dead")).isZero();
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void aSigtermStopsAcceptingExitsInTimeAndLosesNothing() throws Exception {
    Path data = tmp.resolve("data");
    ServerProcess first = start(data, Map.of("SHUTDOWN_TIMEOUT_S", "8"));
    AtomicBoolean termed = new AtomicBoolean();
    long[] termAt = new long[1];
    Map<Integer, Integer> others = new ConcurrentHashMap<>();
    Set<String> acked = flood(first.port, "term", 800, 32, n -> {
      if (n >= 300 && termed.compareAndSet(false, true)) {
        termAt[0] = System.nanoTime();
        first.process.destroy();
      }
    }, others);
    assertThat(first.process.waitFor(20, TimeUnit.SECONDS)).isTrue();
    double seconds = (System.nanoTime() - termAt[0]) / 1e9;
    assertThat(seconds).as("exit after SIGTERM within SHUTDOWN_TIMEOUT_S").isLessThan(8.5);
    // Refused requests are 503s (shutting down) or refused connections, never a lost 2xx or another error.
    assertThat(others.keySet()).allMatch(code -> code == 503 || code == -1);
    assertThat(Files.readString(first.log)).contains("shutting down: no new webhooks accepted");

    ServerProcess second = start(data, Map.of());
    awaitDelivered(second, Duration.ofSeconds(60));
    Map<String, Integer> leads = leadsBySlug(second);
    for (String slug : acked) assertThat(leads.get(slug)).as("leads for acknowledged " + slug).isEqualTo(1);
  }

  @Test
  @Timeout(value = 180, unit = TimeUnit.SECONDS)
  void secretsNeverAppearInLogsResponsesOrStoredFiles() throws Exception {
    Path data = tmp.resolve("data");
    ServerProcess s = start(data, Map.of("AIRTABLE_API_KEY", AIRTABLE_KEY, "STORE", "embedded",
        "WEBHOOK_SECRET_OTHER", "other-client-secret-9d1e"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=debug");
    List<String> secrets = List.of(ADMIN, HOOK, AIRTABLE_KEY, "other-client-secret-9d1e");
    List<TestHttp.Reply> replies = new ArrayList<>();
    TestHttp h = s.http;
    Map<String, String> json = Map.of("Content-Type", "application/json");
    replies.add(h.post("/lh-webhook/upsertLeadOnly?secret=" + HOOK + "&wait=true", profile("leak-query"), json));
    replies.add(h.post("/lh-webhook/upsertLeadOnly", profile("leak-header"),
        Map.of("Content-Type", "application/json", "X-Webhook-Secret", HOOK, "Cookie", "session=" + ADMIN)));
    long ts = Instant.now().getEpochSecond();
    String signedBody = profile("leak-signed");
    replies.add(h.post("/lh-webhook/upsertLeadOnly", signedBody, Map.of("Content-Type", "application/json",
        "X-Signature", "sha256=" + RequestAuth.sign(HOOK, ts, signedBody.getBytes(StandardCharsets.UTF_8)),
        "X-Signature-Timestamp", Long.toString(ts))));
    replies.add(h.post("/lh-webhook/upsertLeadOnly?secret=" + HOOK + "x", profile("leak-wrong"), json));
    replies.add(h.get("/api/inbox", Map.of("Authorization", "Bearer " + ADMIN + "x")));
    replies.add(h.get("/api/clients", Map.of("Authorization", "Basic " + ADMIN)));
    TestHttp.Reply run = h.get("/run-batch-score?wait=true", admin());
    assertThat(run.status()).isEqualTo(200);
    replies.add(run);
    JsonObject runs = h.get("/api/runs", admin()).json();
    replies.add(h.get("/api/runs", admin()));
    String runId = runs.getJsonArray("runs").getJsonObject(0).getString("runId");
    replies.add(h.get("/api/runs/" + runId, admin()));
    replies.add(h.get("/api/clients/demo", admin()));
    replies.add(h.get("/api/clients/demo/leads", admin()));
    replies.add(h.get("/api/inbox", admin()));
    replies.add(h.get("/api/inbox/dead", admin()));
    replies.add(h.get("/health?detail=true"));
    replies.add(h.get("/no/such/path?secret=" + HOOK));
    s.process.destroy();
    assertThat(s.process.waitFor(30, TimeUnit.SECONDS)).isTrue();

    String log = Files.readString(s.log);
    assertThat(log).contains("PB Webhook Server listening").contains("DEBUG");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertThat(files).anyMatch(p -> p.toString().contains("inbox"));
    for (String secret : secrets) {
      assertThat(log).as("server log").doesNotContain(secret);
      for (TestHttp.Reply r : replies) assertThat(r.body()).as("response body").doesNotContain(secret);
      for (Path f : files) {
        String content = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        assertThat(content).as("stored file " + f.getFileName()).doesNotContain(secret);
      }
    }
  }
}
