package pbwebhook.fakes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What the fake AIs answer for a lead, derived from the lead itself so a test can compute the expected score:
 * A = headline length mod 8 (above A's max of 5, so clamping shows), B = about length mod 6, N1 = (headline +
 * about length) mod 4 given with the wrong sign (the calculator must make it a penalty), G unscored.
 */
public final class FakeLeadAnswers {

  /** The default rubric's denominator: the sum of every positive attribute's max points. */
  public static final int DEFAULT_DENOMINATOR = 38;

  private FakeLeadAnswers() {}

  public static int a(JsonObject lead) { return headline(lead).length() % 8; }

  public static int b(JsonObject lead) { return about(lead).length() % 6; }

  public static int n1(JsonObject lead) { return (headline(lead).length() + about(lead).length()) % 4; }

  public static JsonObject answer(String id, JsonObject lead) {
    return new JsonObject()
        .put("id", id)
        .put("positive_scores", new JsonObject().put("A", a(lead)).put("B", b(lead)))
        .put("negative_scores", new JsonObject().put("N1", n1(lead)))
        .put("attribute_reasoning", new JsonObject().put("A", "fake reason A for " + id).put("B", "fake reason B")
            .put("N1", "fake reason N1"))
        .put("contact_readiness", false)
        .put("unscored_attributes", new JsonArray().add("G"))
        .put("aiProfileAssessment", "Fake assessment of " + id)
        .put("ai_excluded", "No")
        .put("exclude_details", "");
  }

  /** The AI Score the server must write for this lead against the default rubric (clamped, 2 decimals). */
  public static double expectedScore(String headline, String about) {
    JsonObject lead = new JsonObject().put("headline", headline).put("about", about);
    int raw = Math.min(a(lead), 5) + b(lead) - Math.min(n1(lead), 3);
    double pct = Math.max(0, Math.min(100, raw * 100.0 / DEFAULT_DENOMINATOR));
    return BigDecimal.valueOf(pct).setScale(2, RoundingMode.HALF_UP).doubleValue();
  }

  static String headline(JsonObject lead) { return lead.getString("headline", ""); }

  static String about(JsonObject lead) {
    for (String k : new String[] {"about", "summary", "linkedinDescription"}) {
      String v = lead.getString(k);
      if (v != null && !v.isBlank()) return v.trim();
    }
    return "";
  }
}
