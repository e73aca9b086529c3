package pbwebhook.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pbwebhook.ai.HeuristicScorer;
import pbwebhook.ai.LeadInput;
import pbwebhook.ai.LeadScoringReply;
import pbwebhook.ai.Rubric;
import pbwebhook.ai.ScoringAttribute;
import pbwebhook.store.schema.Credentials;
import pbwebhook.store.schema.PostScoringAttributes;
import pbwebhook.store.schema.PostScoringInstructions;
import pbwebhook.store.schema.ScoringAttributes;

class DefaultRubricTest {

  private static final List<JsonObject> ROWS = DefaultRubric.scoringAttributeRows();

  private static Map<String, JsonObject> rowsById() {
    return ROWS.stream().collect(Collectors.toMap(r -> r.getString(ScoringAttributes.ATTRIBUTE_ID), r -> r));
  }

  private static List<JsonObject> attributeRows() {
    return ROWS.stream()
        .filter(r -> !ScoringAttributes.CATEGORY_META.equals(r.getString(ScoringAttributes.CATEGORY))).toList();
  }

  @Test
  void holdsThePreambleAndTheFallbackAttributeIds() {
    assertThat(rowsById().keySet()).containsExactlyInAnyOrder(ScoringAttributes.PREAMBLE_ID,
        "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L1", "N1", "N2", "N3", "N4", "N5");
    JsonObject preamble = rowsById().get(ScoringAttributes.PREAMBLE_ID);
    assertThat(preamble.getString(ScoringAttributes.CATEGORY)).isEqualTo(ScoringAttributes.CATEGORY_META);
    assertThat(preamble.getString(ScoringAttributes.INSTRUCTIONS)).contains("AI").contains("B2B");
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource({
      "A, Founder / Co-Founder, 5", "B, C-Suite / Director, 5", "C, Tech / Product seniority, 3",
      "D, Prior exit, 5", "E, Raised funding, 4", "F, Hiring, 3", "G, Large AU network, 3",
      "H, Media / speaker, 2", "I, Ready for contact, 3", "J, Social proof, 2", "K, Inbound warm-up, 3"})
  void positivesKeepTheFallbackLabelsAndPoints(String id, String label, int maxPoints) {
    JsonObject row = rowsById().get(id);
    assertThat(row.getString(ScoringAttributes.CATEGORY)).isEqualTo(ScoringAttributes.CATEGORY_POSITIVE);
    assertThat(row.getString(ScoringAttributes.HEADING)).isEqualTo(label);
    assertThat(row.getInteger(ScoringAttributes.MAX_POINTS)).isEqualTo(maxPoints);
    assertThat(row.getBoolean(ScoringAttributes.DISQUALIFYING)).isFalse();
  }

  @ParameterizedTest(name = "{0} {1}: {2}, disqualifying={3}")
  @CsvSource({
      "L1, Recruiter, -5, true", "N1, Job-seeker, -3, false", "N2, Unrelated industry, -4, false",
      "N3, Short tenure, -2, false", "N4, Spammy headline, -2, false", "N5, Low credibility, -3, false"})
  void negativesKeepTheFallbackLabelsAndPenalties(String id, String label, int penalty, boolean disqualifying) {
    JsonObject row = rowsById().get(id);
    assertThat(row.getString(ScoringAttributes.CATEGORY)).isEqualTo(ScoringAttributes.CATEGORY_NEGATIVE);
    assertThat(row.getString(ScoringAttributes.HEADING)).isEqualTo(label);
    assertThat(row.getInteger(ScoringAttributes.PENALTY)).isEqualTo(penalty);
    assertThat(row.getBoolean(ScoringAttributes.DISQUALIFYING)).isEqualTo(disqualifying);
  }

  @Test
  void positivesTotalThirtyEight() {
    int total = attributeRows().stream()
        .filter(r -> ScoringAttributes.CATEGORY_POSITIVE.equals(r.getString(ScoringAttributes.CATEGORY)))
        .mapToInt(r -> r.getInteger(ScoringAttributes.MAX_POINTS)).sum();
    assertThat(total).isEqualTo(38);
  }

  @Test
  void everyAttributeRowIsComplete() {
    for (JsonObject row : attributeRows()) {
      String id = row.getString(ScoringAttributes.ATTRIBUTE_ID);
      for (String field : List.of(ScoringAttributes.HEADING, ScoringAttributes.INSTRUCTIONS,
          ScoringAttributes.EXAMPLES, ScoringAttributes.SIGNALS)) {
        assertThat(row.getString(field)).as(id + " " + field).isNotBlank();
      }
      assertThat(row.getString(ScoringAttributes.SIGNALS).split(",")).as(id + " signals").hasSizeGreaterThan(3);
      assertThat(row.getInteger(ScoringAttributes.MIN_TO_QUALIFY)).as(id).isZero();
      assertThat(row.getValue(ScoringAttributes.DISQUALIFYING)).as(id).isInstanceOf(Boolean.class);
    }
  }

  @Test
  void seedSignalsLetTheHeuristicScoreTypicalProfiles() {
    Rubric rubric = toRubric(ROWS);
    LeadScoringReply reply = new HeuristicScorer().scoreLeads(rubric, List.of(
        new LeadInput("founder", profile("Co-founder & CEO at Brightpath | Sydney",
            "We raised seed funding in 2023 and we're hiring. Happy to chat about automation.", "Co-Founder")),
        new LeadInput("recruiter", profile("Technical Recruiter at TalentCo", "Placing engineers across ANZ.",
            "Senior Recruiter")))).result();

    JsonObject founder = reply.results().get(0);
    // Headline and job titles (A, B, G) earn full points; "raised seed", "hiring" and "happy to chat" appear only
    // in the about section, which earns half (E 4 → 2, F 3 → 2, I 3 → 2); "automation" in about: K 3 → 2.
    assertThat(founder.getJsonObject("positive_scores")).isEqualTo(new JsonObject().put("A", 5).put("B", 5).put("C", 0)
        .put("D", 0).put("E", 2).put("F", 2).put("G", 3).put("H", 0).put("I", 2).put("J", 0).put("K", 2));
    assertThat(founder.getBoolean("contact_readiness")).isTrue();
    assertThat(founder.getString("ai_excluded")).isEqualTo("No");
    assertThat(founder.getJsonArray("unscored_attributes")).isEmpty();

    JsonObject recruiter = reply.results().get(1);
    assertThat(recruiter.getJsonObject("negative_scores").getInteger("L1")).isEqualTo(-5);
    assertThat(recruiter.getString("ai_excluded")).isEqualTo("Yes");
  }

  @Test
  void postScoringRowsHavePositivesAndOneNegativeWithEveryField() {
    List<JsonObject> rows = DefaultRubric.postScoringAttributeRows();
    assertThat(rows).hasSizeBetween(3, 5);
    assertThat(rows).filteredOn(r -> PostScoringAttributes.CATEGORY_NEGATIVE
        .equals(r.getString(PostScoringAttributes.CATEGORY))).hasSize(1);
    for (JsonObject row : rows) {
      assertThat(row.getString(PostScoringAttributes.CATEGORY))
          .isIn(PostScoringAttributes.CATEGORY_POSITIVE, PostScoringAttributes.CATEGORY_NEGATIVE);
      assertThat(row.getValue(PostScoringAttributes.MAX_SCORE)).isInstanceOf(Integer.class);
      for (String field : List.of(PostScoringAttributes.ATTRIBUTE_ID, PostScoringAttributes.CRITERION_NAME,
          PostScoringAttributes.SCORING_TYPE, PostScoringAttributes.INSTRUCTIONS,
          PostScoringAttributes.POSITIVE_KEYWORDS, PostScoringAttributes.NEGATIVE_KEYWORDS,
          PostScoringAttributes.EXAMPLE_HIGH, PostScoringAttributes.EXAMPLE_LOW)) {
        assertThat(row.getString(field)).as(row.getString(PostScoringAttributes.ATTRIBUTE_ID) + " " + field)
            .isNotBlank();
      }
    }
  }

  @Test
  void postScoringInstructionsIncludeTheScoringHeaderInSortOrder() {
    List<JsonObject> rows = DefaultRubric.postScoringInstructionRows();
    assertThat(rows).extracting(r -> r.getString(PostScoringInstructions.COMPONENT_ID))
        .contains(PostScoringInstructions.SCORING_HEADER_ID).doesNotHaveDuplicates();
    assertThat(rows).extracting(r -> r.getInteger(PostScoringInstructions.SORT_ORDER))
        .doesNotHaveDuplicates().isSorted();
    assertThat(rows).allSatisfy(r -> assertThat(r.getString(PostScoringInstructions.INSTRUCTION_TEXT)).isNotBlank());
  }

  @Test
  void credentialsRowHoldsKeywordsAndNoSecrets() {
    JsonObject row = DefaultRubric.credentialsRow();
    assertThat(row.getString(Credentials.POST_SCORING_AI_KEYWORDS).split(","))
        .extracting(String::trim).contains("AI", "automation", "LLM");
    assertThat(row.fieldNames()).containsExactly(Credentials.POST_SCORING_AI_KEYWORDS);
  }

  private static JsonObject profile(String headline, String about, String title) {
    return new JsonObject().put("headline", headline).put("about", about)
        .put("experience", new JsonArray().add(new JsonObject().put("title", title).put("company", "Co")
            .put("dateRange", "2023 – Present").put("description", "")));
  }

  /** Only what this test needs from a row; the real rubric loader lives elsewhere. */
  private static Rubric toRubric(List<JsonObject> rows) {
    String preamble = "";
    List<ScoringAttribute> positives = new ArrayList<>();
    List<ScoringAttribute> negatives = new ArrayList<>();
    for (JsonObject r : rows) {
      String id = r.getString(ScoringAttributes.ATTRIBUTE_ID);
      String category = r.getString(ScoringAttributes.CATEGORY);
      String label = r.getString(ScoringAttributes.HEADING);
      String instructions = r.getString(ScoringAttributes.INSTRUCTIONS);
      String examples = r.getString(ScoringAttributes.EXAMPLES);
      String signals = r.getString(ScoringAttributes.SIGNALS);
      if (ScoringAttributes.CATEGORY_META.equals(category)) preamble = instructions;
      else if (ScoringAttributes.CATEGORY_POSITIVE.equals(category)) {
        positives.add(ScoringAttribute.positive(id, label, instructions, examples, signals,
            r.getInteger(ScoringAttributes.MAX_POINTS), 0));
      } else {
        negatives.add(ScoringAttribute.negative(id, label, instructions, examples, signals,
            r.getInteger(ScoringAttributes.PENALTY), r.getBoolean(ScoringAttributes.DISQUALIFYING)));
      }
    }
    return new Rubric(preamble, positives, negatives);
  }
}
