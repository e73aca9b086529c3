package pbwebhook.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pbwebhook.ai.Rubric;
import pbwebhook.ai.ScoringAttribute;
import pbwebhook.store.Record;
import pbwebhook.store.schema.ScoringAttributes;

class RubricParserTest {

  private static Record row(String recId, JsonObject fields) {
    return new Record(recId, "2025-07-01T00:00:00.000Z", fields);
  }

  private static JsonObject attr(String id, String category, String heading) {
    return new JsonObject().put(ScoringAttributes.ATTRIBUTE_ID, id).put(ScoringAttributes.CATEGORY, category)
        .put(ScoringAttributes.HEADING, heading);
  }

  @Test
  void splitsRowsByCategoryInIdOrderAndTakesPreambleRaw() {
    List<Record> rows = List.of(
        row("rec1", attr("N1", "negative", "Job-seeker").put(ScoringAttributes.PENALTY, 3)),
        row("rec2", attr("B", "POSITIVE", "C-Suite").put(ScoringAttributes.MAX_POINTS, 5)),
        row("rec3", attr("PREAMBLE", "", "Preamble")
            .put(ScoringAttributes.INSTRUCTIONS, "# You score *leads*\n- be strict")),
        row("rec4", attr("A", "Positive", "Founder").put(ScoringAttributes.MAX_POINTS, "5")),
        row("rec5", attr(null, "Positive", "No id").put(ScoringAttributes.MAX_POINTS, 9)),
        row("rec6", attr("  ", "Positive", "Blank id")),
        row("rec7", attr("L1", "Negative", "Recruiter").put(ScoringAttributes.PENALTY, -5)
            .put(ScoringAttributes.DISQUALIFYING, true)));

    Rubric rubric = RubricParser.fromRecords(rows);

    assertThat(rubric.preamble()).isEqualTo("# You score *leads*\n- be strict");
    assertThat(rubric.positives()).extracting(ScoringAttribute::id).containsExactly("A", "B");
    assertThat(rubric.negatives()).extracting(ScoringAttribute::id).containsExactly("L1", "N1");
    assertThat(rubric.denominator()).isEqualTo(10);
    assertThat(rubric.attribute("N1").orElseThrow().penalty()).isEqualTo(-3);
    assertThat(rubric.attribute("L1").orElseThrow().penalty()).isEqualTo(-5);
    assertThat(rubric.attribute("L1").orElseThrow().disqualifying()).isTrue();
    assertThat(rubric.attribute("N1").orElseThrow().disqualifying()).isFalse();
  }

  @Test
  void metaCategorySuppliesThePreambleToo() {
    Rubric rubric = RubricParser.fromRecords(List.of(
        row("rec1", attr("X0", "meta", "Intro").put(ScoringAttributes.INSTRUCTIONS, "Be fair.")),
        row("rec2", attr("A", "Positive", "Founder").put(ScoringAttributes.MAX_POINTS, 5))));

    assertThat(rubric.preamble()).isEqualTo("Be fair.");
    assertThat(rubric.positives()).extracting(ScoringAttribute::id).containsExactly("A");
    assertThat(rubric.negatives()).isEmpty();
  }

  @Test
  void idsSortAsStrings() {
    Rubric rubric = RubricParser.fromRecords(List.of(
        row("r1", attr("N10", "Negative", "x")), row("r2", attr("N2", "Negative", "y")),
        row("r3", attr("L1", "Negative", "z"))));

    assertThat(rubric.negatives()).extracting(ScoringAttribute::id).containsExactly("L1", "N10", "N2");
  }

  static List<Arguments> cleaning() {
    return List.of(
        Arguments.of("**Founder** / `Co-Founder`", "Founder / Co Founder"),
        Arguments.of("> quote\n# heading\r\n~strike~ _it_", "quote heading strike it"),
        Arguments.of("  many    spaces\t\there  ", "many spaces here"),
        Arguments.of(null, ""));
  }

  @ParameterizedTest
  @MethodSource("cleaning")
  void cleanTurnsMarkdownAndBreaksIntoSingleSpaces(String in, String expected) {
    assertThat(RubricParser.clean(in)).isEqualTo(expected);
  }

  static List<Arguments> scoringRanges() {
    return List.of(
        Arguments.of("Award points for founders. Scoring Range: 0 5 pts A founder gets full marks.",
            "Award points for founders. A founder gets full marks."),
        // The removal runs on past pt/pts to the next 1–2 character token, as the old loader did.
        Arguments.of("Scoring Range 0–3 pt based on seniority and scope of role",
            "on seniority and scope of role"),
        Arguments.of("Founder of a company.\nScoring Range:\n- 5 pts: owns it\n- 0 pts: does not",
            "Founder of a company. it 0 pts: does not"),
        Arguments.of("Scoring Range 0-5 pts", ""),
        Arguments.of("Scoring Range is not mentioned with a unit here", "Scoring Range is not mentioned with a unit here"),
        Arguments.of("scoring range 0-5 PTS. Award 5 if founder.", "5 if founder."));
  }

  @ParameterizedTest
  @MethodSource("scoringRanges")
  void instructionsLoseTheScoringRange(String raw, String expected) {
    Rubric rubric = RubricParser.fromRecords(List.of(
        row("r", attr("A", "Positive", "Founder").put(ScoringAttributes.INSTRUCTIONS, raw))));

    assertThat(rubric.positives().get(0).instructions()).isEqualTo(expected);
  }

  static List<Arguments> numbers() {
    return List.of(
        Arguments.of(5, 5), Arguments.of("4", 4), Arguments.of(" 3 ", 3), Arguments.of(2.0, 2),
        Arguments.of("2.0", 2), Arguments.of(null, 0), Arguments.of("", 0), Arguments.of("five", 0));
  }

  @ParameterizedTest
  @MethodSource("numbers")
  void pointsComeFromNumbersOrNumericStrings(Object value, int expected) {
    JsonObject fields = attr("A", "Positive", "Founder");
    if (value != null) fields.put(ScoringAttributes.MAX_POINTS, value).put(ScoringAttributes.MIN_TO_QUALIFY, value);
    ScoringAttribute a = RubricParser.fromRecords(List.of(row("r", fields))).positives().get(0);

    assertThat(a.maxPoints()).isEqualTo(expected);
    assertThat(a.minToQualify()).isEqualTo(expected);
  }

  static List<Arguments> checkboxes() {
    return List.of(
        Arguments.of(true, true), Arguments.of("true", true), Arguments.of("checked", true),
        Arguments.of("TRUE", true), Arguments.of(false, false), Arguments.of(null, false),
        Arguments.of("no", false));
  }

  @ParameterizedTest
  @MethodSource("checkboxes")
  void disqualifyingCheckbox(Object value, boolean expected) {
    JsonObject fields = attr("L1", "Negative", "Recruiter").put(ScoringAttributes.PENALTY, 5);
    if (value != null) fields.put(ScoringAttributes.DISQUALIFYING, value);

    assertThat(RubricParser.fromRecords(List.of(row("r", fields))).negatives().get(0).disqualifying())
        .isEqualTo(expected);
  }

  @Test
  void emptyExamplesAreDroppedAndTextFieldsCleanedButTheHeadingKeptAsWritten() {
    Rubric rubric = RubricParser.fromRecords(List.of(
        row("r1", attr("A", "Positive", "**Founder**").put(ScoringAttributes.EXAMPLES, " \n ")
            .put(ScoringAttributes.SIGNALS, "founder,\nco-founder")),
        row("r2", attr("B", "Positive", "Director").put(ScoringAttributes.EXAMPLES, "- Director of Sales"))));

    ScoringAttribute a = rubric.attribute("A").orElseThrow();
    assertThat(a.label()).isEqualTo("**Founder**");
    assertThat(a.examples()).isNull();
    assertThat(a.signals()).isEqualTo("founder, co founder");
    assertThat(rubric.attribute("B").orElseThrow().examples()).isEqualTo("Director of Sales");
  }

  @Test
  void headingsKeepHyphensAndSlashesOnOneLine() {
    Rubric rubric = RubricParser.fromRecords(List.of(
        row("r1", attr("A", "Positive", "  Founder /\n Co-Founder ")),
        row("r2", attr("N1", "Negative", "Job-seeker")),
        row("r3", attr("N2", "Negative", "   "))));

    assertThat(rubric.attribute("A").orElseThrow().label()).isEqualTo("Founder / Co-Founder");
    assertThat(rubric.attribute("N1").orElseThrow().label()).isEqualTo("Job-seeker");
    assertThat(rubric.attribute("N2").orElseThrow().label()).isEqualTo("N2");
  }

  @Test
  void fallbackIsTheSpecRubric() {
    Rubric rubric = RubricParser.fallback();

    assertThat(rubric.positives()).extracting(ScoringAttribute::id, ScoringAttribute::label, ScoringAttribute::maxPoints)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("A", "Founder", 5),
            org.assertj.core.groups.Tuple.tuple("B", "C-Suite/Director", 5),
            org.assertj.core.groups.Tuple.tuple("C", "Tech/Product seniority", 3),
            org.assertj.core.groups.Tuple.tuple("D", "Prior exit", 5),
            org.assertj.core.groups.Tuple.tuple("E", "Raised funding", 4),
            org.assertj.core.groups.Tuple.tuple("F", "Hiring", 3),
            org.assertj.core.groups.Tuple.tuple("G", "Large AU network", 3),
            org.assertj.core.groups.Tuple.tuple("H", "Media/speaker", 2),
            org.assertj.core.groups.Tuple.tuple("I", "Ready for contact", 3),
            org.assertj.core.groups.Tuple.tuple("J", "Social proof", 2),
            org.assertj.core.groups.Tuple.tuple("K", "Inbound warm-up", 3));
    assertThat(rubric.denominator()).isEqualTo(38);
    assertThat(rubric.negatives())
        .extracting(ScoringAttribute::id, ScoringAttribute::label, ScoringAttribute::penalty, ScoringAttribute::disqualifying)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("L1", "Recruiter", -5, true),
            org.assertj.core.groups.Tuple.tuple("N1", "Job-seeker", -3, false),
            org.assertj.core.groups.Tuple.tuple("N2", "Unrelated industry", -4, false),
            org.assertj.core.groups.Tuple.tuple("N3", "Short tenure", -2, false),
            org.assertj.core.groups.Tuple.tuple("N4", "Spammy headline", -2, false),
            org.assertj.core.groups.Tuple.tuple("N5", "Low credibility", -3, false));
    assertThat(rubric.positives()).allSatisfy(a -> assertThat(a.instructions()).isNotBlank());
  }
}
