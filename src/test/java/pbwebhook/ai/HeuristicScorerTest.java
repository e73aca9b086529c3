package pbwebhook.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HeuristicScorerTest {

  private static final String PHRASE = "offline heuristic scorer";

  private static final Rubric RUBRIC = new Rubric("Score leads for an AI agency.",
      List.of(
          ScoringAttribute.positive("A", "Founder", "Award points to founders.", "Co-founder & CEO",
              "founder, co-founder, owner-operator", 5, 0),
          ScoringAttribute.positive("B", "C-Suite / Director", "Senior decision makers (e.g. managing director).",
              "", "CEO, CTO, chief executive", 5, 0),
          ScoringAttribute.positive("E", "Raised funding", "", "", "raised seed, series a, venture-backed", 4, 0),
          ScoringAttribute.positive("I", "Ready for contact", "", "", "reach out, get in touch, dm me", 3, 0),
          ScoringAttribute.positive("K", "Inbound warm-up", "", "", "AI, automation", 3, 0),
          ScoringAttribute.positive("G", "Large AU network", "", "", "", 3, 0)),
      List.of(
          ScoringAttribute.negative("L1", "Recruiter", "", "", "recruiter, talent acquisition, headhunter", 5, true),
          ScoringAttribute.negative("N1", "Job-seeker", "", "", "open to work, seeking new opportunities", 3, false),
          ScoringAttribute.negative("N4", "Spammy headline", "Hype words such as \"growth hacker\".", "", "", 2,
              false)));

  private final HeuristicScorer scorer = new HeuristicScorer();

  private static JsonObject profile(String headline, String about, JsonObject... jobs) {
    return new JsonObject().put("headline", headline).put("about", about)
        .put("experience", new JsonArray(List.of((Object[]) jobs))).put("_experienceCount", jobs.length)
        .put("_originalId", "orig");
  }

  private static JsonObject job(String title, String company, String description) {
    return new JsonObject().put("title", title).put("company", company).put("dateRange", "2020 – Present")
        .put("description", description);
  }

  private LeadScoringReply score(Rubric rubric, LeadInput... leads) {
    Future<LeadScoringReply> reply = scorer.scoreLeads(rubric, List.of(leads));
    assertThat(reply.succeeded()).as("heuristic scoring completes at once").isTrue();
    return reply.result();
  }

  private JsonObject scoreOne(JsonObject profile) {
    return score(RUBRIC, new LeadInput("rec1", profile)).results().get(0);
  }

  @Test
  void describesItselfAsOffline() {
    assertThat(scorer.describe()).isEqualTo("heuristic (offline)");
  }

  @Test
  void founderScoresFullPointsWithAReasonQuotingTheEvidence() {
    JsonObject r = scoreOne(profile("Founder & CEO at Example Labs",
        "We raised seed funding last year and build automation for small firms.",
        job("Founder", "Example Labs", "Product and sales.")));

    assertThat(r.getJsonObject("positive_scores").getInteger("A")).isEqualTo(5);
    assertThat(r.getJsonObject("attribute_reasoning").getString("A"))
        .isEqualTo("Found \"founder\" in headline, job 1 title.");
    assertThat(r.getJsonObject("positive_scores").getInteger("E")).isEqualTo(2);
    assertThat(r.getJsonObject("attribute_reasoning").getString("E")).isEqualTo("Found \"raised seed\" in about.");
    assertThat(r.getJsonObject("negative_scores").getInteger("L1")).isZero();
    assertThat(r.getString("ai_excluded")).isEqualTo("No");
    assertThat(r.getString("exclude_details")).isEmpty();
    assertThat(r.getString("aiProfileAssessment")).contains(PHRASE).contains("A Founder (5/5");
  }

  @Test
  void recruiterGetsTheDisqualifyingPenaltyAndIsExcluded() {
    JsonObject r = scoreOne(profile("Senior Technical Recruiter | Talent Acquisition", "I place engineers.",
        job("Recruiter", "TalentCo", "Agency recruitment.")));

    assertThat(r.getJsonObject("negative_scores").getInteger("L1")).isEqualTo(-5);
    assertThat(r.getJsonObject("attribute_reasoning").getString("L1"))
        .startsWith("Found \"recruiter\" in headline, job 1 title; \"talent acquisition\" in headline");
    assertThat(r.getString("ai_excluded")).isEqualTo("Yes");
    assertThat(r.getString("exclude_details")).isEqualTo("L1 Recruiter: \"recruiter\" in headline");
    assertThat(r.getString("aiProfileAssessment")).contains("excluded").contains("L1 Recruiter");
  }

  @Test
  void nonDisqualifyingPenaltyDoesNotExclude() {
    JsonObject r = scoreOne(profile("Product designer, open to work", "", job("Designer", "Studio", "")));
    assertThat(r.getJsonObject("negative_scores").getInteger("N1")).isEqualTo(-3);
    assertThat(r.getString("ai_excluded")).isEqualTo("No");
  }

  @Test
  void penaltiesLookOnlyAtWhoThePersonIsNow() {
    // A founder who recruited years ago is not a recruiter today.
    JsonObject r = scoreOne(profile("Founder at Example Labs", "Building tools for clinics.",
        job("Founder", "Example Labs", ""), job("Recruiter", "TalentCo", "Headhunter for fintech.")));
    assertThat(r.getJsonObject("negative_scores").getInteger("L1")).isZero();
    assertThat(r.getString("ai_excluded")).isEqualTo("No");
  }

  @Test
  void emptyProfileScoresNothing() {
    JsonObject r = scoreOne(new JsonObject());

    assertThat(r.getJsonObject("positive_scores").getMap().values()).isNotEmpty().allMatch(v -> v.equals(0));
    assertThat(r.getJsonObject("negative_scores").getMap().values()).isNotEmpty().allMatch(v -> v.equals(0));
    assertThat(r.getJsonObject("attribute_reasoning").getString("A")).isEqualTo(HeuristicScorer.NO_EVIDENCE);
    assertThat(r.getBoolean("contact_readiness")).isFalse();
    assertThat(r.getString("ai_excluded")).isEqualTo("No");
    assertThat(r.getString("aiProfileAssessment")).contains(PHRASE).contains("no headline");
  }

  @Test
  void attributesWithNothingToLookForAreUnscored() {
    JsonObject r = scoreOne(profile("Founder in Sydney", "", job("Founder", "Co", "")));

    assertThat(r.getJsonArray("unscored_attributes").getList()).containsExactly("G");
    assertThat(r.getJsonObject("positive_scores").containsKey("G")).isFalse();
    assertThat(r.getJsonObject("attribute_reasoning").containsKey("G")).isFalse();
    // N4 has no signals or examples but quotes a phrase in its instructions, so it is scored.
    assertThat(r.getJsonObject("negative_scores").containsKey("N4")).isTrue();
  }

  @ParameterizedTest(name = "[{index}] headline=\"{0}\" about=\"{1}\" job=\"{2}\" → A={3}")
  @CsvSource(delimiter = '|', value = {
      // one mention outside headline and titles: about half the points
      "Consultant        | I am the founder of a clinic software company.      |                      | 3",
      "Consultant        | Co-founder and designer.                            |                      | 3",
      "Consultant        | Cofounder and designer.                             |                      | 3",
      "Consultant        | Co founder and designer.                            |                      | 3",
      "Consultant        | FOUNDER, builder, parent.                           |                      | 3",
      "Consultant        | One of three founders; owner-operator of the shop.  |                      | 3",
      // self-described in the headline, or found in two places: full points
      "Founder at Acme   |                                                     |                      | 5",
      "Consultant        | Founder of a clinic software company.               | Founded it in 2019.  | 3",
      "Consultant        | Founder of a clinic software company.               | Founder duties.      | 5",
      // not whole words, or not a listed signal
      "Consultant        | Visiting Foundersville next week.                   |                      | 0",
      "Consultant        | Our foundering ship.                                |                      | 0",
      "Product owner     | Owner of nothing.                                   |                      | 0"})
  void positiveScoreScalesWithWholeWordEvidence(String headline, String about, String jobDescription,
                                                int expected) {
    JsonObject r = scoreOne(profile(headline, about == null ? "" : about,
        job("Consultant", "Self", jobDescription == null ? "" : jobDescription)));
    assertThat(r.getJsonObject("positive_scores").getInteger("A")).isEqualTo(expected);
  }

  @ParameterizedTest(name = "[{index}] headline=\"{0}\" → K={1}")
  @CsvSource(delimiter = '|', value = {
      "Building AI tools for accountants | 3",
      "Tai chi instructor                | 0",
      "Said no to everything             | 0",
      "Workflow automation nerd          | 3"})
  void twoLetterAcronymsMatchOnlyInCapitals(String headline, int expected) {
    JsonObject r = scoreOne(profile(headline, ""));
    assertThat(r.getJsonObject("positive_scores").getInteger("K")).isEqualTo(expected);
  }

  @Test
  void examplesListedInInstructionsCountAsEvidence() {
    JsonObject r = scoreOne(profile("Managing Director, Example Pty Ltd", ""));
    assertThat(r.getJsonObject("positive_scores").getInteger("B")).isEqualTo(5);
    assertThat(r.getJsonObject("attribute_reasoning").getString("B")).contains("\"managing director\" in headline");
  }

  @ParameterizedTest(name = "[{index}] \"{0}\" → contact_readiness={1}")
  @CsvSource(delimiter = '|', value = {
      "Feel free to reach out about automation.   | true",
      "DM me if you want to swap notes.           | true",
      "Let’s connect!                             | true",
      "Happy to chat about clinics.               | true",
      "Open to work as a designer.                | false",
      "I build software.                          | false"})
  void contactReadinessFollowsInvitationsInHeadlineOrAbout(String about, boolean expected) {
    assertThat(scoreOne(profile("Consultant", about)).getBoolean("contact_readiness")).isEqualTo(expected);
  }

  @Test
  void everyResultCarriesItsLeadIdTheOfflineNoticeAndStaysInBounds() {
    List<LeadInput> leads = List.of(
        new LeadInput("recA", profile("Founder & CEO, venture-backed", "Reach out any time. We use AI daily.",
            job("Founder", "Example", "Raised seed and Series A."))),
        new LeadInput("recB", profile("Recruiter, open to work", "Headhunter and talent acquisition lead.")),
        new LeadInput("recC", new JsonObject()),
        new LeadInput("recD", null));
    LeadScoringReply reply = score(RUBRIC, leads.toArray(LeadInput[]::new));

    assertThat(reply.results()).extracting(r -> r.getString("id")).containsExactly("recA", "recB", "recC", "recD");
    for (JsonObject r : reply.results()) {
      String assessment = r.getString("aiProfileAssessment");
      assertThat(assessment).contains(PHRASE).contains("no AI model was used");
      assertThat(HeuristicScorer.wordCount(assessment)).isBetween(50, 150);
      r.getJsonObject("positive_scores").forEach(e -> assertThat((Integer) e.getValue())
          .isBetween(0, RUBRIC.attribute(e.getKey()).orElseThrow().maxPoints()));
      r.getJsonObject("negative_scores").forEach(e -> assertThat((Integer) e.getValue())
          .isBetween(RUBRIC.attribute(e.getKey()).orElseThrow().penalty(), 0));
      assertThat(r.getString("ai_excluded")).isIn("Yes", "No");
    }
  }

  @Test
  void sameInputGivesTheSameOutput() {
    LeadInput[] leads = {
        new LeadInput("r1", profile("Founder & CEO", "Get in touch. Raised seed.", job("Founder", "X", "AI"))),
        new LeadInput("r2", profile("Recruiter", "Seeking new opportunities."))};

    LeadScoringReply first = score(RUBRIC, leads);
    LeadScoringReply second = score(RUBRIC, leads);

    assertThat(second.results()).isEqualTo(first.results());
    assertThat(second.results().get(0).encode()).isEqualTo(first.results().get(0).encode());
    assertThat(second.tokens()).isEqualTo(first.tokens());
  }

  @Test
  void reportsAnEstimatedTokenCountWithoutThinking() {
    LeadScoringReply reply = score(RUBRIC, new LeadInput("r1", profile("Founder", "About me.")));
    assertThat(reply.tokens().prompt()).isPositive();
    assertThat(reply.tokens().output()).isPositive();
    assertThat(reply.tokens().thinking()).isZero();

    LeadScoringReply bigger = score(RUBRIC, new LeadInput("r1", profile("Founder", "About me.")),
        new LeadInput("r2", profile("Founder", "About me.")));
    assertThat(bigger.tokens().prompt()).isGreaterThan(reply.tokens().prompt());
    assertThat(bigger.tokens().output()).isGreaterThan(reply.tokens().output());
  }

  @Test
  void noLeadsMeansNoResultsAndNoTokens() {
    LeadScoringReply reply = score(RUBRIC);
    assertThat(reply.results()).isEmpty();
    assertThat(reply.tokens()).isEqualTo(TokenUsage.NONE);
  }
}
