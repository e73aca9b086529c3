package pbwebhook.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import pbwebhook.ai.Rubric;
import pbwebhook.ai.ScoringAttribute;

class LeadScoreCalculatorTest {

  /** A 5, B 5 (min to qualify 2), I 3; L1 −5 disqualifying, N1 −3. Denominator 13. */
  private static final Rubric SMALL = new Rubric(null,
      List.of(ScoringAttribute.positive("A", "Founder", "", null, "", 5, 0),
          ScoringAttribute.positive("B", "Director", "", null, "", 5, 2),
          ScoringAttribute.positive("I", "Ready for contact", "", null, "", 3, 0)),
      List.of(ScoringAttribute.negative("L1", "Recruiter", "", null, "", -5, true),
          ScoringAttribute.negative("N1", "Job-seeker", "", null, "", -3, false)));

  /** The first lead of system.md §9.3. */
  static final JsonObject SPEC_LEAD_1 = new JsonObject("""
      {"positive_scores":{"A":5,"C":2},"negative_scores":{"N1":0},
       "attribute_reasoning":{"A":"Founder of own company.","C":"Former head of product.","N1":"No job-seeking language."},
       "contact_readiness":true,"unscored_attributes":["G","H"],
       "aiProfileAssessment":"Hands-on founder applying AI to small-business workflows ...",
       "ai_excluded":"No","exclude_details":""}""");

  /** The second lead of system.md §9.3. */
  static final JsonObject SPEC_LEAD_2 = new JsonObject("""
      {"positive_scores":{"B":3},"negative_scores":{"L1":-5},
       "attribute_reasoning":{"B":"Director title.","L1":"Recruitment consultant."},
       "contact_readiness":false,"unscored_attributes":[],"aiProfileAssessment":"Agency recruiter; weak fit ...",
       "ai_excluded":"Yes","exclude_details":"Recruiter (L1 full penalty)."}""");

  /** Scores every attribute of SMALL except the one under test, so nothing else disqualifies. */
  private static JsonObject result(String id, Object value) {
    JsonObject pos = new JsonObject().put("A", 0).put("B", 2).put("I", 0);
    JsonObject neg = new JsonObject().put("L1", 0).put("N1", 0);
    (id.startsWith("L") || id.startsWith("N") ? neg : pos).put(id, value);
    return new JsonObject().put("positive_scores", pos).put("negative_scores", neg);
  }

  static List<Arguments> clamping() {
    return List.of(
        Arguments.of("A within range", "A", 4, 4),
        Arguments.of("A above max clamps to max", "A", 9, 5),
        Arguments.of("A below zero clamps to 0", "A", -2, 0),
        Arguments.of("A numeric string", "A", "4", 4),
        Arguments.of("A decimal string rounds", "A", "2.6", 3),
        Arguments.of("A decimal number rounds", "A", 3.4, 3),
        Arguments.of("A {score, reason}", "A", new JsonObject().put("score", 3).put("reason", "r"), 3),
        Arguments.of("A {score} as string", "A", new JsonObject().put("score", "5"), 5),
        Arguments.of("A non-numeric counts as 0", "A", "lots", 0),
        Arguments.of("N1 within range", "N1", -2, -2),
        Arguments.of("N1 below penalty clamps to penalty", "N1", -7, -3),
        Arguments.of("N1 positive number has its sign enforced", "N1", 2, -2),
        Arguments.of("N1 large positive number is negated then clamped", "N1", 10, -3),
        Arguments.of("N1 numeric string", "N1", "-1", -1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clamping")
  void scoresAreClampedToTheRubricRange(String name, String id, Object given, int expected) {
    LeadScore score = LeadScoreCalculator.calculate(SMALL, result(id, given));

    Map<String, Integer> scores = id.startsWith("N") ? score.negativeScores() : score.positiveScores();
    assertThat(scores).containsEntry(id, expected);
    int others = 2; // B = 2 from result()
    assertThat(score.rawScore()).isEqualTo(expected + others);
    assertThat(score.disqualifiedBy()).isNull();
  }

  @ParameterizedTest(name = "contact_readiness={0}, I given as {1} -> I={2}")
  @CsvSource(nullValues = "missing", value = {
      "true,  missing, 3",
      "true,  0,       0",
      "true,  1,       1",
      "false, missing, 0",
      "'Yes', missing, 3"})
  void contactReadinessFillsIOnlyWhenMissing(String readiness, Integer given, int expected) {
    JsonObject pos = new JsonObject().put("A", 5).put("B", 2);
    if (given != null) pos.put("I", given);
    Object flag = readiness.equals("Yes") ? "Yes" : Boolean.parseBoolean(readiness);
    JsonObject ai = new JsonObject().put("positive_scores", pos).put("contact_readiness", flag);

    LeadScore score = LeadScoreCalculator.calculate(SMALL, ai);

    assertThat(score.positiveScores()).containsEntry("I", expected);
    assertThat(score.rawScore()).isEqualTo(7 + expected);
  }

  @Test
  void contactReadinessOverridesAnUnscoredI() {
    JsonObject ai = new JsonObject().put("positive_scores", new JsonObject().put("B", 2))
        .put("unscored_attributes", new JsonArray().add("I")).put("contact_readiness", true);

    LeadScore score = LeadScoreCalculator.calculate(SMALL, ai);

    assertThat(score.positiveScores()).containsEntry("I", 3);
    assertThat(score.unscored()).isEmpty();
    assertThat(score.reasons()).containsEntry("I", LeadScoreCalculator.CONTACT_READY_REASON);
  }

  @Test
  void unknownIdsAreIgnored() {
    JsonObject ai = new JsonObject()
        .put("positive_scores", new JsonObject().put("B", 2).put("Z", 5))
        .put("negative_scores", new JsonObject().put("N9", -4))
        .put("attribute_reasoning", new JsonObject().put("Z", "made up"))
        .put("unscored_attributes", new JsonArray().add("Q"));

    LeadScore score = LeadScoreCalculator.calculate(SMALL, ai);

    assertThat(score.positiveScores()).containsOnlyKeys("A", "B", "I");
    assertThat(score.negativeScores()).containsOnlyKeys("L1", "N1");
    assertThat(score.reasons()).doesNotContainKey("Z");
    assertThat(score.unscored()).isEmpty();
    assertThat(score.rawScore()).isEqualTo(2);
  }

  @Test
  void omittedAttributesGetZeroWithNoEvidenceButUnscoredOnesDoNot() {
    JsonObject ai = new JsonObject().put("positive_scores", new JsonObject().put("B", 2))
        .put("unscored_attributes", new JsonArray().add("A"));

    LeadScore score = LeadScoreCalculator.calculate(SMALL, ai);

    assertThat(score.positiveScores()).containsExactly(Map.entry("B", 2), Map.entry("I", 0));
    assertThat(score.negativeScores()).containsExactly(Map.entry("L1", 0), Map.entry("N1", 0));
    assertThat(score.reasons()).containsEntry("I", "No evidence found for this attribute.")
        .containsEntry("L1", "No evidence found for this attribute.")
        .doesNotContainKey("A").doesNotContainKey("B");
    assertThat(score.unscored()).containsExactly("A");
  }

  @Test
  void reasonsComeFromAttributeReasoningOrTheScoreObject() {
    JsonObject ai = new JsonObject()
        .put("positive_scores", new JsonObject().put("A", new JsonObject().put("score", 5).put("reason", "Owns it."))
            .put("B", new JsonObject().put("score", 3).put("reason", "ignored")))
        .put("attribute_reasoning", new JsonObject().put("B", "Director title."));

    LeadScore score = LeadScoreCalculator.calculate(SMALL, ai);

    assertThat(score.reasons()).containsEntry("A", "Owns it.").containsEntry("B", "Director title.");
  }

  static List<Arguments> disqualification() {
    return List.of(
        Arguments.of("disqualifying negative scoring non-zero", "{\"B\":3}", "{\"L1\":-1}", "L1 Recruiter"),
        Arguments.of("disqualifying negative at 0", "{\"B\":3}", "{\"L1\":0}", null),
        Arguments.of("non-disqualifying negative", "{\"B\":3}", "{\"N1\":-2}", null),
        Arguments.of("positive below min to qualify", "{\"A\":5,\"B\":1}", "{}", "B Director"),
        Arguments.of("positive at min to qualify", "{\"A\":5,\"B\":2}", "{}", null),
        Arguments.of("positive omitted counts as 0, below min", "{\"A\":5}", "{}", "B Director"),
        Arguments.of("first by id order wins", "{\"B\":0}", "{\"L1\":-5}", "B Director"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("disqualification")
  void disqualificationZeroesThePercentage(String name, String pos, String neg, String expected) {
    JsonObject ai = new JsonObject().put("positive_scores", new JsonObject(pos))
        .put("negative_scores", new JsonObject(neg));

    LeadScore score = LeadScoreCalculator.calculate(SMALL, ai);

    assertThat(score.disqualifiedBy()).isEqualTo(expected);
    if (expected != null) {
      assertThat(score.percentage()).isZero();
    } else {
      assertThat(score.percentage()).isPositive();
    }
  }

  @Test
  void unscoredPositiveWithMinToQualifyDoesNotDisqualify() {
    JsonObject ai = new JsonObject().put("positive_scores", new JsonObject().put("A", 5))
        .put("unscored_attributes", new JsonArray().add("B"));

    LeadScore score = LeadScoreCalculator.calculate(SMALL, ai);

    assertThat(score.disqualifiedBy()).isNull();
    assertThat(score.percentage()).isEqualTo(38.46);
  }

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource({
      "5,   38,  13.16",
      "10,  38,  26.32",
      "1,   3,   33.33",
      "2,   3,   66.67",
      "1,   8,   12.5",
      "1,   800, 0.13",
      "-4,  13,  0.0",
      "150, 100, 100.0",
      "38,  38,  100.0",
      "3,   0,   0.0"})
  void percentageIsClampedAndRoundedToTwoDecimals(int raw, int denominator, double expected) {
    assertThat(LeadScoreCalculator.percentage(raw, denominator)).isEqualTo(expected);
  }

  @Test
  void negativeRawScoreGivesZeroPercent() {
    JsonObject ai = new JsonObject().put("positive_scores", new JsonObject().put("B", 2))
        .put("negative_scores", new JsonObject().put("N1", -3));
    Rubric noMinimum = new Rubric(null, List.of(ScoringAttribute.positive("A", "Founder", "", null, "", 10, 0)),
        SMALL.negatives());

    LeadScore score = LeadScoreCalculator.calculate(noMinimum, ai);

    assertThat(score.rawScore()).isEqualTo(-3);
    assertThat(score.denominator()).isEqualTo(10);
    assertThat(score.percentage()).isEqualTo(0.0);
    assertThat(score.disqualifiedBy()).isNull();
  }

  @ParameterizedTest(name = "ai_excluded={0} -> {1}")
  @MethodSource("exclusions")
  void aiExcludedIsYesOrTrue(Object value, boolean expected) {
    JsonObject ai = result("A", 1);
    if (value != null) ai.put("ai_excluded", value);

    assertThat(LeadScoreCalculator.calculate(SMALL, ai).aiExcluded()).isEqualTo(expected);
  }

  static List<Arguments> exclusions() {
    return List.of(Arguments.of("Yes", true), Arguments.of("yes", true), Arguments.of(true, true),
        Arguments.of("TRUE", true), Arguments.of("No", false), Arguments.of(false, false), Arguments.of(null, false));
  }

  @Test
  void assessmentDefaultsToNotAvailable() {
    assertThat(LeadScoreCalculator.calculate(SMALL, result("A", 1)).assessment()).isEqualTo("N/A");
    assertThat(LeadScoreCalculator.calculate(SMALL, result("A", 1).put("aiProfileAssessment", "  ")).assessment())
        .isEqualTo("N/A");
  }

  @Test
  void specLeadOneOnTheFallbackRubric() {
    LeadScore score = LeadScoreCalculator.calculate(RubricParser.fallback(), SPEC_LEAD_1);

    // A 5 + C 2 + I 3 (contact readiness, I missing) = 10 of 38.
    assertThat(score.rawScore()).isEqualTo(10);
    assertThat(score.denominator()).isEqualTo(38);
    assertThat(score.percentage()).isEqualTo(26.32);
    assertThat(score.positiveScores()).containsEntry("A", 5).containsEntry("C", 2).containsEntry("I", 3)
        .containsEntry("B", 0).doesNotContainKeys("G", "H");
    assertThat(score.positiveScores().keySet()).containsExactly("A", "B", "C", "D", "E", "F", "I", "J", "K");
    assertThat(score.negativeScores().keySet()).containsExactly("L1", "N1", "N2", "N3", "N4", "N5");
    assertThat(score.unscored()).containsExactly("G", "H");
    assertThat(score.disqualifiedBy()).isNull();
    assertThat(score.aiExcluded()).isFalse();
    assertThat(score.excludeDetails()).isEmpty();
    assertThat(score.assessment()).isEqualTo("Hands-on founder applying AI to small-business workflows ...");
  }

  @Test
  void specLeadTwoIsDisqualifiedAsRecruiter() {
    LeadScore score = LeadScoreCalculator.calculate(RubricParser.fallback(), SPEC_LEAD_2);

    assertThat(score.rawScore()).isEqualTo(-2);
    assertThat(score.percentage()).isEqualTo(0.0);
    assertThat(score.disqualifiedBy()).isEqualTo("L1 Recruiter");
    assertThat(score.aiExcluded()).isTrue();
    assertThat(score.excludeDetails()).isEqualTo("Recruiter (L1 full penalty).");
  }
}
