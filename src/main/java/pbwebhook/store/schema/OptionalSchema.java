package pbwebhook.store.schema;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tables and fields a base may lack. Only the old server's own schema (system.md §2) is required; every
 * table or field this server adds beyond it is optional: a base without it keeps working, writes go ahead
 * without it, and the client's health check names what is missing ({@link OptionalFieldsStore}).
 *
 * <p>{@code Posts JSON Status} appears in §2 as "added the same day", but the bases of the server we replace
 * do not have it, so it counts as an addition.
 */
public final class OptionalSchema {
  private OptionalSchema() {}

  /** Every field of every §2 table, per table (the renamable lead attributes table under its default name). */
  static final Map<String, Set<String>> OLD = Map.of(
      Clients.TABLE, Set.of(Clients.CLIENT_ID, Clients.CLIENT_NAME, Clients.STATUS, Clients.AIRTABLE_BASE_ID,
          Clients.EXECUTION_LOG),
      Leads.TABLE, Set.of(Leads.LINKEDIN_PROFILE_URL, Leads.PROFILE_KEY, Leads.FIRST_NAME, Leads.LAST_NAME,
          Leads.HEADLINE, Leads.JOB_TITLE, Leads.COMPANY_NAME, Leads.ABOUT, Leads.JOB_HISTORY, Leads.LOCATION,
          Leads.EMAIL, Leads.PHONE, Leads.VIEW_IN_SALES_NAVIGATOR, Leads.LINKEDIN_CONNECTION_STATUS, Leads.STATUS,
          Leads.SOURCE, Leads.DATE_CONNECTED, Leads.REFRESHED_AT, Leads.PROFILE_FULL_JSON, Leads.RAW_PROFILE_DATA,
          Leads.AI_SCORE, Leads.AI_PROFILE_ASSESSMENT, Leads.AI_ATTRIBUTE_BREAKDOWN, Leads.SCORING_STATUS,
          Leads.DATE_SCORED, Leads.AI_EXCLUDED, Leads.EXCLUDE_DETAILS, "AU", Leads.POSTS_CONTENT,
          Leads.TIME_POSTS_ADDED, Leads.POSTS_RELEVANCE_SCORE, Leads.POSTS_AI_EVALUATION, Leads.TOP_SCORING_POST,
          Leads.DATE_POSTS_SCORED, "Posts Plain Text", Leads.NOTES, "Message To Be Sent", "Send At", "PB Run ID",
          "PB Error Message", "Time PB Message Sent", "Message Status"),
      ScoringAttributes.TABLE, Set.of(ScoringAttributes.ATTRIBUTE_ID, ScoringAttributes.CATEGORY,
          ScoringAttributes.HEADING, ScoringAttributes.INSTRUCTIONS, ScoringAttributes.EXAMPLES,
          ScoringAttributes.SIGNALS, ScoringAttributes.MAX_POINTS, ScoringAttributes.PENALTY,
          ScoringAttributes.MIN_TO_QUALIFY, ScoringAttributes.DISQUALIFYING),
      PostScoringAttributes.TABLE, Set.of(PostScoringAttributes.ATTRIBUTE_ID, PostScoringAttributes.CRITERION_NAME,
          PostScoringAttributes.CATEGORY, PostScoringAttributes.SCORING_TYPE, PostScoringAttributes.MAX_SCORE,
          PostScoringAttributes.INSTRUCTIONS, PostScoringAttributes.POSITIVE_KEYWORDS,
          PostScoringAttributes.NEGATIVE_KEYWORDS, PostScoringAttributes.EXAMPLE_HIGH, PostScoringAttributes.EXAMPLE_LOW),
      PostScoringInstructions.TABLE, Set.of(PostScoringInstructions.COMPONENT_ID,
          PostScoringInstructions.COMPONENT_NAME, PostScoringInstructions.INSTRUCTION_TEXT,
          PostScoringInstructions.SORT_ORDER),
      Credentials.TABLE, Set.of(Credentials.POST_SCORING_AI_KEYWORDS, Credentials.PB_MESSAGE_SENDER_ID,
          Credentials.PHANTOM_API_KEY, Credentials.LINKEDIN_COOKIE, Credentials.USER_AGENT,
          Credentials.RECORD_ID_FOR_CHAT, Credentials.GPT_VISIBLE_FIELDS));

  /** Fields this server writes to §2 tables that the old bases lack, per table. */
  public static final Map<String, List<String>> ADDED_FIELDS = Map.of(Leads.TABLE, List.of(Leads.POSTS_JSON_STATUS));

  /** Tables this server adds (the Execution Summary lives in the master base); all their fields are optional. */
  public static final List<String> ADDED_TABLES = List.of(ExecutionSummary.TABLE);

  public static boolean optionalTable(String table) {
    return ADDED_TABLES.contains(table);
  }

  /**
   * True when a base may lack {@code field} of {@code table}: the table is an addition, or it is a §2 table and the
   * field is not one of the old server's. A field of a table this class does not know (a renamed attributes table)
   * is required, so a misconfigured base is reported rather than silently worked around.
   */
  public static boolean optionalField(String table, String field) {
    if (optionalTable(table)) return true;
    Set<String> old = OLD.get(table);
    return old != null && !old.contains(field);
  }
}
