package pbwebhook.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pbwebhook.store.schema.Leads;

class PostResultFieldsTest {

  static final Instant NOW = Instant.parse("2025-07-01T02:30:00Z");
  static final String URL1 = "https://www.linkedin.com/feed/update/urn:li:activity:7000000000000000001";
  static final String URL2 = "https://www.linkedin.com/feed/update/urn:li:activity:7000000000000000002";

  static JsonObject stored(String url, String content, String date) {
    return new JsonObject().put("postUrl", url).put("postContent", content).put("postDate", date).put("pbMeta", new JsonObject());
  }

  static final List<JsonObject> SENT = List.of(
      stored(URL1, "Three lessons from shipping our first AI-powered assistant...", "2025-06-28T09:00:00.000Z"),
      stored(URL2, "AI mentioned in passing.", "2025-06-29T23:30:00.000Z"));

  /** The §9.4 sample reply. */
  static final List<JsonObject> REPLY = List.of(
      new JsonObject().put("post_url", URL1).put("post_score", 78)
          .put("scoring_rationale", "Original post with concrete lessons from deploying an AI assistant."),
      new JsonObject().put("post_url", URL2).put("post_score", 35).put("scoring_rationale", "Mentions AI only in passing."));

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "UTC                | Date: 2025-06-28 09:00 UTC",
    "Australia/Brisbane | Date: 2025-06-28 19:00 Australia/Brisbane",
    "Australia/Sydney   | Date: 2025-06-28 19:00 Australia/Sydney",
    "America/New_York   | Date: 2025-06-28 05:00 America/New_York",
  })
  void topScoringPostGoldenInTheClientsZone(String zone, String dateLine) {
    List<JsonObject> evaluated = PostReplyMerger.merge(REPLY, SENT);
    JsonObject top = PostReplyMerger.top(evaluated);
    assertThat(PostResultFields.topScoringPost(top, ZoneId.of(zone))).isEqualTo(dateLine + "\n"
        + "URL: " + URL1 + "\n"
        + "Score: 78\n"
        + "Content: Three lessons from shipping our first AI-powered assistant...\n"
        + "Rationale: Original post with concrete lessons from deploying an AI assistant.");
  }

  @Test
  void scoredFieldsCarryTheTopScoreTheWholeEvaluationAndTheDate() {
    List<JsonObject> evaluated = PostReplyMerger.merge(REPLY, SENT);
    JsonObject f = PostResultFields.scored(evaluated, PostReplyMerger.top(evaluated), NOW, ZoneId.of("UTC"));
    assertThat(f.getInteger(Leads.POSTS_RELEVANCE_SCORE)).isEqualTo(78);
    assertThat(f.getString(Leads.DATE_POSTS_SCORED)).isEqualTo("2025-07-01T02:30:00Z");
    JsonArray evaluation = new JsonArray(f.getString(Leads.POSTS_AI_EVALUATION));
    assertThat(f.getString(Leads.POSTS_AI_EVALUATION)).contains("\n");
    assertThat(evaluation).hasSize(2);
    assertThat(evaluation.getJsonObject(1).getString("post_content")).isEqualTo("AI mentioned in passing.");
    assertThat(evaluation.getJsonObject(1).getString("postDate")).isEqualTo("2025-06-29T23:30:00.000Z");
  }

  @Test
  void theFirstOfEqualTopScoresWinsAndScoresAreClamped() {
    List<JsonObject> reply = List.of(
        new JsonObject().put("post_url", URL1).put("post_score", "140"),
        new JsonObject().put("post_url", URL2).put("post_score", 100),
        new JsonObject().put("post_url", "https://invented/by-the-model").put("post_score", 100),
        new JsonObject().put("post_url", URL2).put("post_score", "n/a"));
    List<JsonObject> evaluated = PostReplyMerger.merge(reply, SENT);
    assertThat(evaluated).extracting(e -> e.getValue("post_score")).containsExactly(100, 100);
    JsonObject top = PostReplyMerger.top(evaluated);
    assertThat(top.getString("post_url")).isEqualTo(URL1);
    assertThat(PostResultFields.topScoringPost(top, ZoneId.of("UTC"))).endsWith("\nRationale: N/A");
  }

  @Test
  void aReplyThatScoresNoSentPostIsAnError() {
    List<JsonObject> evaluated = PostReplyMerger.merge(List.of(new JsonObject().put("post_url", "x").put("post_score", 5)), SENT);
    assertThatThrownBy(() -> PostReplyMerger.top(evaluated)).hasMessageContaining("no score");
  }

  @Test
  void noRelevantPostsAndErrorTexts() {
    JsonObject none = PostResultFields.noRelevantPosts(3, List.of("EDGE CASE: post_url=u | content=\"OpenAI\""), NOW);
    assertThat(none.getString(Leads.POSTS_AI_EVALUATION))
        .isEqualTo("Scanned 3 original posts. No relevant AI keywords detected.\nEDGE CASE: post_url=u | content=\"OpenAI\"");
    assertThat(none.getInteger(Leads.POSTS_RELEVANCE_SCORE)).isZero();
    assertThat(none.getString(Leads.DATE_POSTS_SCORED)).isEqualTo("2025-07-01T02:30:00Z");

    JsonObject err = PostResultFields.error("timeout after 120000 ms", NOW);
    assertThat(err.getString(Leads.POSTS_AI_EVALUATION)).isEqualTo("ERROR during AI post scoring: timeout after 120000 ms");
    assertThat(err.getString(Leads.DATE_POSTS_SCORED)).isEqualTo("2025-07-01T02:30:00Z");
  }

  @ParameterizedTest(name = "postDate ''{0}'' -> ''{1}''")
  @CsvSource(delimiter = '|', value = {
    "2025-06-28T09:00:00.000Z   | 2025-06-28 09:00 UTC",
    "2025-06-28T09:00:00+10:00  | 2025-06-27 23:00 UTC",
    "2w                         | 2w",
    "2025-06-28 09:00:59 extra  | 2025-06-28 09:00",
    "''                         | N/A",
  })
  void postDatesThatAreNotIsoAreShownAsGiven(String raw, String shown) {
    assertThat(PostResultFields.postDate(raw, ZoneId.of("UTC"))).isEqualTo(shown);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "own post, www and slash differ     | Post    | https://www.linkedin.com/in/Jane-Example/ | true",
    "a repost by the lead              | Repost  | https://linkedin.com/in/jane-example       | false",
    "reposted with comment             | Reposted| https://linkedin.com/in/jane-example       | false",
    "someone else's post               | Post    | https://linkedin.com/in/someone-else       | false",
    "no author url                     | Post    | ''                                         | false",
  })
  void originalsAreTheLeadsOwnNonRepostPosts(String name, String action, String authorUrl, boolean original) {
    JsonObject post = stored(URL1, "x", "").put("pbMeta", new JsonObject().put("action", action).put("authorUrl", authorUrl));
    assertThat(OriginalPosts.of(new JsonArray().add(post), "http://linkedin.com/in/jane-example")).hasSize(original ? 1 : 0);
  }

  @Test
  void theTopLevelAuthorUrlIsUsedWhenPbMetaHasNone() {
    JsonObject post = new JsonObject().put("postUrl", URL1).put("authorUrl", "https://www.linkedin.com/in/jane-example");
    assertThat(OriginalPosts.of(new JsonArray().add(post), "https://www.linkedin.com/in/jane-example/")).hasSize(1);
  }
}
