package pbwebhook.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pbwebhook.json.JsonRepair.Method;

class JsonRepairTest {

  static Stream<Arguments> repairs() {
    return Stream.of(
        Arguments.of("clean array", "[{\"postUrl\":\"u1\",\"postContent\":\"hi\"}]", Method.CLEAN, "hi"),
        Arguments.of("raw line break and NUL", "[{\"postUrl\":\"u1\",\"postContent\":\"line one\nline two\u0000\"}]\r\n",
            Method.CLEAN_PREPROCESSING, "line one\nline two"),
        Arguments.of("CRLF and tab in a string", "[{\"postUrl\":\"u1\",\"postContent\":\"a\r\nb\tc\"}]",
            Method.CLEAN_PREPROCESSING, "a\nb\tc"),
        Arguments.of("unescaped quotes in postContent",
            "[{\"postUrl\":\"u1\",\"postContent\":\"She said \"ship it\" and we did\",\"postDate\":\"2025\"}]",
            Method.QUOTE_REPAIR, "She said \"ship it\" and we did"),
        Arguments.of("trailing comma (the PB sample)", "[{\"postUrl\":\"u1\",\"postContent\":\"hi\"},]",
            Method.DIRTY_JSON, "hi"),
        Arguments.of("single quotes and unquoted keys", "[{postUrl:'u1', 'postContent':'say \"hi\"'}]",
            Method.DIRTY_JSON, "say \"hi\""),
        Arguments.of("trailing comma in an object", "[{\"postUrl\":\"u1\",\"postContent\":\"hi\",}]",
            Method.DIRTY_JSON, "hi"),
        Arguments.of("cut-off array keeps complete objects",
            "[{\"postUrl\":\"u1\",\"postContent\":\"kept\"},{\"postUrl\":\"u2\",\"postCont",
            Method.DIRTY_JSON, "kept"),
        Arguments.of("quote-broken postContent and a trailing comma",
            "[{\"postUrl\":\"u1\",\"postContent\":\"a \"b\", c\",\"postDate\":\"d\"},]",
            Method.DIRTY_JSON_QUOTE_REPAIR, "a \"b\", c"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("repairs")
  void repairsWhatCanBeRepairedAndSaysHow(String name, String text, Method method, String firstContent) {
    JsonRepair.Result r = JsonRepair.repairAndParse(text);
    assertThat(r.success()).as(String.valueOf(r.error())).isTrue();
    assertThat(r.method()).isEqualTo(method);
    assertThat(r.error()).isNull();
    JsonObject first = ((JsonArray) r.data()).getJsonObject(0);
    assertThat(first.getString("postUrl")).isEqualTo("u1");
    assertThat(first.getString("postContent")).isEqualTo(firstContent);
  }

  @Test
  void aCutOffArrayDropsOnlyTheIncompleteObjectAndSaysOneWasLost() {
    JsonRepair.Result r = JsonRepair.repairAndParse("[{\"a\":1},{\"a\":2},{\"a\":3,\"b\":[1,2");
    assertThat(r.method()).isEqualTo(Method.DIRTY_JSON);
    assertThat(r.data()).isEqualTo(new JsonArray("[{\"a\":1},{\"a\":2}]"));
    assertThat(r.lost()).isEqualTo(1);
    assertThat(r.intact()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
    "a post cut inside its pbMeta | [{\"postUrl\":\"u1\",\"postContent\":\"whole\",\"pbMeta\":{\"timestamp\":\"2025-06 | [] | 1",
    "a post cut inside its text | [{\"postUrl\":\"u1\"},{\"postUrl\":\"u2\",\"postContent\":\"Three less | [{\"postUrl\":\"u1\"}] | 1",
    "a post cut after a key | [{\"postUrl\":\"u1\"},{\"postUrl\" | [{\"postUrl\":\"u1\"}] | 1",
    "an element array left open | [[1,2],[3,4, | [[1,2],[3,4]] | 1",
    "a number that may be cut | [1,2,3 | [1,2] | 1",
    "only the closing bracket missing | [{\"postUrl\":\"u1\"}, | [{\"postUrl\":\"u1\"}] | 0",
    "nothing missing but a trailing comma | [{\"postUrl\":\"u1\"},] | [{\"postUrl\":\"u1\"}] | 0",
  })
  void whatACutOffTextLostIsCounted(String name, String text, String kept, int lost) {
    JsonRepair.Result r = JsonRepair.repairAndParse(text);
    assertThat(r.success()).isTrue();
    assertThat(r.data()).isEqualTo(new JsonArray(kept));
    assertThat(r.lost()).isEqualTo(lost);
    assertThat(r.intact()).isEqualTo(lost == 0);
  }

  @Test
  void cleanAndPreprocessedTextsAreIntactAndFailuresAreNot() {
    assertThat(JsonRepair.repairAndParse("[{\"a\":1}]").intact()).isTrue();
    assertThat(JsonRepair.repairAndParse("[\"line\none\"]").intact()).isTrue();
    assertThat(JsonRepair.repairAndParse("{{{").intact()).isFalse();
  }

  @ParameterizedTest(name = "corrupted: {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"", "   ", "{{{", "[{\"a\": }]", "not json at all",
      "{\"a\":1} trailing words"})
  void whatCannotBeRepairedIsCorruptedWithAReason(String text) {
    JsonRepair.Result r = JsonRepair.repairAndParse(text);
    assertThat(r.success()).isFalse();
    assertThat(r.method()).isEqualTo(Method.CORRUPTED);
    assertThat(r.data()).isNull();
    assertThat(r.error()).isNotBlank();
  }

  @Test
  void aCleanObjectAndScalarsParseAsThemselves() {
    assertThat(JsonRepair.repairAndParse("{\"a\":[1,2]}").data()).isEqualTo(new JsonObject().put("a", new JsonArray().add(1).add(2)));
    assertThat(JsonRepair.repairAndParse("\"text\"").data()).isEqualTo("text");
  }
}
