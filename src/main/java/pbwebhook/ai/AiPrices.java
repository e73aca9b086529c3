package pbwebhook.ai;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * US dollars per million tokens, per model (the AI_PRICES setting): {@code {"<model>": {"input": 0.30,
 * "output": 2.50}}}. Thinking tokens are billed as output, as Gemini and OpenAI bill them. A model missing from
 * the table costs 0, so the estimate is never invented.
 */
public record AiPrices(Map<String, Price> byModel) {

  public record Price(double inputPerMillion, double outputPerMillion) {
    public double costUsd(TokenUsage t) {
      return (t.prompt() * inputPerMillion + (t.output() + t.thinking()) * outputPerMillion) / 1_000_000.0;
    }
  }

  public static final String DEFAULT_JSON = "{\"gemini-2.5-flash\":{\"input\":0.30,\"output\":2.50},"
      + "\"gemini-2.5-pro\":{\"input\":1.25,\"output\":10.00},"
      + "\"gemini-2.5-flash-lite\":{\"input\":0.10,\"output\":0.40},"
      + "\"gpt-4o-mini\":{\"input\":0.15,\"output\":0.60},"
      + "\"gpt-4.1-mini\":{\"input\":0.40,\"output\":1.60}}";

  public AiPrices { byModel = Map.copyOf(byModel); }

  /** Parses the JSON form; a model entry without numbers is refused so a typo does not silently cost 0. */
  public static AiPrices parse(String json) {
    if (json == null || json.isBlank()) return new AiPrices(Map.of());
    JsonObject o;
    try {
      o = new JsonObject(json);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("AI_PRICES must be a JSON object {\"model\":{\"input\":n,\"output\":n}}: "
          + e.getMessage());
    }
    Map<String, Price> out = new LinkedHashMap<>();
    for (String model : o.fieldNames()) {
      if (!(o.getValue(model) instanceof JsonObject p) || !(p.getValue("input") instanceof Number in)
          || !(p.getValue("output") instanceof Number outP)) {
        throw new IllegalArgumentException("AI_PRICES entry " + model + " needs numeric input and output prices");
      }
      out.put(model, new Price(in.doubleValue(), outP.doubleValue()));
    }
    return new AiPrices(out);
  }

  public double costUsd(String model, TokenUsage tokens) {
    Price p = model == null ? null : byModel.get(model);
    return p == null ? 0.0 : p.costUsd(tokens);
  }
}
