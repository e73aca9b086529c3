package pbwebhook.ai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The lead-scoring system instruction and user message (system.md §4.2), with leads matched by id. */
public final class LeadPromptBuilder {

  static final String DEFAULT_PREAMBLE =
      "You are an expert lead-scoring engine. Score each LinkedIn profile against the attributes below and return JSON only.";
  static final String CRITERIA_BANNER = "=== SCORING CRITERIA ===";
  static final String USER_INTRO =
      "Score each of the following leads against the attributes above and return one JSON object per lead, "
          + "carrying the lead's id exactly as given.";

  private static final String RESPONSE_FORMAT = """
      RESPONSE FORMAT AND RULES
      Return a JSON array with one object per lead, in this shape:
      [
        {
          "id": "<the lead's id, exactly as given>",
          "positive_scores": { "<attribute id>": <integer 0..max> },
          "negative_scores": { "<attribute id>": <integer penalty..0> },
          "attribute_reasoning": { "<attribute id>": "<short reason>" },
          "contact_readiness": true | false,
          "unscored_attributes": ["<attribute id>"],
          "aiProfileAssessment": "<50-150 words>",
          "ai_excluded": "Yes" | "No",
          "exclude_details": "<why the lead is excluded, or empty>"
        }
      ]
      Rules:
      1. Return one object per lead, each carrying the lead's id exactly as given.
      2. Scores are integers: positives from 0 to the attribute's max, negatives from its penalty up to 0.
      3. Leave out any attribute you cannot score and list its id in "unscored_attributes".
      4. Give a reason in "attribute_reasoning" for every attribute id you score.
      5. Use only the attribute ids listed above; never invent attributes.
      6. Answer with a bare JSON array: no markdown, no code fences, no text around it.
      7. "contact_readiness" is your overall judgement of whether the lead is ready to be contacted now.
      8. Set "ai_excluded" to "Yes" only for hard disqualifiers, and explain them in "exclude_details".""";

  private LeadPromptBuilder() {}

  public static String systemInstruction(Rubric rubric) {
    String preamble = rubric.preamble() == null || rubric.preamble().isBlank()
        ? DEFAULT_PREAMBLE
        : rubric.preamble().strip() + "\n\n" + CRITERIA_BANNER;
    return preamble
        + "\n\nPOSITIVE ATTRIBUTES (with max scores)\n" + positivesJson(rubric).encodePrettily()
        + "\n\nNEGATIVE ATTRIBUTES (with max deduction)\n" + negativesJson(rubric).encodePrettily()
        + "\n\n" + RESPONSE_FORMAT;
  }

  /** Only the slim profile goes out: no name, location or company (system.md §4.2). */
  public static String userMessage(List<LeadInput> leads) {
    JsonArray out = new JsonArray();
    for (LeadInput lead : leads) {
      JsonObject entry = new JsonObject().put("id", lead.id());
      if (lead.profile() != null) {
        lead.profile().forEach(e -> {
          if (!e.getKey().equals("id")) entry.put(e.getKey(), e.getValue());
        });
      }
      out.add(entry);
    }
    return USER_INTRO + "\n\n" + new JsonObject().put("leads", out).encode();
  }

  static JsonObject positivesJson(Rubric rubric) {
    JsonObject json = new JsonObject();
    for (ScoringAttribute a : rubric.positives()) {
      JsonObject o = describe(a);
      o.put("maxPoints", a.maxPoints()).put("minQualify", a.minToQualify());
      json.put(a.id(), o);
    }
    return json;
  }

  static JsonObject negativesJson(Rubric rubric) {
    JsonObject json = new JsonObject();
    for (ScoringAttribute a : rubric.negatives()) {
      JsonObject o = describe(a);
      o.put("penalty", -Math.abs(a.penalty())).put("disqualifying", a.disqualifying());
      json.put(a.id(), o);
    }
    return json;
  }

  private static JsonObject describe(ScoringAttribute a) {
    JsonObject o = new JsonObject().put("label", a.label()).put("instructions", a.instructions());
    if (a.examples() != null && !a.examples().isBlank()) o.put("examples", a.examples());
    return o.put("signals", a.signals() == null ? "" : a.signals());
  }
}
