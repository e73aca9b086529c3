package pbwebhook.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostKeywordFilterTest {

  static final PostKeywordFilter DEMO = PostKeywordFilter.of("AI, automation, machine learning, LLM, generative AI, chatbot");

  @ParameterizedTest(name = "[{index}] \"{0}\" relevant={1}")
  @CsvSource(delimiter = '|', value = {
    "We shipped an AI assistant                       | true",
    "ai is everywhere                                 | true",
    "Our AI-powered quoting tool                      | true",
    "An AI powered tool (with a space)                | true",
    "AIpowered, no separator                          | true",
    "AI-driven insights                               | true",
    "We sell AI solutions                             | true",
    "We sell AI solution                              | true",
    "Five AIs walk into a bar                         | false",
    "OpenAI announced a model                         | false",
    "She said hello and paid the bill                 | false",
    "Aim high, maintain focus                         | false",
    "We automate with automations                     | true",
    "Automation saved us hours                        | true",
    "Machine learnings from the week                  | true",
    "machine-learning is hyphenated                   | false",
    "Our chatbots answer at night                     | true",
    "LLMs everywhere                                  | true",
    "A great weekend at the beach                     | false",
  })
  void keywordRegexesOfStep3(String text, boolean relevant) {
    assertThat(DEMO.matches(text)).isEqualTo(relevant);
  }

  @Test
  void theAiRegexIsTheIntendedOneWithASpaceOrHyphen() {
    assertThat(PostKeywordFilter.AI_REGEX).contains("[-\\s]?");
    // the old regex's [-s] accepted "AIspowered" but not "AI powered"
    assertThat(PostKeywordFilter.of("ai").matches("AIspowered")).isFalse();
  }

  @Test
  void keywordsAreMatchedLiterallyNotAsRegexes() {
    PostKeywordFilter f = PostKeywordFilter.of("c.e.o, a+b");
    assertThat(f.matches("the c.e.o spoke")).isTrue();
    assertThat(f.matches("the cxexo spoke")).isFalse();
  }

  @Test
  void withoutKeywordsEveryPostIsRelevant() {
    assertThat(PostKeywordFilter.of(null).configured()).isFalse();
    assertThat(PostKeywordFilter.of(" , ").matches("anything at all")).isTrue();
  }

  @Test
  void theTextTestedIsThePostOrItsContent() {
    assertThat(PostKeywordFilter.textOf("plain string post")).isEqualTo("plain string post");
    assertThat(PostKeywordFilter.textOf(new JsonObject().put("postContent", "body"))).isEqualTo("body");
    assertThat(PostKeywordFilter.textOf(new JsonObject())).isEmpty();
  }

  @Test
  void aBareAiThatMatchedNothingIsNotedAsAnEdgeCase() {
    JsonObject post = new JsonObject().put("postUrl", "https://x/p9").put("postContent", "OpenAI shipped\nagain");
    assertThat(DEMO.matches(PostKeywordFilter.textOf(post))).isFalse();
    assertThat(PostKeywordFilter.edgeCase(post)).isEqualTo("EDGE CASE: post_url=https://x/p9 | content=\"OpenAI shipped again\"");
    assertThat(PostKeywordFilter.edgeCase(new JsonObject().put("postContent", "a quiet week"))).isNull();
  }
}
