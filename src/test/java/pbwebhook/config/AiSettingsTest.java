package pbwebhook.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pbwebhook.ai.TokenUsage;

class AiSettingsTest {

  @ParameterizedTest(name = "AI_PROVIDER={0}, gemini key {1}, project {2}, credentials {3}, openai key {4} -> {5}")
  @CsvSource({
      "'',        false, false, false, false, heuristic",
      "'',        true,  true,  true,  true,  gemini",
      "'',        false, true,  true,  true,  vertex",
      "'',        false, true,  false, true,  openai",
      "auto,      false, false, false, true,  openai",
      "heuristic, true,  false, false, false, heuristic",
      "OpenAI,    false, false, false, false, openai",
  })
  void theProviderIsTheOneAskedForElseTheFirstWithCredentials(String asked, boolean gemini, boolean project,
                                                              boolean credentials, boolean openai, String expected) {
    JsonObject c = new JsonObject().put("AI_PROVIDER", asked);
    if (gemini) c.put("GEMINI_API_KEY", "g-key");
    if (project) c.put("GCP_PROJECT_ID", "p");
    if (credentials) c.put("GOOGLE_APPLICATION_CREDENTIALS", "/tmp/sa.json");
    if (openai) c.put("OPENAI_API_KEY", "o-key");
    AppConfig config = AppConfig.from(c);
    assertThat(config.aiProvider()).isEqualTo(expected);
    assertThat(config.ai().provider()).isEqualTo(expected);
    assertThat(config.toString() + config.ai().toString()).doesNotContain("g-key").doesNotContain("o-key");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"gemini | GEMINI_API_KEY", "vertex | GCP_PROJECT_ID"})
  void aProviderAskedForWithoutItsCredentialsIsRefusedAtStartUp(String provider, String missing) {
    assertThatThrownBy(() -> AppConfig.from(new JsonObject().put("AI_PROVIDER", provider)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "JSON string | {\"m-1\":{\"input\":1.0,\"output\":4.0}} | 1000000 | 250000 | 250000 | 3.0",
      "unknown model costs nothing | {\"other\":{\"input\":1.0,\"output\":4.0}} | 1000000 | 0 | 0 | 0.0",
  })
  void pricesGiveTheEstimatedCostWithThinkingBilledAsOutput(String name, String prices, long prompt, long output,
                                                             long thinking, double usd) {
    AppConfig config = AppConfig.from(new JsonObject().put("AI_PRICES", prices).put("OPENAI_API_KEY", "k")
        .put("OPENAI_MODEL", "m-1"));
    assertThat(config.ai().prices().costUsd(config.ai().model(), new TokenUsage(prompt, output, thinking))).isEqualTo(usd);
  }

  @org.junit.jupiter.api.Test
  void pricesReadFromAYamlMapWork() {
    JsonObject yamlMap = new JsonObject().put("gemini-2.5-flash", new JsonObject().put("input", 0.3).put("output", 2.5));
    AppConfig config = AppConfig.from(new JsonObject().put("AI_PRICES", yamlMap).put("GEMINI_API_KEY", "k"));
    assertThat(config.ai().prices().costUsd("gemini-2.5-flash", new TokenUsage(1_000_000, 0, 0))).isEqualTo(0.3);
  }
}
