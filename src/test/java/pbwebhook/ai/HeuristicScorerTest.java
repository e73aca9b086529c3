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
  private static final String INTRO = "This assessment was produced by the offline heuristic scorer (no AI model was "
      + "used): it matched the rubric's keywords, taken from each attribute's signals, examples and instructions, "
      + "against the headline, about section and job history. ";
  private static final String CAVEAT = " Keyword matches cannot judge context, tone or how recent a role is, so treat "
      + "these scores as a first pass and read the profile before any outreach.";
  private static final String NO_INVITATION = "The profile does not explicitly invite contact.";

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

    // Headline and job titles weigh 2 (full points), any other place 1 (half the points, rounded up).
    assertThat(r.getJsonObject("positive_scores"))
        .isEqualTo(new JsonObject().put("A", 5).put("B", 5).put("E", 2).put("I", 0).put("K", 2));
    assertThat(r.getJsonObject("negative_scores")).isEqualTo(new JsonObject().put("L1", 0).put("N1", 0).put("N4", 0));
    assertThat(r.getJsonObject("attribute_reasoning").getString("A"))
        .isEqualTo("Found \"founder\" in headline, job 1 title.");
    assertThat(r.getJsonObject("attribute_reasoning").getString("B")).isEqualTo("Found \"ceo\" in headline.");
    assertThat(r.getJsonObject("attribute_reasoning").getString("E")).isEqualTo("Found \"raised seed\" in about.");
    assertThat(r.getJsonObject("attribute_reasoning").getString("K")).isEqualTo("Found \"automation\" in about.");
    assertThat(r.getString("ai_excluded")).isEqualTo("No");
    assertThat(r.getString("exclude_details")).isEmpty();
    assertThat(r.getString("aiProfileAssessment")).isEqualTo(INTRO + "Strongest evidence: A Founder (5/5, \"founder\" in "
        + "headline); B C-Suite / Director (5/5, \"ceo\" in headline); E Raised funding (2/4, \"raised seed\" in about). "
        + NO_INVITATION + CAVEAT);
  }

  @Test
  void recruiterGetsTheDisqualifyingPenaltyAndIsExcluded() {
    JsonObject r = scoreOne(profile("Senior Technical Recruiter | Talent Acquisition", "I place engineers.",
        job("Recruiter", "TalentCo", "Agency recruitment.")));

    assertThat(r.getJsonObject("positive_scores"))
        .isEqualTo(new JsonObject().put("A", 0).put("B", 0).put("E", 0).put("I", 0).put("K", 0));
    assertThat(r.getJsonObject("negative_scores")).isEqualTo(new JsonObject().put("L1", -5).put("N1", 0).put("N4", 0));
    assertThat(r.getJsonObject("attribute_reasoning").getString("L1"))
        .isEqualTo("Found \"recruiter\" in headline, job 1 title; \"talent acquisition\" in headline.");
    assertThat(r.getString("ai_excluded")).isEqualTo("Yes");
    assertThat(r.getString("exclude_details")).isEqualTo("L1 Recruiter: \"recruiter\" in headline");
    assertThat(r.getString("aiProfileAssessment")).isEqualTo(INTRO + "No positive attribute found supporting evidence "
        + "in the profile text. Penalty L1 Recruiter (-5) for \"recruiter\" in headline. The lead is excluded by a "
        + "disqualifying attribute: L1 Recruiter. " + NO_INVITATION + CAVEAT);
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

    assertThat(r.getJsonObject("positive_scores"))
        .isEqualTo(new JsonObject().put("A", 0).put("B", 0).put("E", 0).put("I", 0).put("K", 0));
    assertThat(r.getJsonObject("negative_scores")).isEqualTo(new JsonObject().put("L1", 0).put("N1", 0).put("N4", 0));
    assertThat(r.getJsonObject("attribute_reasoning").getMap().values()).hasSize(8)
        .containsOnly(HeuristicScorer.NO_EVIDENCE);
    assertThat(r.getBoolean("contact_readiness")).isFalse();
    assertThat(r.getString("ai_excluded")).isEqualTo("No");
    assertThat(r.getString("aiProfileAssessment")).isEqualTo(INTRO + "The profile has no headline, about section or job "
        + "history, so no attribute could earn points. " + NO_INVITATION + CAVEAT);
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
    assertThat(r.getJsonObject("attribute_reasoning").getString("B")).isEqualTo("Found \"managing director\" in headline.");
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
  void everyResultCarriesItsLeadIdTheOfflineNoticeAndItsExactScores() {
    List<LeadInput> leads = List.of(
        new LeadInput("recA", profile("Founder & CEO, venture-backed", "Reach out any time. We use AI daily.",
            job("Founder", "Example", "Raised seed and Series A."))),
        new LeadInput("recB", profile("Recruiter, open to work", "Headhunter and talent acquisition lead.")),
        new LeadInput("recC", new JsonObject()),
        new LeadInput("recD", null));
    LeadScoringReply reply = score(RUBRIC, leads.toArray(LeadInput[]::new));

    assertThat(reply.results()).extracting(r -> r.getString("id")).containsExactly("recA", "recB", "recC", "recD");
    JsonObject noPositives = new JsonObject().put("A", 0).put("B", 0).put("E", 0).put("I", 0).put("K", 0);
    JsonObject noPenalties = new JsonObject().put("L1", 0).put("N1", 0).put("N4", 0);
    // recA: venture-backed in the headline (2) and two terms in one job description (1) make E full; "reach out"
    // and "AI" only in the about section give I and K half their points.
    assertThat(reply.results()).extracting(r -> r.getJsonObject("positive_scores")).containsExactly(
        new JsonObject().put("A", 5).put("B", 5).put("E", 4).put("I", 2).put("K", 2), noPositives, noPositives,
        noPositives);
    assertThat(reply.results()).extracting(r -> r.getJsonObject("negative_scores")).containsExactly(
        noPenalties, new JsonObject().put("L1", -5).put("N1", -3).put("N4", 0), noPenalties, noPenalties);
    assertThat(reply.results()).extracting(r -> r.getBoolean("contact_readiness"))
        .containsExactly(true, false, false, false);
    assertThat(reply.results()).extracting(r -> r.getString("ai_excluded")).containsExactly("No", "Yes", "No", "No");
    String empty = INTRO + "The profile has no headline, about section or job history, so no attribute could earn "
        + "points. " + NO_INVITATION + CAVEAT;
    assertThat(reply.results()).extracting(r -> r.getString("aiProfileAssessment")).containsExactly(
        INTRO + "Strongest evidence: A Founder (5/5, \"founder\" in headline); B C-Suite / Director (5/5, \"ceo\" in "
            + "headline); E Raised funding (4/4, \"raised seed\" in job 1 description). The profile explicitly invites "
            + "people to get in touch." + CAVEAT,
        INTRO + "No positive attribute found supporting evidence in the profile text. Penalty L1 Recruiter (-5) for "
            + "\"recruiter\" in headline. Penalty N1 Job-seeker (-3) for \"open to work\" in headline. The lead is "
            + "excluded by a disqualifying attribute: L1 Recruiter. " + NO_INVITATION + CAVEAT,
        empty, empty);
    // Within the 50–150 words asked of the model (system.md §4.3).
    assertThat(reply.results()).extracting(r -> HeuristicScorer.wordCount(r.getString("aiProfileAssessment")))
        .containsExactly(97, 107, 85, 85);
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
    // Prompt: a quarter of the rubric's text (preamble 29 + attributes 622 characters) plus each profile's JSON
    // (100 characters), rounded up. Output: a quarter of the replies' JSON, rounded up.
    LeadScoringReply reply = score(RUBRIC, new LeadInput("r1", profile("Founder", "About me.")));
    assertThat(reply.tokens()).isEqualTo(new TokenUsage(188, 272, 0));
    assertThat(reply.tokens().output()).isEqualTo((reply.results().get(0).encode().length() + 3) / 4);

    LeadScoringReply bigger = score(RUBRIC, new LeadInput("r1", profile("Founder", "About me.")),
        new LeadInput("r2", profile("Founder", "About me.")));
    assertThat(bigger.tokens()).isEqualTo(new TokenUsage(213, 543, 0));
  }

  @Test
  void noLeadsMeansNoResultsAndNoTokens() {
    LeadScoringReply reply = score(RUBRIC);
    assertThat(reply.results()).isEmpty();
    assertThat(reply.tokens()).isEqualTo(TokenUsage.NONE);
  }
}
