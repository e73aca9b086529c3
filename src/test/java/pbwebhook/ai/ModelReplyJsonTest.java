package pbwebhook.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelReplyJsonTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "bare array                 | [{\"id\":\"a\"},{\"id\":\"b\"}]                              | a,b",
      "fenced with prose          | 'Sure:\n```json\n[{\"id\":\"a\"},{\"id\":\"b\"}]\n```\nDone.' | a,b",
      "trailing commas            | [{\"id\":\"a\",},{\"id\":\"b\"},]                             | a,b",
      "cut off mid object         | [{\"id\":\"a\"},{\"id\":\"b\",\"x\":{\"y\":1}},{\"id\":\"c\",\"pos | a,b",
      "cut off inside a string    | [{\"id\":\"a\"},{\"id\":\"b\",\"why\":\"because of [the, {br | a",
      "cut off wrapped            | {\"results\":[{\"id\":\"a\"},{\"id\":\"b\",\"s | a",
      "unclosed fence, cut off    | '```json\n[{\"id\":\"a\"},{\"id\":\"b\"},{\"i'              | a,b",
      "brackets inside strings    | '[{\"id\":\"a\",\"t\":\"x ] } [\"}]'                        | a",
  })
  void readsWhatModelsWrite(String name, String text, String ids) {
    Object parsed = ModelReplyJson.parse(text);
    JsonArray array = parsed instanceof JsonObject o ? o.getJsonArray("results") : (JsonArray) parsed;
    assertThat(array.stream().map(e -> ((JsonObject) e).getString("id")).toList()).isEqualTo(List.of(ids.split(",")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"I cannot help with that.", "[{\"id\":", "{\"id\": \"a\", broken}"})
  void givesUpOnTextWithNoCompleteObject(String text) {
    assertThatThrownBy(() -> ModelReplyJson.parse(text)).isInstanceOf(DecodeException.class);
  }
}
