package pbwebhook.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.TestServer;
import pbwebhook.ai.AiException;
import pbwebhook.config.AlertSettings;
import pbwebhook.fakes.ScriptedScorer;

/**
 * Alert digests against local fake receivers (a Mailgun messages endpoint and a JSON webhook): what a failing run
 * sends, that a burst of events becomes one immediate message plus one digest, and that no secret leaves.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AlertDigestTest {

  private static final String MAILGUN_KEY = "key-mailgun-0123456789abcdef";
  /** A secret of the server (here the webhook secret) that an error text quotes. */
  private static final String ADMIN = "webhook-secret-for-alert-test";
  private static final String AI_KEY = "AIzaSyFAKE-gemini-key-0123456789";

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private HttpServer receiver;
  private final List<Received> mailgun = new CopyOnWriteArrayList<>();
  private final List<JsonObject> webhook = new CopyOnWriteArrayList<>();
  private TestServer server;

  record Received(String path, String authorization, Map<String, String> form) {}

  @BeforeEach
  void startReceivers() {
    vertx = Vertx.vertx();
    receiver = await(vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      if (req.path().startsWith("/v3/")) {
        mailgun.add(new Received(req.path(), req.getHeader("Authorization"), form(body.toString())));
      } else {
        webhook.add(body.toJsonObject());
      }
      req.response().setStatusCode(200).end("{}");
    })).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    await(vertx.close());
  }

  private String receiverUrl() {
    return "http://127.0.0.1:" + receiver.actualPort();
  }

  private JsonObject alertSettings(int intervalS) {
    return new JsonObject().put("MAILGUN_API_KEY", MAILGUN_KEY).put("MAILGUN_DOMAIN", "mg.example.com")
        .put("ALERT_EMAIL", "ops@example.com").put("FROM_EMAIL", "scorer@example.com")
        .put("MAILGUN_BASE_URL", receiverUrl()).put("ALERT_WEBHOOK_URL", receiverUrl() + "/hooks/alerts")
        .put("ALERT_INTERVAL_S", intervalS);
  }

  @Test
  void aRunWithErrorsSendsOneMailgunMessageAndOneWebhookMessageWithoutAnySecret() {
    ScriptedScorer scorer = new ScriptedScorer().byDefault((rubric, leads) -> Future.failedFuture(
        new AiException(AiException.Kind.BLOCKED, "provider refused key " + AI_KEY + " for " + ADMIN)));
    server = TestServer.start(dataDir, scorer, alertSettings(60).put("PB_WEBHOOK_SECRET", ADMIN)
        .put("DEMO_MODE", "true").put("GEMINI_API_KEY", AI_KEY).put("AI_PROVIDER", "gemini"));
    server.addLead(DEMO_BASE, "alert-lead", LONG_ABOUT);
    JsonObject run = waitForRun(server);
    assertThat(run.getString("status")).isEqualTo("completed_with_errors");

    TestServer.awaitCondition("one mail and one webhook message", Duration.ofSeconds(10),
        () -> mailgun.size() == 1 && webhook.size() == 1);
    Received mail = mailgun.get(0);
    assertThat(mail.path()).isEqualTo("/v3/mg.example.com/messages");
    assertThat(mail.authorization()).isEqualTo("Basic " + Base64.getEncoder()
        .encodeToString(("api:" + MAILGUN_KEY).getBytes(StandardCharsets.UTF_8)));
    assertThat(mail.form()).containsEntry("from", "scorer@example.com").containsEntry("to", "ops@example.com")
        .containsEntry("subject", "[LeadScorer-GeminiApp] client demo: run finished with errors");
    assertThat(mail.form().get("text"))
        .contains("run " + run.getString("runId") + " (leads): 1 processed, 0 successful, 1 failed")
        .contains("provider refused key [redacted] for [redacted]")
        .doesNotContain(AI_KEY).doesNotContain(ADMIN);
    assertThat(webhook.get(0).getString("text"))
        .isEqualTo(mail.form().get("subject") + "\n" + mail.form().get("text"));
  }

  @Test
  void aBurstOfEventsIsOneMessageAtOnceThenOneDigestPerKindAndClient() {
    SecretRedactor redactor = new SecretRedactor(List.of(ADMIN));
    AlertSettings settings = new AlertSettings(MAILGUN_KEY, "mg.example.com", "ops@example.com", "scorer@example.com",
        receiverUrl(), null, 1);
    await(vertx.deployVerticle(new AlertDigestVerticle(settings, redactor)));

    for (int i = 1; i <= 5; i++) Alert.raise(vertx, AlertKind.DEAD_LETTER, "acme", "entry ib_" + i + " dead");
    Alert.raise(vertx, AlertKind.DEAD_LETTER, "beta", "entry ib_b dead, token " + ADMIN);

    TestServer.awaitCondition("the first message of each client", Duration.ofSeconds(5), () -> mailgun.size() >= 2);
    TestServer.awaitCondition("acme's digest", Duration.ofSeconds(5), () -> mailgun.size() >= 3);
    Map<String, List<String>> bySubject = new HashMap<>();
    mailgun.forEach(m -> bySubject.computeIfAbsent(m.form().get("subject"), k -> new CopyOnWriteArrayList<>())
        .add(m.form().get("text")));
    assertThat(bySubject).containsOnlyKeys(
        "[LeadScorer-GeminiApp] client acme: webhooks dead-lettered",
        "[LeadScorer-GeminiApp] client acme: webhooks dead-lettered (4 events)",
        "[LeadScorer-GeminiApp] client beta: webhooks dead-lettered");
    assertThat(bySubject.get("[LeadScorer-GeminiApp] client acme: webhooks dead-lettered").get(0))
        .endsWith("  entry ib_1 dead\n");
    String digest = bySubject.get("[LeadScorer-GeminiApp] client acme: webhooks dead-lettered (4 events)").get(0);
    assertThat(digest.lines().map(l -> l.substring(l.indexOf("  ") + 2)))
        .containsExactly("entry ib_2 dead", "entry ib_3 dead", "entry ib_4 dead", "entry ib_5 dead");
    assertThat(bySubject.get("[LeadScorer-GeminiApp] client beta: webhooks dead-lettered").get(0))
        .endsWith("  entry ib_b dead, token [redacted]\n");
    assertThat(mailgun).hasSize(3);
  }

  @Test
  void aDeadLetteredWebhookRaisesOneAlertNamingItAndHowToReplayIt() {
    pbwebhook.fakes.FlakyStore[] flaky = new pbwebhook.fakes.FlakyStore[1];
    server = TestServer.start(dataDir, new ScriptedScorer(), alertSettings(60), store ->
        flaky[0] = new pbwebhook.fakes.FlakyStore(store, DEMO_BASE));
    flaky[0].refuseWritesContaining("Unstorable Headline");
    pbwebhook.TestHttp.Reply r = server.http().post("/lh-webhook/upsertLeadOnly?clientId=" + DEMO,
        "{\"profileUrl\":\"https://www.linkedin.com/in/alert-dead\",\"firstName\":\"A\","
            + "\"headline\":\"Unstorable Headline\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String id = r.json().getString("inboxId");

    TestServer.awaitCondition("the dead-letter alert", Duration.ofSeconds(20), () -> webhook.size() == 1);
    assertThat(webhook.get(0).getString("text"))
        .startsWith("[LeadScorer-GeminiApp] client demo: webhooks dead-lettered\n")
        .contains("webhook " + id + " (lh-profiles) dead-lettered: the store refused 1 item(s)")
        .endsWith("replay it with POST /api/inbox/dead/" + id + "/replay\n");
  }

  @Test
  void theRedactorRemovesConfiguredSecretsAndTokenShapes() {
    SecretRedactor r = new SecretRedactor(List.of("s3cret-value", "x"));
    assertThat(r.redact("a s3cret-value b")).isEqualTo("a [redacted] b");
    assertThat(r.redact("auth: Bearer abc.DEF-123 then")).isEqualTo("auth: [redacted] then");
    assertThat(r.redact("token patAbCdEf1234.0123456789abcdef0123456789abcdef ok"))
        .isEqualTo("token [redacted] ok");
    assertThat(r.redact("url ?key=AIzaSy012345678 end")).isEqualTo("url ?[redacted] end");
    assertThat(r.redact("a x in a word stays")).as("too short to be treated as a secret").isEqualTo("a x in a word stays");
  }

  private static JsonObject waitForRun(TestServer server) {
    return server.runToEnd(DEMO);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(20, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("not completed in time", e);
    }
  }
}
