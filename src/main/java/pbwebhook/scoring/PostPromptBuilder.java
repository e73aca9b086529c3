package pbwebhook.scoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import pbwebhook.store.Record;
import pbwebhook.store.schema.PostScoringAttributes;
import pbwebhook.store.schema.PostScoringInstructions;

/**
 * The post-scoring system instruction of system.md §5 step 5: every {@code Post Scoring Instructions} row in
 * {@code Sort Order}, the rubric from {@code Post Scoring Attributes} placed after the {@code SCORING_HEADER}
 * row. Unlike the old server, a base without a SCORING_HEADER row still gets the rubric, at the end.
 */
public final class PostPromptBuilder {

  static final String RUBRIC_BANNER = "--- POST SCORING ATTRIBUTES ---";
  static final String POSITIVE_HEADING = "Positive Scoring Attributes";
  static final String NEGATIVE_HEADING = "Negative Scoring Attributes (Penalties)";

  private PostPromptBuilder() {}

  /** Fails with {@link IllegalArgumentException} when there are no instruction rows or no attributes. */
  public static String build(List<Record> instructions, List<Record> attributes) {
    List<Record> components = instructions.stream()
        .filter(r -> !text(r, PostScoringInstructions.INSTRUCTION_TEXT).isBlank()
            || isHeader(r))
        .sorted(Comparator.comparingDouble(PostPromptBuilder::sortOrder))
        .toList();
    if (components.isEmpty()) {
      throw new IllegalArgumentException("table \"" + PostScoringInstructions.TABLE + "\" has no instruction rows");
    }
    List<Record> attrs = attributes.stream()
        .filter(r -> !text(r, PostScoringAttributes.ATTRIBUTE_ID).isBlank()).toList();
    if (attrs.isEmpty()) {
      throw new IllegalArgumentException("table \"" + PostScoringAttributes.TABLE + "\" has no attributes");
    }
    String rubric = rubric(attrs);
    StringBuilder out = new StringBuilder();
    boolean placed = false;
    for (Record c : components) {
      out.append(text(c, PostScoringInstructions.INSTRUCTION_TEXT));
      if (isHeader(c) && !placed) {
        out.append('\n').append(rubric);
        placed = true;
      }
      out.append("\n\n");
    }
    if (!placed) out.append(rubric).append("\n\n");
    return out.toString().stripTrailing();
  }

  static String rubric(List<Record> attributes) {
    List<Record> positives = new ArrayList<>();
    List<Record> negatives = new ArrayList<>();
    for (Record r : attributes) {
      String category = text(r, PostScoringAttributes.CATEGORY).toLowerCase(Locale.ROOT);
      // Unknown categories go with the positives, as the old builder did.
      (category.startsWith("negative") ? negatives : positives).add(r);
    }
    StringBuilder out = new StringBuilder(RUBRIC_BANNER).append("\n\n").append("**").append(POSITIVE_HEADING).append("**\n");
    positives.forEach(r -> attribute(out, r));
    if (!negatives.isEmpty()) {
      out.append("\n**").append(NEGATIVE_HEADING).append("**\n");
      negatives.forEach(r -> attribute(out, r));
    }
    return out.toString().stripTrailing();
  }

  private static void attribute(StringBuilder out, Record r) {
    out.append("\n### Attribute ID: ").append(text(r, PostScoringAttributes.ATTRIBUTE_ID).trim()).append('\n');
    bullet(out, "Criterion Name", text(r, PostScoringAttributes.CRITERION_NAME), true);
    bullet(out, "Scoring Type", text(r, PostScoringAttributes.SCORING_TYPE), true);
    bullet(out, PostScoringAttributes.MAX_SCORE, text(r, PostScoringAttributes.MAX_SCORE), true);
    bullet(out, "Detailed Instructions", text(r, PostScoringAttributes.INSTRUCTIONS), true);
    // Keyword bullets stay on one line: the offline heuristic scorer reads them back from the prompt.
    bullet(out, PostScoringAttributes.POSITIVE_KEYWORDS, oneLine(text(r, PostScoringAttributes.POSITIVE_KEYWORDS)), false);
    bullet(out, PostScoringAttributes.NEGATIVE_KEYWORDS, oneLine(text(r, PostScoringAttributes.NEGATIVE_KEYWORDS)), false);
    bullet(out, PostScoringAttributes.EXAMPLE_HIGH, text(r, PostScoringAttributes.EXAMPLE_HIGH), false);
    bullet(out, PostScoringAttributes.EXAMPLE_LOW, text(r, PostScoringAttributes.EXAMPLE_LOW), false);
  }

  private static void bullet(StringBuilder out, String label, String value, boolean always) {
    if (!always && value.isBlank()) return;
    out.append("- **").append(label).append(":** ").append(value.isBlank() ? "N/A" : value.trim()).append('\n');
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*[\\r\\n]+\\s*", ", ");
  }

  private static boolean isHeader(Record r) {
    return PostScoringInstructions.SCORING_HEADER_ID.equalsIgnoreCase(text(r, PostScoringInstructions.COMPONENT_ID).trim());
  }

  private static double sortOrder(Record r) {
    Object v = r.fields().getValue(PostScoringInstructions.SORT_ORDER);
    if (v instanceof Number n) return n.doubleValue();
    try {
      return v == null ? Double.MAX_VALUE : Double.parseDouble(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      return Double.MAX_VALUE;
    }
  }

  private static String text(Record r, String field) {
    String s = r.string(field);
    return s == null ? "" : s;
  }
}
