package pbwebhook.ai;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The offline scorer used when no AI key is configured: it looks for each attribute's keywords (from
 * its signals, examples and instructions) in the lead's headline, about and jobs, and answers in the
 * system.md §4.3 shape. Pure and deterministic: the same rubric and leads always give the same reply,
 * and every assessment says it came from the offline heuristic scorer, so nobody mistakes it for AI.
 */
public final class HeuristicScorer implements AiScorer {

  static final String NO_EVIDENCE = "No evidence found for this attribute.";

  /** Evidence weight at which a positive earns its full points: a headline/title hit, or hits in two places. */
  private static final int STRONG_EVIDENCE = 2;
  private static final int MAX_TERMS_IN_REASON = 4;
  private static final int MAX_PLACES_PER_TERM = 3;
  private static final int MAX_STRONGEST_IN_ASSESSMENT = 3;
  private static final int MAX_ASSESSMENT_WORDS = 150;

  private static final String ASSESSMENT_INTRO = "This assessment was produced by the offline heuristic scorer "
      + "(no AI model was used): it matched the rubric's keywords, taken from each attribute's signals, examples "
      + "and instructions, against the headline, about section and job history.";
  private static final String ASSESSMENT_CAVEAT = "Keyword matches cannot judge context, tone or how recent "
      + "a role is, so treat these scores as a first pass and read the profile before any outreach.";

  /** Phrases by which a profile invites contact; "open to work" is deliberately absent (job-seeking). */
  private static final Pattern CONTACT_INVITATION = Pattern.compile(
      "(?<![\\p{L}\\p{N}])(open to (connect|connecting|conversations?|chat|chatting|collaborat\\w*|partnerships?"
          + "|new connections|ideas)|reach out|get in touch|dm me|message me|contact me|email me|inbox me"
          + "|let['’]?s (connect|chat|talk)|happy to (chat|connect|help|talk)|book a (call|chat|meeting)"
          + "|drop me a (line|message|note)|feel free to (reach|connect|message|contact))(?![\\p{L}\\p{N}])",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  public HeuristicScorer() {}

  @Override
  public String describe() {
    return "heuristic (offline)";
  }

  @Override
  public Future<LeadScoringReply> scoreLeads(Rubric rubric, List<LeadInput> leads) {
    try {
      if (leads.isEmpty()) return Future.succeededFuture(new LeadScoringReply(List.of(), TokenUsage.NONE));
      List<AttributeTerms> positives = rubric.positives().stream().map(AttributeTerms::of).toList();
      List<AttributeTerms> negatives = rubric.negatives().stream().map(AttributeTerms::of).toList();
      List<JsonObject> results = new ArrayList<>(leads.size());
      for (LeadInput lead : leads) results.add(score(lead, positives, negatives));
      return Future.succeededFuture(new LeadScoringReply(results, estimateTokens(rubric, leads, results)));
    } catch (RuntimeException e) {
      return Future.failedFuture(new AiException(AiException.Kind.API_ERROR,
          "Heuristic scorer failed: " + e.getMessage(), e));
    }
  }

  @Override
  public Future<PostScoringReply> scorePosts(String systemInstruction, JsonObject leadPosts) {
    try {
      return Future.succeededFuture(HeuristicPostScorer.score(systemInstruction, leadPosts));
    } catch (RuntimeException e) {
      return Future.failedFuture(new AiException(AiException.Kind.API_ERROR, "Heuristic post scorer failed: " + e.getMessage(), e));
    }
  }

  private JsonObject score(LeadInput lead, List<AttributeTerms> positives, List<AttributeTerms> negatives) {
    List<ProfileSection> sections = ProfileSection.of(lead.profile());
    List<ProfileSection> currentSections = sections.stream().filter(ProfileSection::current).toList();

    JsonObject positiveScores = new JsonObject();
    JsonObject negativeScores = new JsonObject();
    JsonObject reasoning = new JsonObject();
    JsonArray unscored = new JsonArray();
    List<Finding> scoredPositives = new ArrayList<>();
    List<Finding> firedNegatives = new ArrayList<>();

    for (AttributeTerms a : positives) {
      if (a.terms().isEmpty()) {
        unscored.add(a.attribute().id());
        continue;
      }
      Evidence evidence = Evidence.find(a.terms(), sections);
      int score = positiveScore(a.attribute().maxPoints(), evidence.weight());
      positiveScores.put(a.attribute().id(), score);
      reasoning.put(a.attribute().id(), evidence.isEmpty() ? NO_EVIDENCE : evidence.reason());
      if (score > 0) scoredPositives.add(new Finding(a.attribute(), score, evidence));
    }
    for (AttributeTerms a : negatives) {
      if (a.terms().isEmpty()) {
        unscored.add(a.attribute().id());
        continue;
      }
      Evidence evidence = Evidence.find(a.terms(), currentSections);
      int score = evidence.isEmpty() ? 0 : -Math.abs(a.attribute().penalty());
      negativeScores.put(a.attribute().id(), score);
      reasoning.put(a.attribute().id(), evidence.isEmpty() ? NO_EVIDENCE : evidence.reason());
      if (!evidence.isEmpty()) firedNegatives.add(new Finding(a.attribute(), score, evidence));
    }

    boolean contactReady = currentSections.stream()
        .filter(s -> s.place().equals("headline") || s.place().equals("about"))
        .anyMatch(s -> CONTACT_INVITATION.matcher(s.text()).find());
    List<Finding> disqualifiers = firedNegatives.stream().filter(f -> f.attribute().disqualifying()).toList();
    String excludeDetails = String.join("; ", disqualifiers.stream()
        .map(f -> f.attribute().id() + " " + f.attribute().label() + ": " + f.evidence().summary()).toList());

    return new JsonObject()
        .put("id", lead.id())
        .put("positive_scores", positiveScores)
        .put("negative_scores", negativeScores)
        .put("attribute_reasoning", reasoning)
        .put("contact_readiness", contactReady)
        .put("unscored_attributes", unscored)
        .put("aiProfileAssessment",
            assessment(sections.isEmpty(), scoredPositives, firedNegatives, disqualifiers, contactReady))
        .put("ai_excluded", disqualifiers.isEmpty() ? "No" : "Yes")
        .put("exclude_details", excludeDetails);
  }

  /** Strong evidence earns the full points, weaker evidence about half (at least 1), none 0. */
  static int positiveScore(int maxPoints, int evidenceWeight) {
    if (maxPoints <= 0 || evidenceWeight <= 0) return 0;
    if (evidenceWeight >= STRONG_EVIDENCE) return maxPoints;
    return (int) Math.max(1, Math.round(maxPoints / 2.0));
  }

  /**
   * 50–150 words: what the scorer is, the strongest evidence, penalties, exclusion and contact readiness.
   * Optional sentences are added in that order only while the text stays within the word limit.
   */
  private static String assessment(boolean emptyProfile, List<Finding> positives, List<Finding> negatives,
                                   List<Finding> disqualifiers, boolean contactReady) {
    List<String> optional = new ArrayList<>();
    if (emptyProfile) {
      optional.add("The profile has no headline, about section or job history, so no attribute could earn points.");
    } else if (positives.isEmpty()) {
      optional.add("No positive attribute found supporting evidence in the profile text.");
    } else {
      List<String> strongest = positives.stream()
          .sorted(Comparator.comparingInt((Finding f) -> -f.score()))
          .limit(MAX_STRONGEST_IN_ASSESSMENT)
          .map(f -> f.attribute().id() + " " + f.attribute().label() + " (" + f.score() + "/"
              + f.attribute().maxPoints() + ", " + f.evidence().summary() + ")")
          .toList();
      optional.add("Strongest evidence: " + String.join("; ", strongest) + ".");
    }
    for (Finding f : negatives) {
      optional.add("Penalty " + f.attribute().id() + " " + f.attribute().label() + " (" + f.score() + ") for "
          + f.evidence().summary() + ".");
    }
    if (!disqualifiers.isEmpty()) {
      optional.add("The lead is excluded by a disqualifying attribute: " + String.join(", ", disqualifiers.stream()
          .map(f -> f.attribute().id() + " " + f.attribute().label()).toList()) + ".");
    }
    optional.add(contactReady ? "The profile explicitly invites people to get in touch."
        : "The profile does not explicitly invite contact.");

    int words = wordCount(ASSESSMENT_INTRO) + wordCount(ASSESSMENT_CAVEAT);
    StringBuilder text = new StringBuilder(ASSESSMENT_INTRO);
    for (String sentence : optional) {
      int n = wordCount(sentence);
      if (words + n > MAX_ASSESSMENT_WORDS) continue;
      words += n;
      text.append(' ').append(sentence);
    }
    return text.append(' ').append(ASSESSMENT_CAVEAT).toString();
  }

  static int wordCount(String text) {
    String trimmed = text.trim();
    return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
  }

  /**
   * No model is called, so there are no real tokens. We report what an AI call of the same size would
   * roughly cost (about 4 characters a token: the rubric text plus the profiles as prompt, the replies as
   * output, no thinking) so run summaries show comparable, non-zero figures.
   */
  private static TokenUsage estimateTokens(Rubric rubric, List<LeadInput> leads, List<JsonObject> results) {
    long promptChars = length(rubric.preamble());
    for (ScoringAttribute a : rubric.positives()) promptChars += attributeChars(a);
    for (ScoringAttribute a : rubric.negatives()) promptChars += attributeChars(a);
    for (LeadInput lead : leads) promptChars += lead.profile() == null ? 2 : lead.profile().encode().length();
    long outputChars = 0;
    for (JsonObject result : results) outputChars += result.encode().length();
    return new TokenUsage(ceilQuarter(promptChars), ceilQuarter(outputChars), 0);
  }

  private static long attributeChars(ScoringAttribute a) {
    return a.id().length() + length(a.label()) + length(a.instructions()) + length(a.examples())
        + length(a.signals()) + 16;
  }

  private static long length(String s) {
    return s == null ? 0 : s.length();
  }

  private static long ceilQuarter(long chars) {
    return (chars + 3) / 4;
  }

  private record AttributeTerms(ScoringAttribute attribute, List<EvidenceTerm> terms) {
    static AttributeTerms of(ScoringAttribute attribute) {
      return new AttributeTerms(attribute, EvidenceTerm.of(attribute));
    }
  }

  private record Finding(ScoringAttribute attribute, int score, Evidence evidence) {}

  /** The places each matched term was found in, in term order then profile order. */
  private record Evidence(Map<String, List<ProfileSection>> hits) {

    static Evidence find(List<EvidenceTerm> terms, List<ProfileSection> sections) {
      Map<String, List<ProfileSection>> hits = new LinkedHashMap<>();
      for (EvidenceTerm term : terms) {
        for (ProfileSection section : sections) {
          if (term.foundIn(section.text())) hits.computeIfAbsent(term.term(), k -> new ArrayList<>()).add(section);
        }
      }
      return new Evidence(hits);
    }

    boolean isEmpty() {
      return hits.isEmpty();
    }

    /**
     * Each place with a hit counts once, however many terms matched there (so "co-founder" matching both
     * "founder" and "co-founder" is not double evidence); headline and job titles weigh 2 because there
     * the person describes themself, other places 1.
     */
    int weight() {
      return hits.values().stream().flatMap(List::stream).distinct().mapToInt(s -> s.prominent() ? 2 : 1).sum();
    }

    /** {@code Found "founder" in headline, job 1 title; "raised seed" in about.} */
    String reason() {
      List<String> parts = hits.entrySet().stream().limit(MAX_TERMS_IN_REASON).map(Evidence::quote).toList();
      String more = hits.size() > MAX_TERMS_IN_REASON
          ? " (and " + (hits.size() - MAX_TERMS_IN_REASON) + " more terms)" : "";
      return "Found " + String.join("; ", parts) + more + ".";
    }

    /** The first term and the first place it was found, for assessments and exclusion details. */
    String summary() {
      Map.Entry<String, List<ProfileSection>> first = hits.entrySet().iterator().next();
      return "\"" + first.getKey() + "\" in " + first.getValue().get(0).place();
    }

    private static String quote(Map.Entry<String, List<ProfileSection>> hit) {
      List<String> places = hit.getValue().stream().limit(MAX_PLACES_PER_TERM).map(ProfileSection::place).toList();
      return "\"" + hit.getKey() + "\" in " + String.join(", ", places);
    }
  }
}
