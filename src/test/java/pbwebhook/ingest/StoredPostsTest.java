package pbwebhook.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import pbwebhook.ingest.StoredPosts.State;

/** How a stored Posts Content reads through the §3.4 repair steps; the texts are the repair test's seeds. */
class StoredPostsTest {

  static final String VALID = "[{\"postUrl\":\"https://www.linkedin.com/feed/update/urn:li:activity:1\","
      + "\"postContent\":\"Hello\",\"postDate\":\"2025-06-28\"}]";
  static final String TRAILING_COMMAS = "[{\"postUrl\":\"u2\",\"postContent\":\"Lessons\",},]";
  static final String STRAY_QUOTES = "[{\"postUrl\":\"u3\",\"postContent\":\"She said \"hi\" to us\",\"postDate\":\"2025-06-28\"}]";
  static final String NOT_JSON = "{{ this is not json at all";
  static final String CUT_OFF = "[{\"postUrl\":\"u5\",\"postContent\":\"first\"},{\"postUrl\":\"u6\",\"postContent\":\"second is cu";

  @Test
  void eachKindOfStoredTextIsRecognised() {
    assertThat(StoredPosts.read(null).state()).isEqualTo(State.EMPTY);
    assertThat(StoredPosts.read("  ").state()).isEqualTo(State.EMPTY);
    assertThat(StoredPosts.read(VALID).state()).isEqualTo(State.VALID);
    assertThat(StoredPosts.read(new JsonArray().add(1)).state()).isEqualTo(State.VALID);

    StoredPosts commas = StoredPosts.read(TRAILING_COMMAS);
    assertThat(commas.state()).isEqualTo(State.REPAIRABLE);
    assertThat(commas.posts()).isEqualTo(new JsonArray().add(new JsonObject().put("postUrl", "u2").put("postContent", "Lessons")));
    StoredPosts quotes = StoredPosts.read(STRAY_QUOTES);
    assertThat(quotes.state()).isEqualTo(State.REPAIRABLE);
    assertThat(quotes.posts()).isEqualTo(new JsonArray().add(new JsonObject().put("postUrl", "u3")
        .put("postContent", "She said \"hi\" to us").put("postDate", "2025-06-28")));

    StoredPosts broken = StoredPosts.read(NOT_JSON);
    assertThat(broken.state()).isEqualTo(State.BROKEN);
    assertThat(broken.posts()).isNull();
    StoredPosts cut = StoredPosts.read(CUT_OFF);
    assertThat(cut.state()).isEqualTo(State.CUT_OFF);
    assertThat(cut.lost()).isEqualTo(1);
    assertThat(cut.problem()).isEqualTo("cut off (1 post cannot be recovered whole)");
    assertThat(StoredPosts.read("{\"postUrl\":\"u7\"}").state()).isEqualTo(State.BROKEN);
    assertThat(StoredPosts.read("{\"postUrl\":\"u7\"}").problem()).isEqualTo("it is not a JSON array");
  }
}
