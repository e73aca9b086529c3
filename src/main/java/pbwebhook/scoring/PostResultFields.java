package pbwebhook.scoring;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import pbwebhook.store.schema.Leads;

/** The lead fields a post-scoring outcome writes (system.md §5 steps 4, 9 and 10, with the decisions). */
public final class PostResultFields {

  public static final String ERROR_PREFIX = "ERROR during AI post scoring: ";
  private static final DateTimeFormatter MINUTES = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private PostResultFields() {}

  /** Step 9: the top score, the whole evaluation as pretty JSON, the date and the top post's summary. */
  public static JsonObject scored(List<JsonObject> evaluated, JsonObject top, Instant now, ZoneId zone) {
    return new JsonObject()
        .put(Leads.POSTS_RELEVANCE_SCORE, top.getValue("post_score"))
        .put(Leads.POSTS_AI_EVALUATION, new JsonArray(List.copyOf(evaluated)).encodePrettily())
        .put(Leads.DATE_POSTS_SCORED, now.toString())
        .put(Leads.TOP_SCORING_POST, topScoringPost(top, zone));
  }

  /** Step 4, also for a lead without original posts, so it is not picked up again every run. */
  public static JsonObject noRelevantPosts(int originals, List<String> edgeCases, Instant now) {
    StringBuilder text = new StringBuilder("Scanned ").append(originals)
        .append(" original posts. No relevant AI keywords detected.");
    edgeCases.forEach(e -> text.append('\n').append(e));
    return new JsonObject()
        .put(Leads.POSTS_RELEVANCE_SCORE, 0)
        .put(Leads.POSTS_AI_EVALUATION, text.toString())
        .put(Leads.DATE_POSTS_SCORED, now.toString());
  }

  /** Step 10: the error is recorded with the date, so a broken lead does not cost a call on every run. */
  public static JsonObject error(String message, Instant now) {
    return new JsonObject()
        .put(Leads.POSTS_AI_EVALUATION, ERROR_PREFIX + message)
        .put(Leads.DATE_POSTS_SCORED, now.toString());
  }

  /**
   * {@code Date: <d>\nURL: <url>\nScore: <s>\nContent: <text>\nRationale: <r|N/A>}; the date in the client's
   * zone, labelled with that zone's id (the old server printed UTC and called it AEST).
   */
  public static String topScoringPost(JsonObject top, ZoneId zone) {
    String rationale = top.getString("scoring_rationale");
    return "Date: " + postDate(top.getValue("postDate"), zone)
        + "\nURL: " + top.getString("post_url", "")
        + "\nScore: " + top.getValue("post_score")
        + "\nContent: " + (top.getValue("post_content") == null ? "" : top.getValue("post_content"))
        + "\nRationale: " + (rationale == null || rationale.isBlank() ? "N/A" : rationale);
  }

  static String postDate(Object value, ZoneId zone) {
    String raw = value == null ? "" : String.valueOf(value).trim();
    if (raw.isEmpty()) return "N/A";
    try {
      return OffsetDateTime.parse(raw).atZoneSameInstant(zone).format(MINUTES) + " " + zone.getId();
    } catch (DateTimeParseException e) {
      // Not an ISO timestamp: show it as the old server did, without claiming a zone.
      String s = raw.replace('T', ' ');
      return s.length() > 16 ? s.substring(0, 16) : s;
    }
  }
}
