package pbwebhook.scoring;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import pbwebhook.ai.Rubric;
import pbwebhook.ai.ScoringAttribute;

/**
 * Score arithmetic for one AI result (system.md §4.3–4.4 with the fixes of behaviour-decisions.md): clamping,
 * sign enforcement, contact readiness only when I is missing, and enforced disqualification.
 */
public final class LeadScoreCalculator {

  static final String NO_EVIDENCE = "No evidence found for this attribute.";
  static final String CONTACT_READY_REASON = "The AI judged the lead ready for contact.";
  private static final String CONTACT_ATTRIBUTE = "I";

  private LeadScoreCalculator() {}

  public static LeadScore calculate(Rubric rubric, JsonObject aiResult) {
    JsonObject result = aiResult == null ? new JsonObject() : aiResult;
    JsonObject positiveIn = objectOrEmpty(result.getValue("positive_scores"));
    JsonObject negativeIn = objectOrEmpty(result.getValue("negative_scores"));
    JsonObject reasoningIn = objectOrEmpty(result.getValue("attribute_reasoning"));

    Map<String, Integer> positives = new TreeMap<>();
    Map<String, Integer> negatives = new TreeMap<>();
    Map<String, String> reasons = new TreeMap<>();
    Set<String> unscored = new LinkedHashSet<>();
    for (Object id : arrayOrEmpty(result.getValue("unscored_attributes"))) {
      if (id != null && rubric.attribute(id.toString().trim()).isPresent()) unscored.add(id.toString().trim());
    }

    List<ScoringAttribute> all = new ArrayList<>(rubric.positives());
    all.addAll(rubric.negatives());
    all.sort(Comparator.comparing(ScoringAttribute::id));
    for (ScoringAttribute a : all) {
      // An id filed under the wrong map still counts, read by the rubric's kind of the attribute.
      Object raw = a.positive() ? firstPresent(positiveIn, negativeIn, a.id()) : firstPresent(negativeIn, positiveIn, a.id());
      String reason = reasonOf(reasoningIn.getValue(a.id()), raw);
      if (reason != null) reasons.put(a.id(), reason);
      if (raw == null) continue;
      int value = scoreOf(raw);
      if (a.positive()) {
        positives.put(a.id(), Math.max(0, Math.min(value, a.maxPoints())));
      } else {
        int penalty = -Math.abs(a.penalty());
        negatives.put(a.id(), Math.max(penalty, -Math.abs(value)));
      }
      unscored.remove(a.id());
    }

    rubric.attribute(CONTACT_ATTRIBUTE).filter(ScoringAttribute::positive).ifPresent(i -> {
      if (isTrue(result.getValue("contact_readiness")) && !positives.containsKey(i.id())) {
        positives.put(i.id(), i.maxPoints());
        unscored.remove(i.id());
        reasons.putIfAbsent(i.id(), CONTACT_READY_REASON);
      }
    });

    for (ScoringAttribute a : all) {
      Map<String, Integer> scores = a.positive() ? positives : negatives;
      if (!scores.containsKey(a.id()) && !unscored.contains(a.id())) {
        scores.put(a.id(), 0);
        reasons.put(a.id(), NO_EVIDENCE);
      }
    }

    int raw = positives.values().stream().mapToInt(Integer::intValue).sum()
        + negatives.values().stream().mapToInt(Integer::intValue).sum();
    int denominator = rubric.denominator();
    String disqualifiedBy = all.stream()
        .filter(a -> disqualifies(a, a.positive() ? positives.get(a.id()) : negatives.get(a.id())))
        .findFirst().map(a -> a.id() + " " + a.label()).orElse(null);
    double percentage = disqualifiedBy != null ? 0.0 : percentage(raw, denominator);

    List<String> unscoredSorted = new ArrayList<>(unscored);
    unscoredSorted.sort(Comparator.naturalOrder());
    String assessment = text(result.getValue("aiProfileAssessment"));
    return new LeadScore(percentage, raw, denominator, positives, negatives, reasons, unscoredSorted, disqualifiedBy,
        isTrue(result.getValue("ai_excluded")), textOr(result.getValue("exclude_details"), ""),
        assessment.isBlank() ? "N/A" : assessment);
  }

  /** raw / denominator as a percentage, clamped to 0..100 and rounded to 2 decimals; 0 without a denominator. */
  static double percentage(int raw, int denominator) {
    if (denominator <= 0) return 0.0;
    double pct = Math.max(0.0, Math.min(100.0, raw * 100.0 / denominator));
    return BigDecimal.valueOf(pct).setScale(2, RoundingMode.HALF_UP).doubleValue();
  }

  /** Unscored attributes never disqualify: there is no evidence either way. */
  private static boolean disqualifies(ScoringAttribute a, Integer score) {
    if (score == null) return false;
    if (a.positive()) return a.minToQualify() > 0 && score < a.minToQualify();
    return a.disqualifying() && score != 0;
  }

  private static Object firstPresent(JsonObject preferred, JsonObject other, String id) {
    Object v = preferred.getValue(id);
    return v != null ? v : other.getValue(id);
  }

  /** A score is a number, a numeric string or {@code {score, reason}}; anything else counts as 0. */
  static int scoreOf(Object raw) {
    if (raw instanceof JsonObject o) return scoreOf(o.getValue("score"));
    if (raw instanceof Map<?, ?> m) return scoreOf(m.get("score"));
    if (raw instanceof Number n) return (int) Math.round(n.doubleValue());
    if (raw instanceof String s && !s.isBlank()) {
      try {
        return new BigDecimal(s.trim()).setScale(0, RoundingMode.HALF_UP).intValueExact();
      } catch (ArithmeticException | NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private static String reasonOf(Object reasoning, Object raw) {
    String reason = text(reasoning);
    if (!reason.isBlank()) return reason;
    Object inline = raw instanceof JsonObject o ? o.getValue("reason") : raw instanceof Map<?, ?> m ? m.get("reason") : null;
    String fromScore = text(inline);
    return fromScore.isBlank() ? null : fromScore;
  }

  private static boolean isTrue(Object v) {
    if (v instanceof Boolean b) return b;
    if (v instanceof String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      return t.equals("yes") || t.equals("true");
    }
    return false;
  }

  private static JsonObject objectOrEmpty(Object v) {
    if (v instanceof JsonObject o) return o;
    if (v instanceof Map<?, ?> m) return JsonObject.mapFrom(m);
    return new JsonObject();
  }

  private static JsonArray arrayOrEmpty(Object v) {
    if (v instanceof JsonArray a) return a;
    if (v instanceof List<?> l) return new JsonArray(new ArrayList<>(l));
    return new JsonArray();
  }

  private static String text(Object v) {
    return v instanceof String s ? s.trim() : "";
  }

  private static String textOr(Object v, String fallback) {
    return v instanceof String s ? s : fallback;
  }
}
