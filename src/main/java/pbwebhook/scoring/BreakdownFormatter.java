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

/** The markdown {@code AI Attribute Breakdown} of system.md §4.5, with the disqualification verdict filled in. */
public final class BreakdownFormatter {

  static final String MISSING_REASON = "_GPT could not score this attribute_";

  private BreakdownFormatter() {}

  public static String format(Rubric rubric, LeadScore score) {
    StringBuilder out = new StringBuilder();
    section(out, "**Positive Attributes**:\n", rubric.positives(), score.positiveScores(), score.reasons());
    section(out, "**Negative Attributes**:\n", rubric.negatives(), score.negativeScores(), score.reasons());
    if (!score.unscored().isEmpty()) {
      out.append("_Unscored attributes:_ ")
          .append(score.unscored().stream().map(id -> "**" + id + "**").collect(Collectors.joining(", ")))
          .append("\n\n");
    }
    out.append("**Total:** ").append(score.rawScore()).append(" / ").append(score.denominator())
        .append(" ⇒ ").append(BigDecimal.valueOf(score.percentage()).setScale(1, RoundingMode.HALF_UP).toPlainString())
        .append(" % — ")
        .append(score.disqualified() ? "Disqualified (" + score.disqualifiedBy() + ")" : "Not Disqualified");
    return out.toString();
  }

  private static void section(StringBuilder out, String heading, List<ScoringAttribute> attributes,
                              Map<String, Integer> scores, Map<String, String> reasons) {
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
    if (entries.isEmpty()) return;
    out.append(heading).append(String.join("\n", entries)).append("\n\n");
  }
}
