package pbwebhook.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO_BASE;
import static pbwebhook.TestServer.LONG_ABOUT;
import static pbwebhook.fakes.ScriptedScorer.assessmentOf;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.store.schema.Leads;

/**
 * {@code GET /score-lead}: one lead scored now, its skip rules, and its reply shapes (system.md §1). Each test has
 * its own server and scripted scorer, so a script queued or a call counted in one test cannot reach another.
 */
class ScoreLeadTest {

  @TempDir
  Path dataDir;

  final ScriptedScorer scorer = new ScriptedScorer();
  TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(dataDir, scorer);
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "no Profile Full JSON     | NULL                                     | Skipped – Profile JSON missing",
      "blank Profile Full JSON  | '   '                                    | Skipped – Profile JSON missing",
      "about under 40 chars     | '{\"headline\":\"CEO\",\"about\":\"Short bio.\"}' | Skipped – Profile JSON too small",
      "no about at all          | '{\"headline\":\"CEO\",\"experience\":[]}'       | Skipped – Profile JSON too small",
      "Profile JSON not JSON    | '{not json'                              | Skipped – Profile JSON too small"})
  void aLeadWithoutEnoughProfileIsSkippedWithTheReason(String name, String profileJson, String reason) {
    JsonObject fields = new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/skip")
        .put(Leads.SCORING_STATUS, Leads.TO_BE_SCORED).put(Leads.AI_PROFILE_ASSESSMENT, "old assessment")
        .put(Leads.AI_ATTRIBUTE_BREAKDOWN, "old breakdown").put(Leads.AI_SCORE, 55.0);
    if (profileJson != null) fields.put(Leads.PROFILE_FULL_JSON, profileJson);
    String id = server.addLead(DEMO_BASE, fields);

    TestHttp.Reply r = server.http().get("/score-lead?recordId=" + id);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).isEqualTo(new JsonObject().put("ok", true).put("skipped", true).put("reason", reason));
    JsonObject f = server.lead(DEMO_BASE, id);
    assertThat(f.getString(Leads.SCORING_STATUS)).isEqualTo(reason);
    assertThat(f.getDouble(Leads.AI_SCORE)).isZero();
    assertThat(f.getString(Leads.AI_PROFILE_ASSESSMENT)).isEmpty();
    assertThat(f.getString(Leads.AI_ATTRIBUTE_BREAKDOWN)).isEmpty();
    assertThat(f.getString(Leads.DATE_SCORED)).isEqualTo(LocalDate.now(ZoneOffset.UTC).toString());
    assertThat(scorer.calls()).isEmpty();
  }

  @Test
  void aLeadWithAProfileIsScoredNowAndTheReplyCarriesTheResult() {
    String id = server.addLead(DEMO_BASE, "score-now", LONG_ABOUT);

    TestHttp.Reply r = server.http().get("/score-lead?recordId=" + id);

    assertThat(r.status()).isEqualTo(200);
    JsonObject body = r.json();
    assertThat(body.fieldNames()).containsExactlyInAnyOrder("id", "finalPct", "aiProfileAssessment", "breakdown");
    assertThat(body.getString("id")).isEqualTo(id);
    assertThat(body.getDouble("finalPct")).isEqualTo(100.0);
    assertThat(body.getString("aiProfileAssessment")).isEqualTo(assessmentOf(id));
    assertThat(body.getString("breakdown")).endsWith("**Total:** 38 / 38 ⇒ 100.0 % — Not Disqualified");
    JsonObject f = server.lead(DEMO_BASE, id);
    assertThat(f.getString(Leads.SCORING_STATUS)).isEqualTo(Leads.SCORED);
    assertThat(f.getDouble(Leads.AI_SCORE)).isEqualTo(100.0);
    assertThat(f.getString(Leads.AI_ATTRIBUTE_BREAKDOWN)).isEqualTo(body.getString("breakdown"));
    assertThat(scorer.calls()).hasSize(1);
    assertThat(scorer.calls().get(0).leadIds()).containsExactly(id);
  }

  @Test
  void anUnknownRecordIs404AndAMissingIdIs400() {
    assertThat(server.http().get("/score-lead?recordId=recDoesNotExist00").status()).isEqualTo(404);
    TestHttp.Reply noId = server.http().get("/score-lead");
    assertThat(noId.status()).isEqualTo(400);
    assertThat(noId.json().getString("error")).contains("recordId");
  }

  @Test
  void aReplyCutOffBeforeTheLeadFailsItAsCutOffWithA502() {
    String id = server.addLead(DEMO_BASE, "cut-off-one", LONG_ABOUT);
    scorer.then((rubric, leads) -> io.vertx.core.Future.succeededFuture(
        new pbwebhook.ai.LeadScoringReply(java.util.List.of(), ScriptedScorer.TOKENS_PER_CALL, true)));

    TestHttp.Reply reply = server.http().get("/score-lead?recordId=" + id);

    assertThat(reply.status()).isEqualTo(502);
    assertThat(reply.json().getString("error"))
        .isEqualTo("the AI reply for lead " + id + " stopped at its output token limit");
    assertThat(server.lead(DEMO_BASE, id).getString(Leads.SCORING_STATUS)).isEqualTo(Leads.FAILED_REPLY_CUT_OFF);
  }
}
