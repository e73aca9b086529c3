package pbwebhook.scoring;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import pbwebhook.ai.Rubric;
import pbwebhook.ai.ScoringAttribute;

/**
 * The markdown {@code AI Attribute Breakdown} of system.md §4.5, with the disqualification verdict filled in.
 * Both section headers are always written, an empty section as its bare header, as the old server did; the
 * parts are joined by one line break, each entry ending in its own, so entries are a blank line apart and
 * sections two.
 */
public final class BreakdownFormatter {

  static final String MISSING_REASON = "_GPT could not score this attribute_";
  static final String POSITIVES_HEADER = "**Positive Attributes**:";
  static final String NEGATIVES_HEADER = "**Negative Attributes**:";

  private BreakdownFormatter() {}

  public static String format(Rubric rubric, LeadScore score) {
    List<String> parts = new ArrayList<>();
    parts.add(POSITIVES_HEADER);
    parts.addAll(entries(rubric.positives(), score.positiveScores(), score.reasons()));
    parts.add("\n" + NEGATIVES_HEADER);
    parts.addAll(entries(rubric.negatives(), score.negativeScores(), score.reasons()));
    if (!score.unscored().isEmpty()) {
      parts.add("\n_Unscored attributes:_ "
          + score.unscored().stream().map(id -> "**" + id + "**").collect(Collectors.joining(", ")));
    }
    parts.add("\n**Total:** " + score.rawScore() + " / " + score.denominator() + " ⇒ "
        + BigDecimal.valueOf(score.percentage()).setScale(1, RoundingMode.HALF_UP).toPlainString() + " % — "
        + (score.disqualified() ? "Disqualified (" + score.disqualifiedBy() + ")" : "Not Disqualified"));
    return String.join("\n", parts);
  }

  /** One entry per non-zero score, in id order: {@code - **<id> (<label>)**: <score> / <max|penalty>\n  ↳ <reason>\n}. */
  private static List<String> entries(List<ScoringAttribute> attributes, Map<String, Integer> scores,
                                      Map<String, String> reasons) {
    List<ScoringAttribute> sorted = new ArrayList<>(attributes);
    sorted.sort(Comparator.comparing(ScoringAttribute::id));
    List<String> entries = new ArrayList<>();
    for (ScoringAttribute a : sorted) {
      Integer value = scores.get(a.id());
      if (value == null || value == 0) continue;
      String reason = reasons.get(a.id());
      int outOf = a.positive() ? a.maxPoints() : -Math.abs(a.penalty());
      entries.add("- **" + a.id() + " (" + a.label() + ")**: " + value + " / " + outOf + "\n  ↳ "
          + (reason == null || reason.isBlank() ? MISSING_REASON : reason) + "\n");
    }
    return entries;
  }
}
