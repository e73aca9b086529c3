package pbwebhook.ingest;

import pbwebhook.json.JsonRepair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PbPostsParserTest {

  static final String HEADER = "{\"profileUrl\":\"Profile URL\",\"error\":\"Invalid input\"}";
  static final String JANE_POST = "{\"profileUrl\":\"https://www.linkedin.com/in/jane-example-0001\","
      + "\"postUrl\":\"https://www.linkedin.com/feed/update/urn:li:activity:7000000000000000001\","
      + "\"postContent\":\"Three lessons from shipping our first AI-powered assistant...\","
      + "\"postTimestamp\":\"2025-06-28T09:00:00.000Z\",\"timestamp\":\"2025-06-30T17:31:00.000Z\",\"type\":\"Text\","
      + "\"imgUrl\":\"\",\"author\":\"Jane Example\",\"authorUrl\":\"https://www.linkedin.com/in/jane-example-0001\","
      + "\"likeCount\":12,\"commentCount\":3,\"repostCount\":0,\"action\":\"Post\"}";

  /** The stored post of system.md §9.2 for the sample row. */
  static final JsonObject JANE_STORED = new JsonObject()
      .put("postUrl", "https://www.linkedin.com/feed/update/urn:li:activity:7000000000000000001")
      .put("postContent", "Three lessons from shipping our first AI-powered assistant...")
      .put("postDate", "2025-06-28T09:00:00.000Z")
      .put("pbMeta", new JsonObject().put("timestamp", "2025-06-30T17:31:00.000Z").put("type", "Text").put("imgUrl", "")
          .put("author", "Jane Example").put("authorUrl", "https://www.linkedin.com/in/jane-example-0001")
          .put("likeCount", 12).put("commentCount", 3).put("repostCount", 0).put("action", "Post"));

  @Test
  void variantAStringWithHeaderRowAndTrailingComma() {
    PbPostsParser.Parsed p = PbPostsParser.parse("[" + HEADER + "," + JANE_POST + ",]");
    assertThat(p.items()).isEqualTo(1);
    assertThat(p.ignored()).isZero();
    assertThat(p.repair()).isEqualTo(JsonRepair.Method.DIRTY_JSON);
    assertThat(p.profiles()).hasSize(1);
    PbPostsParser.ProfilePosts jane = p.profiles().get(0);
    assertThat(jane.profileUrl()).isEqualTo("https://www.linkedin.com/in/jane-example-0001");
    assertThat(jane.canonicalKey()).isEqualTo("linkedin.com/in/jane-example-0001");
    assertThat(jane.posts()).containsExactly(JANE_STORED);
  }

  @Test
  void variantBArrayAndVariantCSingleObjectGiveTheSamePosts() {
    PbPostsParser.Parsed array = PbPostsParser.parse(new JsonArray("[" + HEADER + "," + JANE_POST + "]"));
    PbPostsParser.Parsed single = PbPostsParser.parse(new JsonObject(JANE_POST));
    assertThat(array.profiles().get(0).posts()).containsExactly(JANE_STORED);
    assertThat(single.profiles().get(0).posts()).containsExactly(JANE_STORED);
    assertThat(array.repair()).isNull();
  }

  @Test
  void postsAreGroupedByCanonicalProfileUrlAndRowsWithoutUrlsAreIgnored() {
    JsonArray rows = new JsonArray()
        .add(new JsonObject().put("profileUrl", "https://www.linkedin.com/in/Sam-X/").put("postUrl", "p1"))
        .add(new JsonObject().put("profileUrl", "http://linkedin.com/in/sam-x?trk=1").put("postUrl", "p2")
            .put("postDate", "2025-01-01"))
        .add(new JsonObject().put("profileUrl", "https://www.linkedin.com/in/other").put("postUrl", ""))
        .add(new JsonObject().put("postUrl", "p3"))
        .add("not an object");
    PbPostsParser.Parsed p = PbPostsParser.parse(rows);
    assertThat(p.items()).isEqualTo(5);
    assertThat(p.ignored()).isEqualTo(3);
    assertThat(p.profiles()).hasSize(1);
    assertThat(p.profiles().get(0).profileUrl()).isEqualTo("https://www.linkedin.com/in/Sam-X/");
    assertThat(p.profiles().get(0).posts()).extracting(o -> o.getString("postUrl")).containsExactly("p1", "p2");
    assertThat(p.profiles().get(0).posts().get(1).getString("postDate")).isEqualTo("2025-01-01");
    assertThat(p.profiles().get(0).posts().get(0).getString("postContent")).isEmpty();
  }

  @Test
  void onlyTheHeaderRowGivesNothingToStore() {
    PbPostsParser.Parsed p = PbPostsParser.parse("[" + HEADER + "]");
    assertThat(p.profiles()).isEmpty();
    assertThat(p.items()).isZero();
  }

  @Test
  void missingOrUnreadableResultObjectIsAnInvalidPayload() {
    assertThatThrownBy(() -> PbPostsParser.parse(null)).isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("resultObject is missing");
    assertThatThrownBy(() -> PbPostsParser.parse("[{\"profileUrl\": }")).isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("resultObject is not valid JSON");
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "\"just text\"", "true"})
  void aStringHoldingAScalarIsRefused(String text) {
    assertThatThrownBy(() -> PbPostsParser.parse(text)).isInstanceOf(InvalidPayloadException.class)
        .hasMessageContaining("must be a JSON array or object");
  }

  @Test
  void profilePostsSurviveTheWorkerMessage() {
    PbPostsParser.ProfilePosts jane = PbPostsParser.parse(JANE_POST).profiles().get(0);
    JsonObject wire = new JsonObject(jane.toJson().encode());
    assertThat(PbPostsParser.ProfilePosts.fromJson(wire)).isEqualTo(jane);
  }
}
