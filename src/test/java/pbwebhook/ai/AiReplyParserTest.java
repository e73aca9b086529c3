package pbwebhook.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AiReplyParserTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bare array     | [{\"id\":\"a\"},{\"id\":\"b\"}]                  | 2",
      "results        | {\"results\":[{\"id\":\"a\"},{\"id\":\"b\"}]}     | 2",
      "leads          | {\"leads\":[{\"id\":\"a\"}]}                     | 1",
      "post_analysis  | {\"post_analysis\":[{\"post_url\":\"u\"}]}        | 1",
      "posts          | {\"posts\":[{\"post_url\":\"u\"},{\"post_url\":\"v\"}]} | 2",
      "single object  | {\"id\":\"a\",\"positive_scores\":{}}             | 1",
      "non-objects    | [{\"id\":\"a\"},3,\"x\",null]                     | 1",
  })
  void acceptsTheShapesModelsAnswerIn(String name, String text, int count) {
    assertThat(AiReplyParser.objects(text)).hasSize(count).allSatisfy(o -> assertThat(o).isInstanceOf(JsonObject.class));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"'' | EMPTY_RESPONSE", "'   ' | EMPTY_RESPONSE", "no json here | PARSE_ERROR", "42 | PARSE_ERROR"})
  void failsWithTheKindThatDecidesTheLeadStatus(String text, AiException.Kind kind) {
    assertThatThrownBy(() -> AiReplyParser.objects(text))
        .isInstanceOfSatisfying(AiException.class, e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
