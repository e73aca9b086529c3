package pbwebhook.ai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * JSON schemas of the replies we ask for: the system.md §4.3 lead array (with the lead id, and the rubric's
 * own attribute ids as properties) and the §9.4 post array. Written as JSON Schema; {@link #forGemini} turns
 * one into Gemini's OpenAPI subset, {@link #wrappedForOpenAi} into the object root OpenAI requires.
 */
public final class ReplySchemas {

  private ReplySchemas() {}

  public static JsonObject leads(Rubric rubric) {
    JsonObject props = new JsonObject()
        .put("id", type("string").put("description", "the lead's id, exactly as given"));
    JsonObject positives = scoreMap(rubric.positives(), "integer");
    JsonObject negatives = scoreMap(rubric.negatives(), "integer");
    JsonObject reasons = new JsonObject();
    rubric.positives().forEach(a -> reasons.put(a.id(), type("string")));
    rubric.negatives().forEach(a -> reasons.put(a.id(), type("string")));
    List<String> required = new java.util.ArrayList<>(List.of("id"));
    if (!positives.isEmpty()) {
      props.put("positive_scores", object(positives));
      required.add("positive_scores");
    }
    if (!negatives.isEmpty()) {
      props.put("negative_scores", object(negatives));
      required.add("negative_scores");
    }
    if (!reasons.isEmpty()) {
      props.put("attribute_reasoning", object(reasons));
      required.add("attribute_reasoning");
    }
    props.put("contact_readiness", type("boolean"))
        .put("unscored_attributes", type("array").put("items", type("string")))
        .put("aiProfileAssessment", type("string"))
        .put("ai_excluded", type("string").put("enum", new JsonArray().add("Yes").add("No")))
        .put("exclude_details", type("string"));
    required.addAll(List.of("contact_readiness", "unscored_attributes", "aiProfileAssessment", "ai_excluded",
        "exclude_details"));
    JsonObject item = object(props).put("required", new JsonArray(required));
    return type("array").put("items", item);
  }

  public static JsonObject posts() {
    JsonObject props = new JsonObject()
        .put("post_url", type("string"))
        .put("post_score", type("integer"))
        .put("scoring_rationale", type("string"));
    JsonObject item = object(props).put("required", new JsonArray().add("post_url").add("post_score").add("scoring_rationale"));
    return type("array").put("items", item);
  }

  /** Gemini's responseSchema: upper-case type names, no additionalProperties. */
  public static JsonObject forGemini(JsonObject schema) {
    JsonObject out = new JsonObject();
    schema.forEach(e -> {
      switch (e.getKey()) {
        case "additionalProperties" -> { }
        case "type" -> out.put("type", String.valueOf(e.getValue()).toUpperCase(java.util.Locale.ROOT));
        case "items" -> out.put("items", forGemini((JsonObject) e.getValue()));
        case "properties" -> {
          JsonObject props = new JsonObject();
          ((JsonObject) e.getValue()).forEach(p -> props.put(p.getKey(), forGemini((JsonObject) p.getValue())));
          out.put("properties", props);
        }
        default -> out.put(e.getKey(), e.getValue());
      }
    });
    return out;
  }

  /** OpenAI structured outputs need an object at the root, so the array goes under {@code results}. */
  public static JsonObject wrappedForOpenAi(JsonObject arraySchema) {
    return object(new JsonObject().put("results", arraySchema)).put("required", new JsonArray().add("results"));
  }

  private static JsonObject scoreMap(List<ScoringAttribute> attributes, String kind) {
    JsonObject props = new JsonObject();
    attributes.forEach(a -> props.put(a.id(), type(kind)));
    return props;
  }

  private static JsonObject object(JsonObject properties) {
    return type("object").put("properties", properties);
  }

  private static JsonObject type(String t) {
    return new JsonObject().put("type", t);
  }
}
