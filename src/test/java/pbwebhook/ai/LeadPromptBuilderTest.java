package pbwebhook.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeadPromptBuilderTest {

  private static final Rubric RUBRIC = new Rubric("You score leads for Example Co.",
      List.of(ScoringAttribute.positive("A", "Founder", "Owns a company.", "CEO and founder", "founder", 5, 2)),
      List.of(ScoringAttribute.negative("L1", "Recruiter", "Works in recruiting.", null, "", -5, true)));

  @Test
  void systemInstructionKeepsTheSpecOrder() {
    String prompt = LeadPromptBuilder.systemInstruction(RUBRIC);

    assertThat(prompt).startsWith("You score leads for Example Co.\n\n" + LeadPromptBuilder.CRITERIA_BANNER);
    int positives = prompt.indexOf("POSITIVE ATTRIBUTES (with max scores)\n{");
    int negatives = prompt.indexOf("NEGATIVE ATTRIBUTES (with max deduction)\n{");
    int rules = prompt.indexOf("RESPONSE FORMAT AND RULES\n");
    assertThat(positives).isPositive();
    assertThat(negatives).isGreaterThan(positives);
    assertThat(rules).isGreaterThan(negatives);
    assertThat(prompt).doesNotContain(LeadPromptBuilder.DEFAULT_PREAMBLE);
  }

  @Test
  void attributesGoOutAsJsonWithTheirLimits() {
    String prompt = LeadPromptBuilder.systemInstruction(RUBRIC);
    String positivesJson = prompt.substring(prompt.indexOf('{', prompt.indexOf("POSITIVE ATTRIBUTES")),
        prompt.indexOf("\n\nNEGATIVE ATTRIBUTES"));
    String negativesJson = prompt.substring(prompt.indexOf('{', prompt.indexOf("NEGATIVE ATTRIBUTES")),
        prompt.indexOf("\n\nRESPONSE FORMAT AND RULES"));

    assertThat(new JsonObject(positivesJson)).isEqualTo(new JsonObject()
        .put("A", new JsonObject().put("label", "Founder").put("instructions", "Owns a company.")
            .put("examples", "CEO and founder").put("signals", "founder").put("maxPoints", 5).put("minQualify", 2)));
    assertThat(new JsonObject(negativesJson)).isEqualTo(new JsonObject()
        .put("L1", new JsonObject().put("label", "Recruiter").put("instructions", "Works in recruiting.")
            .put("signals", "").put("penalty", -5).put("disqualifying", true)));
  }

  @Test
  void responseRulesAskForTheLeadIdAndListEightRules() {
    String prompt = LeadPromptBuilder.systemInstruction(RUBRIC);
    String rules = prompt.substring(prompt.indexOf("RESPONSE FORMAT AND RULES"));

    assertThat(rules).contains("\"id\": \"<the lead's id, exactly as given>\"", "\"positive_scores\"",
        "\"negative_scores\"", "\"attribute_reasoning\"", "\"contact_readiness\"", "\"unscored_attributes\"",
        "\"aiProfileAssessment\"", "\"ai_excluded\"", "\"exclude_details\"");
    assertThat(rules).contains("1. Return one object per lead, each carrying the lead's id exactly as given.")
        .doesNotContain("input order");
    assertThat(rules.lines().filter(l -> l.matches("\\d\\. .*"))).hasSize(8);
  }

  @Test
  void withoutPreambleTheDefaultSentenceStands() {
    Rubric bare = new Rubric(null, RUBRIC.positives(), RUBRIC.negatives());

    assertThat(LeadPromptBuilder.systemInstruction(bare))
        .startsWith(LeadPromptBuilder.DEFAULT_PREAMBLE + "\n\nPOSITIVE ATTRIBUTES (with max scores)\n");
  }

  @Test
  void userMessageSendsEachLeadWithItsIdAndSlimProfileOnly() {
    JsonObject profile = new JsonObject().put("headline", "Founder at Example Labs").put("about", "Builds things.")
        .put("experience", List.of()).put("_experienceCount", 0).put("_originalId", "jane-example-0001");

    String message = LeadPromptBuilder.userMessage(List.of(new LeadInput("recA", profile),
        new LeadInput("recB", new JsonObject().put("headline", "Recruiter"))));

    assertThat(message).isEqualTo(LeadPromptBuilder.USER_INTRO + "\n\n"
        + "{\"leads\":[{\"id\":\"recA\",\"headline\":\"Founder at Example Labs\",\"about\":\"Builds things.\","
        + "\"experience\":[],\"_experienceCount\":0,\"_originalId\":\"jane-example-0001\"},"
        + "{\"id\":\"recB\",\"headline\":\"Recruiter\"}]}");
    assertThat(LeadPromptBuilder.USER_INTRO).doesNotContain("\n");
  }
}
