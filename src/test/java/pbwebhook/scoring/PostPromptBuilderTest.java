package pbwebhook.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import pbwebhook.ai.HeuristicScorer;
import pbwebhook.store.Record;
import pbwebhook.store.schema.PostScoringAttributes;
import pbwebhook.store.schema.PostScoringInstructions;

class PostPromptBuilderTest {

  static Record instruction(String id, Object sortOrder, String text) {
    return new Record("rec" + id, null, new JsonObject().put(PostScoringInstructions.COMPONENT_ID, id)
        .put(PostScoringInstructions.SORT_ORDER, sortOrder).put(PostScoringInstructions.INSTRUCTION_TEXT, text));
  }

  static Record attribute(String id, String category, String positives, String exampleHigh) {
    JsonObject f = new JsonObject().put(PostScoringAttributes.ATTRIBUTE_ID, id)
        .put(PostScoringAttributes.CRITERION_NAME, "Name " + id).put(PostScoringAttributes.CATEGORY, category)
        .put(PostScoringAttributes.SCORING_TYPE, "Scale").put(PostScoringAttributes.MAX_SCORE, 10)
        .put(PostScoringAttributes.INSTRUCTIONS, "Do " + id);
    if (positives != null) f.put(PostScoringAttributes.POSITIVE_KEYWORDS, positives);
    if (exampleHigh != null) f.put(PostScoringAttributes.EXAMPLE_HIGH, exampleHigh);
    return new Record("rec" + id, null, f);
  }

  static final List<Record> ATTRIBUTES = List.of(
      attribute("N1", PostScoringAttributes.CATEGORY_NEGATIVE, null, null),
      attribute("P1", PostScoringAttributes.CATEGORY_POSITIVE, "AI, automation", "We automated quoting."),
      attribute("U1", "Something else", null, null));

  static final String RUBRIC = String.join("\n",
      "--- POST SCORING ATTRIBUTES ---",
      "",
      "**Positive Scoring Attributes**",
      "",
      "### Attribute ID: P1",
      "- **Criterion Name:** Name P1",
      "- **Scoring Type:** Scale",
      "- **Max Score / Point Value:** 10",
      "- **Detailed Instructions:** Do P1",
      "- **Keywords/Positive Indicators:** AI, automation",
      "- **Example - High Score / Applies:** We automated quoting.",
      "",
      "### Attribute ID: U1",
      "- **Criterion Name:** Name U1",
      "- **Scoring Type:** Scale",
      "- **Max Score / Point Value:** 10",
      "- **Detailed Instructions:** Do U1",
      "",
      "**Negative Scoring Attributes (Penalties)**",
      "",
      "### Attribute ID: N1",
      "- **Criterion Name:** Name N1",
      "- **Scoring Type:** Scale",
      "- **Max Score / Point Value:** 10",
      "- **Detailed Instructions:** Do N1");

  @Test
  void componentsInSortOrderWithTheRubricAfterTheScoringHeader() {
    String prompt = PostPromptBuilder.build(List.of(
        instruction("OUTPUT", 4, "Answer with JSON."),
        instruction("ROLE", 1, "You read posts."),
        instruction("SCORING_HEADER", "3", "Apply these:")), ATTRIBUTES);
    assertThat(prompt).isEqualTo("You read posts.\n\nApply these:\n" + RUBRIC + "\n\nAnswer with JSON.");
  }

  @Test
  void withoutAScoringHeaderTheRubricIsAppendedNotDropped() {
    String prompt = PostPromptBuilder.build(List.of(
        instruction("OUTPUT", 2, "Answer with JSON."),
        instruction("ROLE", 1, "You read posts.")), ATTRIBUTES);
    assertThat(prompt).isEqualTo("You read posts.\n\nAnswer with JSON.\n\n" + RUBRIC);
  }

  @Test
  void noComponentsOrNoAttributesIsAnError() {
    assertThatThrownBy(() -> PostPromptBuilder.build(List.of(), ATTRIBUTES))
        .hasMessageContaining("Post Scoring Instructions");
    assertThatThrownBy(() -> PostPromptBuilder.build(List.of(instruction("ROLE", 1, "x")), List.of()))
        .hasMessageContaining("Post Scoring Attributes");
  }

  @Test
  void theOfflineScorerReadsTheKeywordBulletsOfTheBuiltPrompt() {
    String prompt = PostPromptBuilder.build(List.of(instruction("ROLE", 1, "You read posts.")), ATTRIBUTES);
    var scorer = new HeuristicScorer();
    var reply = scorer.scorePosts(prompt, new JsonObject().put("lead_id", "rec1").put("posts", new io.vertx.core.json.JsonArray()
        .add(new JsonObject().put("postUrl", "u1").put("postContent", "Our automation work"))
        .add(new JsonObject().put("postUrl", "u2").put("postContent", "A day at the beach")))).result();
    // 10 for any positive indicator, plus 25 for each distinct one.
    assertThat(reply.results().get(0)).isEqualTo(new JsonObject().put("post_url", "u1").put("post_score", 35)
        .put("scoring_rationale", "Offline heuristic scorer (no AI model was used): found \"automation\"."));
    assertThat(reply.results().get(1).getInteger("post_score")).isZero();
  }
}
