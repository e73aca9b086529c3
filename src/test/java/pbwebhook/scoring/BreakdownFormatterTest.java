package pbwebhook.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pbwebhook.ai.Rubric;
import pbwebhook.ai.ScoringAttribute;

class BreakdownFormatterTest {

  private static final Rubric SPEC_RUBRIC = new Rubric(null,
      List.of(ScoringAttribute.positive("A", "Founder / Co-Founder", "", null, "", 5, 0),
          ScoringAttribute.positive("G", "Large AU network", "", null, "", 3, 0),
          ScoringAttribute.positive("H", "Media/speaker", "", null, "", 2, 0)),
      List.of(ScoringAttribute.negative("N1", "Job-seeker keywords", "", null, "", -3, false)));

  @Test
  void reproducesTheSpecExampleByteForByte() {
    LeadScore score = new LeadScore(13.16, 5, 38, Map.of("A", 5), Map.of("N1", -3),
        Map.of("A", "Runs own company.", "N1", "…"), List.of("G", "H"), null, false, "", "N/A");

    assertThat(BreakdownFormatter.format(SPEC_RUBRIC, score)).isEqualTo("""
        **Positive Attributes**:
        - **A (Founder / Co-Founder)**: 5 / 5
          ↳ Runs own company.


        **Negative Attributes**:
        - **N1 (Job-seeker keywords)**: -3 / -3
          ↳ …


        _Unscored attributes:_ **G**, **H**

        **Total:** 5 / 38 ⇒ 13.2 % — Not Disqualified""");
  }

  @Test
  void specLeadOneHidesZerosJoinsEntriesWithABlankLineAndKeepsTheEmptyNegativesHeader() {
    Rubric rubric = RubricParser.fallback();
    LeadScore score = LeadScoreCalculator.calculate(rubric, LeadScoreCalculatorTest.SPEC_LEAD_1);

    assertThat(BreakdownFormatter.format(rubric, score)).isEqualTo("""
        **Positive Attributes**:
        - **A (Founder)**: 5 / 5
          ↳ Founder of own company.

        - **C (Tech/Product seniority)**: 2 / 3
          ↳ Former head of product.

        - **I (Ready for contact)**: 3 / 3
          ↳ The AI judged the lead ready for contact.


        **Negative Attributes**:

        _Unscored attributes:_ **G**, **H**

        **Total:** 10 / 38 ⇒ 26.3 % — Not Disqualified""");
  }

  @Test
  void specLeadTwoEndsWithTheDisqualifyingAttribute() {
    Rubric rubric = RubricParser.fallback();
    LeadScore score = LeadScoreCalculator.calculate(rubric, LeadScoreCalculatorTest.SPEC_LEAD_2);

    assertThat(BreakdownFormatter.format(rubric, score)).isEqualTo("""
        **Positive Attributes**:
        - **B (C-Suite/Director)**: 3 / 5
          ↳ Director title.


        **Negative Attributes**:
        - **L1 (Recruiter)**: -5 / -5
          ↳ Recruitment consultant.


        **Total:** -2 / 38 ⇒ 0.0 % — Disqualified (L1 Recruiter)""");
  }

  @Test
  void missingReasonIsFlaggedAndBothHeadersRemainWhenNothingScored() {
    LeadScore noReason = new LeadScore(100.0, 5, 5, Map.of("A", 5), Map.of(), Map.of(), List.of(), null, false, "",
        "N/A");
    LeadScore nothing = new LeadScore(0.0, 0, 10, Map.of("A", 0), Map.of("N1", 0), Map.of(), List.of(), null, false,
        "", "N/A");

    assertThat(BreakdownFormatter.format(SPEC_RUBRIC, noReason)).isEqualTo("""
        **Positive Attributes**:
        - **A (Founder / Co-Founder)**: 5 / 5
          ↳ _GPT could not score this attribute_


        **Negative Attributes**:

        **Total:** 5 / 5 ⇒ 100.0 % — Not Disqualified""");
    assertThat(BreakdownFormatter.format(SPEC_RUBRIC, nothing)).isEqualTo("""
        **Positive Attributes**:

        **Negative Attributes**:

        **Total:** 0 / 10 ⇒ 0.0 % — Not Disqualified""");
  }

  @Test
  void headingsFromTheRubricTableKeepTheirHyphensAndSlashes() {
    Rubric rubric = RubricParser.fromRecords(DefaultRubric.scoringAttributeRows().stream()
        .map(f -> new pbwebhook.store.Record(null, null, f)).toList());
    JsonObject reply = new JsonObject()
        .put("positive_scores", new JsonObject().put("A", 5).put("B", 0))
        .put("negative_scores", new JsonObject().put("N1", -2))
        .put("attribute_reasoning", new JsonObject().put("A", "Co-founded Example Labs.").put("N1", "Open-to-work banner."))
        .put("unscored_attributes", new JsonArray().add("G"));
    LeadScore score = LeadScoreCalculator.calculate(rubric, reply);

    assertThat(BreakdownFormatter.format(rubric, score)).isEqualTo("""
        **Positive Attributes**:
        - **A (Founder / Co-Founder)**: 5 / 5
          ↳ Co-founded Example Labs.


        **Negative Attributes**:
        - **N1 (Job-seeker)**: -2 / -3
          ↳ Open-to-work banner.


        _Unscored attributes:_ **G**

        **Total:** 3 / 38 ⇒ 7.9 % — Not Disqualified""");
  }
}
