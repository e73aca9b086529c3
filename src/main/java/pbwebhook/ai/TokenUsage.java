package pbwebhook.ai;

import io.vertx.core.json.JsonObject;

/** Tokens used by AI calls: prompt, output and thinking. */
public record TokenUsage(long prompt, long output, long thinking) {

  public static final TokenUsage NONE = new TokenUsage(0, 0, 0);

  public long total() { return prompt + output + thinking; }

  public TokenUsage plus(TokenUsage o) {
    return new TokenUsage(prompt + o.prompt, output + o.output, thinking + o.thinking);
  }

  public JsonObject toJson() {
    return new JsonObject().put("prompt", prompt).put("output", output).put("thinking", thinking).put("total", total());
  }

  public static TokenUsage fromJson(JsonObject j) {
    if (j == null) return NONE;
    return new TokenUsage(j.getLong("prompt", 0L), j.getLong("output", 0L), j.getLong("thinking", 0L));
  }
}
