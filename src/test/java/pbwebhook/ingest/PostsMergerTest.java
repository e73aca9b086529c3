package pbwebhook.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pbwebhook.store.schema.Leads;

class PostsMergerTest {

  static final Instant NOW = Instant.parse("2025-07-01T02:30:00Z");

  static JsonObject post(String url) {
    return new JsonObject().put("postUrl", url).put("postContent", "content of " + url).put("postDate", "")
        .put("pbMeta", new JsonObject());
  }

  static JsonObject lead(Object postsContent, String status) {
    JsonObject f = new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/x");
    if (postsContent != null) f.put(Leads.POSTS_CONTENT, postsContent);
    if (status != null) f.put(Leads.POSTS_JSON_STATUS, status);
    return f;
  }

  @Test
  void newPostsAreAppendedAsPrettyJsonWithTheTime() {
    String existing = new JsonArray().add(post("https://x/p1")).encode();
    PostsMerger.Merge m = PostsMerger.merge(lead(existing, null), List.of(post("https://x/p2")), NOW);
    assertThat(m.outcome()).isEqualTo(PostsMerger.Outcome.ADDED);
    assertThat(m.added()).isEqualTo(1);
    String written = m.fields().getString(Leads.POSTS_CONTENT);
    assertThat(written).contains("\n");
    assertThat(new JsonArray(written)).containsExactly(post("https://x/p1"), post("https://x/p2"));
    assertThat(m.fields().getString(Leads.TIME_POSTS_ADDED)).isEqualTo("2025-07-01T02:30:00Z");
    assertThat(m.fields().getString(Leads.POSTS_JSON_STATUS)).isEqualTo("Parsed");
  }

  @ParameterizedTest(name = "stored ''{0}'' vs new ''{1}'' is the same post")
  @CsvSource({
    "https://x/p1, https://x/p1",
    "https://x/p1, https://x/p1/",
    "https://x/p1/, '  https://x/p1  '",
  })
  void aPostAlreadyStoredIsNotAddedAgain(String stored, String incoming) {
    String existing = new JsonArray().add(post(stored)).encode();
    PostsMerger.Merge m = PostsMerger.merge(lead(existing, "Parsed"), List.of(post(incoming)), NOW);
    assertThat(m.outcome()).isEqualTo(PostsMerger.Outcome.NOTHING_NEW);
    assertThat(m.fields().isEmpty()).as("nothing to write").isTrue();
  }

  @Test
  void duplicatesWithinOneDeliveryAreAddedOnce() {
    PostsMerger.Merge m = PostsMerger.merge(lead(null, null), List.of(post("u1"), post("u1/"), post("u2")), NOW);
    assertThat(m.added()).isEqualTo(2);
    assertThat(new JsonArray(m.fields().getString(Leads.POSTS_CONTENT))).hasSize(2);
  }

  @Test
  void nothingNewStillMarksTheStoredJsonParsed() {
    String existing = new JsonArray().add(post("u1")).encode();
    PostsMerger.Merge m = PostsMerger.merge(lead(existing, null), List.of(post("u1")), NOW);
    assertThat(m.fields()).isEqualTo(new JsonObject().put(Leads.POSTS_JSON_STATUS, "Parsed"));
  }

  @Test
  void aRepairableStoredValueIsRepairedAndKept() {
    String broken = "[{\"postUrl\":\"u1\",\"postContent\":\"old\"},]";
    PostsMerger.Merge m = PostsMerger.merge(lead(broken, null), List.of(post("u2")), NOW);
    assertThat(m.outcome()).isEqualTo(PostsMerger.Outcome.ADDED);
    JsonArray written = new JsonArray(m.fields().getString(Leads.POSTS_CONTENT));
    assertThat(written).hasSize(2);
    assertThat(written.getJsonObject(0).getString("postContent")).isEqualTo("old");
  }

  @Test
  void aStoredValueThatStaysBrokenIsNeverOverwritten() {
    PostsMerger.Merge m = PostsMerger.merge(lead("{{{ this is not JSON", null), List.of(post("u2")), NOW);
    assertThat(m.outcome()).isEqualTo(PostsMerger.Outcome.EXISTING_BROKEN);
    assertThat(m.added()).isZero();
    assertThat(m.fields()).isEqualTo(new JsonObject().put(Leads.POSTS_JSON_STATUS, "Failed"));
    assertThat(m.error()).contains("does not parse");

    PostsMerger.Merge notArray = PostsMerger.merge(lead("{\"a\":1}", "Failed"), List.of(post("u2")), NOW);
    assertThat(notArray.outcome()).isEqualTo(PostsMerger.Outcome.EXISTING_BROKEN);
    assertThat(notArray.fields().isEmpty()).as("already marked Failed").isTrue();
  }

  @Test
  void blankStoredValueStartsEmpty() {
    PostsMerger.Merge m = PostsMerger.merge(lead("   ", null), List.of(post("u1")), NOW);
    assertThat(new JsonArray(m.fields().getString(Leads.POSTS_CONTENT))).containsExactly(post("u1"));
  }

  @org.junit.jupiter.api.Test
  void postsContentStaysUnderAirtablesLongTextLimitKeepingTheNewestPosts() {
    io.vertx.core.json.JsonArray stored = new io.vertx.core.json.JsonArray();
    for (int i = 0; i < 40; i++) {
      stored.add(post("https://www.linkedin.com/feed/update/old-" + i).put("postDate", String.format("2024-01-%02dT00:00:00Z", i % 28 + 1))
          .put("postContent", "x".repeat(3_000)));
    }
    JsonObject fresh = post("https://www.linkedin.com/feed/update/new").put("postDate", "2025-06-30T00:00:00Z")
        .put("postContent", "y".repeat(3_000));
    PostsMerger.Merge m = PostsMerger.merge(lead(stored.encodePrettily(), "Parsed"), java.util.List.of(fresh), NOW);

    String text = m.fields().getString(Leads.POSTS_CONTENT);
    org.assertj.core.api.Assertions.assertThat(text.length()).isLessThanOrEqualTo(PostsMerger.MAX_CHARS);
    io.vertx.core.json.JsonArray kept = new io.vertx.core.json.JsonArray(text);
    org.assertj.core.api.Assertions.assertThat(kept.stream().map(o -> ((JsonObject) o).getString("postUrl")))
        .contains("https://www.linkedin.com/feed/update/new").hasSizeLessThan(41);
    org.assertj.core.api.Assertions.assertThat(m.error()).contains("oldest post");
  }

  /** Two whole posts, pretty-printed as stored, then the third cut off at {@code cut} characters into its text. */
  static String cutOff(String thirdPost, int cut) {
    String two = new JsonArray().add(post("https://x/p1")).add(post("https://x/p2")).encodePrettily();
    return two.substring(0, two.length() - 2) + ",\n  " + thirdPost.substring(0, cut);
  }

  @Test
  void aTextCutOffInsideAPostIsKeptByteForByteMarkedFailedAndTheNewPostsRefused() {
    String third = new JsonObject().put("postUrl", "https://x/p3").put("postContent", "the third post, cut off")
        .put("postDate", "").encode();
    String stored = cutOff(third, third.indexOf("third pos") + "third pos".length());
    assertThat(stored).endsWith("\"postContent\":\"the third pos");

    PostsMerger.Merge m = PostsMerger.merge(lead(stored, "Parsed"), List.of(post("https://x/p4")), NOW);

    assertThat(m.outcome()).isEqualTo(PostsMerger.Outcome.EXISTING_BROKEN);
    assertThat(m.added()).isZero();
    assertThat(m.fields()).as("Posts Content is not written").isEqualTo(new JsonObject().put(Leads.POSTS_JSON_STATUS, "Failed"));
    assertThat(m.error()).isEqualTo("the stored Posts Content is cut off (1 post cannot be recovered whole); kept as it is"
        + " and no posts were added");
  }

  @Test
  void aWholePostCutInsideItsPbMetaIsNotLostWhenANewPostArrives() {
    String stored = "[{\"postUrl\":\"https://x/p1\",\"postContent\":\"whole text\",\"postDate\":\"\","
        + "\"pbMeta\":{\"timestamp\":\"2025-06-30T17:31:00.000Z\",\"type\":\"Te";
    PostsMerger.Merge m = PostsMerger.merge(lead(stored, null), List.of(post("https://x/p2")), NOW);
    assertThat(m.outcome()).isEqualTo(PostsMerger.Outcome.EXISTING_BROKEN);
    assertThat(m.fields()).isEqualTo(new JsonObject().put(Leads.POSTS_JSON_STATUS, "Failed"));

    PostsMerger.Merge again = PostsMerger.merge(lead(stored, "Failed"), List.of(post("https://x/p2")), NOW);
    assertThat(again.outcome()).isEqualTo(PostsMerger.Outcome.EXISTING_BROKEN);
    assertThat(again.fields().isEmpty()).as("already marked Failed: nothing to write").isTrue();
  }

  @Test
  void postsAlreadyAmongTheWholeOnesOfACutOffTextAreNothingNewButTheTextIsStillMarkedFailed() {
    String stored = cutOff(post("https://x/p3").encode(), 30);
    PostsMerger.Merge m = PostsMerger.merge(lead(stored, null), List.of(post("https://x/p2/")), NOW);
    assertThat(m.outcome()).isEqualTo(PostsMerger.Outcome.NOTHING_NEW);
    assertThat(m.fields()).isEqualTo(new JsonObject().put(Leads.POSTS_JSON_STATUS, "Failed"));

    PostsMerger.Merge cutOne = PostsMerger.merge(lead(stored, null), List.of(post("https://x/p3")), NOW);
    assertThat(cutOne.outcome()).as("the cut-off post itself is not stored whole").isEqualTo(PostsMerger.Outcome.EXISTING_BROKEN);
  }

  @Test
  void aTextMissingOnlyItsClosingBracketIsRepairedAndRewrittenWithTheNewPost() {
    String stored = "[{\"postUrl\":\"https://x/p1\",\"postContent\":\"content of https://x/p1\",\"postDate\":\"\","
        + "\"pbMeta\":{}},";
    PostsMerger.Merge m = PostsMerger.merge(lead(stored, null), List.of(post("https://x/p2")), NOW);
    assertThat(m.outcome()).isEqualTo(PostsMerger.Outcome.ADDED);
    assertThat(m.fields().getString(Leads.POSTS_CONTENT)).isEqualTo("""
        [ {
          "postUrl" : "https://x/p1",
          "postContent" : "content of https://x/p1",
          "postDate" : "",
          "pbMeta" : { }
        }, {
          "postUrl" : "https://x/p2",
          "postContent" : "content of https://x/p2",
          "postDate" : "",
          "pbMeta" : { }
        } ]""");
    assertThat(m.fields().getString(Leads.POSTS_JSON_STATUS)).isEqualTo("Parsed");
  }
}
