package pbwebhook.scoring;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import pbwebhook.store.schema.Leads;

/** The Leads fields written for each scoring outcome (system.md §4.6 step 5, §1 /score-lead). */
public final class LeadResultFields {
  private LeadResultFields() {}

  public static JsonObject scored(LeadScore score, String breakdown, String status, Instant now) {
    return new JsonObject()
        .put(Leads.SCORING_STATUS, status)
        .put(Leads.DATE_SCORED, dateScored(now))
        .put(Leads.AI_SCORE, score.percentage())
        .put(Leads.AI_PROFILE_ASSESSMENT, score.assessment() == null || score.assessment().isBlank() ? "N/A" : score.assessment())
        .put(Leads.AI_ATTRIBUTE_BREAKDOWN, breakdown)
        .put(Leads.AI_EXCLUDED, score.aiExcluded())
        .put(Leads.EXCLUDE_DETAILS, score.excludeDetails() == null ? "" : score.excludeDetails());
  }

  /** Skipped leads get a zero score, the reason as status, and blank text fields. */
  public static JsonObject skipped(String status, Instant now) {
    return new JsonObject()
        .put(Leads.SCORING_STATUS, status)
        .put(Leads.DATE_SCORED, dateScored(now))
        .put(Leads.AI_SCORE, 0)
        .put(Leads.AI_PROFILE_ASSESSMENT, "")
        .put(Leads.AI_ATTRIBUTE_BREAKDOWN, "")
        .put(Leads.EXCLUDE_DETAILS, "");
  }

  public static JsonObject failed(String status) {
    return new JsonObject().put(Leads.SCORING_STATUS, status);
  }

  public static JsonObject logicError(String message) {
    return new JsonObject()
        .put(Leads.SCORING_STATUS, Leads.FAILED_SCORING_LOGIC)
        .put(Leads.AI_PROFILE_ASSESSMENT, "Scoring Error: " + message);
  }

  /** {@code YYYY-MM-DD}, UTC. */
  public static String dateScored(Instant now) {
    return now.atZone(ZoneOffset.UTC).toLocalDate().toString();
  }
}
