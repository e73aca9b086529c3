package pbwebhook.ai;

import pbwebhook.Await;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import pbwebhook.Server;
import pbwebhook.TestHttp;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.FakeLeadAnswers;
import pbwebhook.store.schema.Leads;

/** The whole server on a fresh embedded store, pointed at a fake AI: post leads, run a batch, read what was written. */
final class ScoringHarness implements AutoCloseable {

  record TestLead(String slug, String headline, String about) {
    double expectedScore() { return FakeLeadAnswers.expectedScore(headline, about); }
  }

  final Server server;
  final TestHttp http;

  private ScoringHarness(Server server) {
    this.server = server;
    this.http = new TestHttp(server.port());
  }

  static ScoringHarness start(Vertx vertx, Path dataDir, JsonObject settings) {
    JsonObject config = new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0).put("DATA_DIR", dataDir.toString())
        .mergeIn(settings);
    return new ScoringHarness(Await.within(Server.start(vertx, AppConfig.from(config))));
  }

  /** {@code n} leads with different headline and about lengths, so their expected scores differ. */
  static List<TestLead> leads(String prefix, int n) {
    List<TestLead> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new TestLead(prefix + "-" + i, "Founder and CEO at Company" + "X".repeat(i % 9),
          "We build software for accountants and lawyers across Australia" + ", really".repeat(i % 7) + "."));
    }
    return out;
  }

  void post(List<TestLead> leads) {
    StringBuilder body = new StringBuilder("[");
    for (TestLead l : leads) {
      if (body.length() > 1) body.append(',');
      body.append(new JsonObject().put("profileUrl", "https://www.linkedin.com/in/" + l.slug() + "/")
          .put("firstName", "Test").put("lastName", l.slug()).put("headline", l.headline()).put("summary", l.about())
          .put("experience", new JsonArray().add(new JsonObject().put("title", "Founder").put("company", "Acme")
              .put("dateRange", "2020 – Present").put("description", "Runs it.")))
          .encode());
    }
    TestHttp.Reply r = http.post("/lh-webhook/upsertLeadOnly?wait=true", body.append(']').toString());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  /** PhantomBuster delivers {@code posts} original posts for each lead, every one mentioning AI. */
  void postPosts(List<TestLead> leads, int posts) {
    JsonArray items = new JsonArray();
    for (TestLead l : leads) {
      String url = "https://www.linkedin.com/in/" + l.slug();
      for (int i = 0; i < posts; i++) {
        items.add(new JsonObject().put("profileUrl", url)
            .put("postUrl", "https://www.linkedin.com/feed/update/urn:li:activity:" + l.slug() + "-" + i)
            .put("postContent", "What we learned shipping AI agents, part " + i + "." + " More.".repeat(i))
            .put("postTimestamp", "2025-06-2" + (i % 10) + "T08:00:00.000Z").put("action", "Post").put("authorUrl", url));
      }
    }
    TestHttp.Reply r = http.post("/api/pb-webhook?wait=true", new JsonObject().put("resultObject", items).encode());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  /** Triggers a batch for the demo client and waits for it to end; the run JSON. */
  JsonObject runBatch() {
    return runToEnd("/run-batch-score");
  }

  /** Triggers a post-scoring run for the demo client and waits for it to end; the run JSON. */
  JsonObject runPosts() {
    return runToEnd("/run-post-batch-score");
  }

  private JsonObject runToEnd(String trigger) {
    TestHttp.Reply triggered = http.post(trigger, "");
    assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
    return http.finishedRun(triggered.json().getJsonArray("runs").getJsonObject(0).getString("runId"),
        Duration.ofSeconds(90));
  }

  /** Every demo lead's fields by profile slug. */
  Map<String, JsonObject> fieldsBySlug() {
    JsonArray records = http.get("/api/clients/demo/leads?limit=1000").json().getJsonArray("records");
    Map<String, JsonObject> out = new LinkedHashMap<>();
    for (Object o : records) {
      JsonObject r = (JsonObject) o;
      JsonObject f = r.getJsonObject("fields").copy().put("_id", r.getString("id"));
      String url = f.getString(Leads.LINKEDIN_PROFILE_URL, "");
      out.put(url.replaceAll("^.*/in/", "").replaceAll("/$", ""), f);
    }
    return out;
  }

  String executionLog() {
    return http.get("/api/clients/demo").json().getString("executionLog", "");
  }

  /** Asserts each lead was scored with exactly the fake's answer after clamping, with its breakdown and assessment. */
  void assertScoredAsTheFakeAnswered(List<TestLead> leads) {
    Map<String, JsonObject> fields = fieldsBySlug();
    for (TestLead l : leads) {
      JsonObject f = fields.get(l.slug().toLowerCase());
      assertThat(f).as(l.slug()).isNotNull();
      assertThat(f.getString(Leads.SCORING_STATUS)).as(l.slug()).isEqualTo(Leads.SCORED);
      assertThat(f.getDouble(Leads.AI_SCORE)).as(l.slug()).isEqualTo(l.expectedScore());
      assertThat(f.getString(Leads.AI_PROFILE_ASSESSMENT)).isEqualTo("Fake assessment of " + f.getString("_id"));
      String breakdown = f.getString(Leads.AI_ATTRIBUTE_BREAKDOWN);
      assertThat(breakdown).contains("**Total:**").endsWith("— Not Disqualified").contains("_Unscored attributes:_ **G**");
      JsonObject lead = new JsonObject().put("headline", l.headline()).put("about", l.about());
      int a = Math.min(FakeLeadAnswers.a(lead), 5);
      if (a > 0) assertThat(breakdown).contains("- **A (Founder / Co-Founder)**: " + a + " / 5\n  ↳ fake reason A for " + f.getString("_id"));
      int n1 = FakeLeadAnswers.n1(lead);
      if (n1 > 0) assertThat(breakdown).contains("- **N1 (Job-seeker)**: -" + n1 + " / -3");
    }
  }

  static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    Await.within(server.stop());
  }
}
