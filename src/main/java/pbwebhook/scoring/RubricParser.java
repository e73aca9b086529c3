package pbwebhook.scoring;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import pbwebhook.ai.Rubric;
import pbwebhook.ai.ScoringAttribute;
import pbwebhook.store.Record;
import pbwebhook.store.schema.ScoringAttributes;

/** Turns {@code Scoring Attributes} rows into a {@link Rubric} (system.md §4.1), and supplies the fallback rubric. */
public final class RubricParser {

  private static final Pattern MARKDOWN_AND_BREAKS = Pattern.compile("[*`_~#>\\-\\r\\n]");
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  /**
   * "Scoring Range …" through the first pt/pts token, then on to just before the next 1–2 character token
   * (typically the next attribute id or a number) or the end: the score range lives in Max Points already,
   * and repeating it in the prompt only confuses the model.
   */
  private static final Pattern SCORING_RANGE = Pattern.compile(
      "Scoring Range.*?\\bpts?\\b.*?(?=\\s+[a-z0-9]{1,2}\\b|$)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

  private RubricParser() {}

  public static Rubric fromRecords(List<Record> rows) {
    String preamble = null;
    List<ScoringAttribute> positives = new ArrayList<>();
    List<ScoringAttribute> negatives = new ArrayList<>();
    for (Record row : rows) {
      String id = trimmed(row.string(ScoringAttributes.ATTRIBUTE_ID));
      if (id.isEmpty()) continue;
      String category = trimmed(row.string(ScoringAttributes.CATEGORY));
      if (id.equalsIgnoreCase(ScoringAttributes.PREAMBLE_ID)
          || category.equalsIgnoreCase(ScoringAttributes.CATEGORY_META)) {
        String raw = row.string(ScoringAttributes.INSTRUCTIONS);
        if (preamble == null && raw != null && !raw.isBlank()) preamble = raw;
        continue;
      }
      boolean positive = category.equalsIgnoreCase(ScoringAttributes.CATEGORY_POSITIVE);
      if (!positive && !category.equalsIgnoreCase(ScoringAttributes.CATEGORY_NEGATIVE)) continue;

      String label = heading(row.string(ScoringAttributes.HEADING));
      if (label.isEmpty()) label = id;
      String instructions = cleanInstructions(row.string(ScoringAttributes.INSTRUCTIONS));
      String examples = clean(row.string(ScoringAttributes.EXAMPLES));
      String signals = clean(row.string(ScoringAttributes.SIGNALS));
      if (positive) {
        positives.add(ScoringAttribute.positive(id, label, instructions, examples.isEmpty() ? null : examples, signals,
            number(row.fields().getValue(ScoringAttributes.MAX_POINTS)),
            number(row.fields().getValue(ScoringAttributes.MIN_TO_QUALIFY))));
      } else {
        negatives.add(ScoringAttribute.negative(id, label, instructions, examples.isEmpty() ? null : examples, signals,
            number(row.fields().getValue(ScoringAttributes.PENALTY)),
            checked(row.fields().getValue(ScoringAttributes.DISQUALIFYING))));
      }
    }
    positives.sort(Comparator.comparing(ScoringAttribute::id));
    negatives.sort(Comparator.comparing(ScoringAttribute::id));
    return new Rubric(preamble, positives, negatives);
  }

  /** Markdown characters and line breaks become spaces, whitespace collapses; hyphens are lost too, as before. */
  public static String clean(String text) {
    if (text == null) return "";
    String spaced = MARKDOWN_AND_BREAKS.matcher(text).replaceAll(" ");
    return WHITESPACE.matcher(spaced).replaceAll(" ").trim();
  }

  /**
   * The heading as the rubric has it (hyphens, slashes and markdown kept), on one line: it labels the attribute
   * in the prompt and in the breakdown, where {@code Founder / Co-Founder} must read as written.
   */
  static String heading(String text) {
    return text == null ? "" : WHITESPACE.matcher(text).replaceAll(" ").trim();
  }

  static String cleanInstructions(String text) {
    String cleaned = clean(text);
    String withoutRange = SCORING_RANGE.matcher(cleaned).replaceFirst("");
    return WHITESPACE.matcher(withoutRange).replaceAll(" ").trim();
  }

  /** The rubric used when the client's table cannot be read (system.md §4.1). */
  public static Rubric fallback() {
    List<ScoringAttribute> positives = List.of(
        pos("A", "Founder", 5, "Founder or co-founder of their own company."),
        pos("B", "C-Suite/Director", 5, "Holds a C-suite, director or equivalent executive role."),
        pos("C", "Tech/Product seniority", 3, "Senior technical or product role (head of, lead, principal)."),
        pos("D", "Prior exit", 5, "Has sold or exited a company they founded or led."),
        pos("E", "Raised funding", 4, "Has raised external funding for a venture."),
        pos("F", "Hiring", 3, "Is growing a team or actively hiring."),
        pos("G", "Large AU network", 3, "Has a large professional network in Australia."),
        pos("H", "Media/speaker", 2, "Appears in media, podcasts or as a conference speaker."),
        pos("I", "Ready for contact", 3, "Profile suggests they are open to being contacted now."),
        pos("J", "Social proof", 2, "Awards, recommendations or notable public recognition."),
        pos("K", "Inbound warm-up", 3, "Has already engaged with us or our content."));
    List<ScoringAttribute> negatives = List.of(
        neg("L1", "Recruiter", -5, true, "Works as a recruiter or in a recruitment agency."),
        neg("N1", "Job-seeker", -3, false, "Says they are looking for work or open to roles."),
        neg("N2", "Unrelated industry", -4, false, "Works in an industry unrelated to our offer."),
        neg("N3", "Short tenure", -2, false, "Changes jobs very often, with short tenures."),
        neg("N4", "Spammy headline", -2, false, "Headline is keyword-stuffed or salesy."),
        neg("N5", "Low credibility", -3, false, "Profile is thin, inconsistent or not credible."));
    return new Rubric(null, positives, negatives);
  }

  private static ScoringAttribute pos(String id, String label, int max, String instructions) {
    return ScoringAttribute.positive(id, label, instructions, null, "", max, 0);
  }

  private static ScoringAttribute neg(String id, String label, int penalty, boolean disqualifying, String instructions) {
    return ScoringAttribute.negative(id, label, instructions, null, "", penalty, disqualifying);
  }

  private static String trimmed(String s) {
    return s == null ? "" : s.trim();
  }

  /** Airtable gives numbers, but hand-typed text fields hold numeric strings; anything else counts as 0. */
  static int number(Object value) {
    if (value instanceof Number n) return n.intValue();
    if (value instanceof String s && !s.isBlank()) {
      try {
        return new BigDecimal(s.trim()).intValue();
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private static boolean checked(Object value) {
    if (value instanceof Boolean b) return b;
    if (value instanceof String s) {
      String v = s.trim().toLowerCase(Locale.ROOT);
      return v.equals("true") || v.equals("checked");
    }
    return false;
  }
}
