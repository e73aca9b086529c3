package pbwebhook.store.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every table and typed field a client base (and the master base) has when this server provisions it: the
 * required ones of {@link RequiredSchema} and the optional ones added since. The first field of each table
 * is its primary field. Types match what the server writes (numbers with their precision, checkboxes,
 * long text, dates).
 */
public final class BaseLayout {
  private BaseLayout() {}

  /** Field added by the tenant work: a client's monthly AI token budget; blank means unlimited. */
  public static final String MONTHLY_TOKEN_BUDGET = "Monthly Token Budget";

  public static Map<String, List<FieldSpec>> clientBase(String attributesTable) {
    Map<String, List<FieldSpec>> m = new LinkedHashMap<>();
    m.put(Leads.TABLE, List.of(
        FieldSpec.text(Leads.LINKEDIN_PROFILE_URL), FieldSpec.text(Leads.PROFILE_KEY),
        FieldSpec.text(Leads.FIRST_NAME), FieldSpec.text(Leads.LAST_NAME), FieldSpec.text(Leads.HEADLINE),
        FieldSpec.text(Leads.JOB_TITLE), FieldSpec.text(Leads.COMPANY_NAME), FieldSpec.longText(Leads.ABOUT),
        FieldSpec.longText(Leads.JOB_HISTORY), FieldSpec.text(Leads.LOCATION), FieldSpec.email(Leads.EMAIL),
        FieldSpec.phone(Leads.PHONE), FieldSpec.url(Leads.VIEW_IN_SALES_NAVIGATOR),
        FieldSpec.select(Leads.LINKEDIN_CONNECTION_STATUS, Leads.CONNECTION_CANDIDATE, Leads.CONNECTION_PENDING,
            Leads.CONNECTION_CONNECTED),
        FieldSpec.text(Leads.STATUS), FieldSpec.text(Leads.SOURCE), FieldSpec.dateTime(Leads.DATE_CONNECTED),
        FieldSpec.dateTime(Leads.REFRESHED_AT), FieldSpec.longText(Leads.PROFILE_FULL_JSON),
        FieldSpec.longText(Leads.RAW_PROFILE_DATA), FieldSpec.number(Leads.AI_SCORE, 2),
        FieldSpec.longText(Leads.AI_PROFILE_ASSESSMENT), FieldSpec.longText(Leads.AI_ATTRIBUTE_BREAKDOWN),
        FieldSpec.select(Leads.SCORING_STATUS, Leads.TO_BE_SCORED, Leads.SCORED),
        FieldSpec.date(Leads.DATE_SCORED), FieldSpec.checkbox(Leads.AI_EXCLUDED),
        FieldSpec.longText(Leads.EXCLUDE_DETAILS), FieldSpec.longText(Leads.POSTS_CONTENT),
        FieldSpec.dateTime(Leads.TIME_POSTS_ADDED), FieldSpec.number(Leads.POSTS_RELEVANCE_SCORE, 0),
        FieldSpec.longText(Leads.POSTS_AI_EVALUATION), FieldSpec.longText(Leads.TOP_SCORING_POST),
        FieldSpec.dateTime(Leads.DATE_POSTS_SCORED), FieldSpec.text(Leads.POSTS_JSON_STATUS),
        FieldSpec.longText(Leads.NOTES)));
    m.put(attributesTable, List.of(
        FieldSpec.text(ScoringAttributes.ATTRIBUTE_ID),
        FieldSpec.select(ScoringAttributes.CATEGORY, ScoringAttributes.CATEGORY_POSITIVE,
            ScoringAttributes.CATEGORY_NEGATIVE, ScoringAttributes.CATEGORY_META),
        FieldSpec.text(ScoringAttributes.HEADING), FieldSpec.longText(ScoringAttributes.INSTRUCTIONS),
        FieldSpec.longText(ScoringAttributes.EXAMPLES), FieldSpec.longText(ScoringAttributes.SIGNALS),
        FieldSpec.number(ScoringAttributes.MAX_POINTS, 0), FieldSpec.number(ScoringAttributes.PENALTY, 0),
        FieldSpec.number(ScoringAttributes.MIN_TO_QUALIFY, 0), FieldSpec.checkbox(ScoringAttributes.DISQUALIFYING)));
    m.put(PostScoringAttributes.TABLE, List.of(
        FieldSpec.text(PostScoringAttributes.ATTRIBUTE_ID), FieldSpec.text(PostScoringAttributes.CRITERION_NAME),
        FieldSpec.select(PostScoringAttributes.CATEGORY, PostScoringAttributes.CATEGORY_POSITIVE,
            PostScoringAttributes.CATEGORY_NEGATIVE),
        FieldSpec.text(PostScoringAttributes.SCORING_TYPE), FieldSpec.number(PostScoringAttributes.MAX_SCORE, 0),
        FieldSpec.longText(PostScoringAttributes.INSTRUCTIONS), FieldSpec.longText(PostScoringAttributes.POSITIVE_KEYWORDS),
        FieldSpec.longText(PostScoringAttributes.NEGATIVE_KEYWORDS), FieldSpec.longText(PostScoringAttributes.EXAMPLE_HIGH),
        FieldSpec.longText(PostScoringAttributes.EXAMPLE_LOW)));
    m.put(PostScoringInstructions.TABLE, List.of(
        FieldSpec.text(PostScoringInstructions.COMPONENT_ID), FieldSpec.text(PostScoringInstructions.COMPONENT_NAME),
        FieldSpec.longText(PostScoringInstructions.INSTRUCTION_TEXT),
        FieldSpec.number(PostScoringInstructions.SORT_ORDER, 0)));
    m.put(Credentials.TABLE, List.of(
        FieldSpec.longText(Credentials.POST_SCORING_AI_KEYWORDS), FieldSpec.text(Credentials.PB_MESSAGE_SENDER_ID),
        FieldSpec.text(Credentials.PHANTOM_API_KEY), FieldSpec.longText(Credentials.LINKEDIN_COOKIE),
        FieldSpec.text(Credentials.USER_AGENT), FieldSpec.text(Credentials.RECORD_ID_FOR_CHAT),
        FieldSpec.longText(Credentials.GPT_VISIBLE_FIELDS)));
    return m;
  }

  public static Map<String, List<FieldSpec>> masterBase() {
    Map<String, List<FieldSpec>> m = new LinkedHashMap<>();
    m.put(Clients.TABLE, List.of(
        FieldSpec.text(Clients.CLIENT_ID), FieldSpec.text(Clients.CLIENT_NAME),
        FieldSpec.select(Clients.STATUS, Clients.STATUS_ACTIVE, Clients.STATUS_PAUSED),
        FieldSpec.text(Clients.AIRTABLE_BASE_ID), FieldSpec.longText(Clients.EXECUTION_LOG),
        FieldSpec.number(MONTHLY_TOKEN_BUDGET, 0)));
    m.put(ExecutionSummary.TABLE, List.of(
        FieldSpec.text(ExecutionSummary.EXECUTION_ID), FieldSpec.date(ExecutionSummary.DATE),
        FieldSpec.text(ExecutionSummary.TIME), FieldSpec.text(ExecutionSummary.CLIENT_ID),
        FieldSpec.text(ExecutionSummary.CLIENT_NAME), FieldSpec.text(ExecutionSummary.PROCESS_TYPE),
        FieldSpec.text(ExecutionSummary.STATUS), FieldSpec.number(ExecutionSummary.LEADS_PROCESSED, 0),
        FieldSpec.number(ExecutionSummary.LEADS_SUCCESSFUL, 0), FieldSpec.number(ExecutionSummary.LEADS_FAILED, 0),
        FieldSpec.number(ExecutionSummary.SUCCESS_RATE, 2), FieldSpec.text(ExecutionSummary.DURATION),
        FieldSpec.number(ExecutionSummary.TOKENS_USED, 0), FieldSpec.number(ExecutionSummary.ERROR_COUNT, 0),
        FieldSpec.number(ExecutionSummary.PERFORMANCE_SCORE, 2)));
    return m;
  }

  /** The master base's required tables and fields (system.md §2); the rest of {@link #masterBase()} is optional. */
  public static Map<String, List<String>> masterRequired() {
    return Map.of(Clients.TABLE, List.of(Clients.CLIENT_ID, Clients.CLIENT_NAME, Clients.STATUS,
        Clients.AIRTABLE_BASE_ID, Clients.EXECUTION_LOG));
  }

  /** Names of the layout's fields, per table. */
  public static Map<String, List<String>> names(Map<String, List<FieldSpec>> layout) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    layout.forEach((t, fs) -> out.put(t, fs.stream().map(FieldSpec::name).toList()));
    return out;
  }

  /** What the layout has that {@code actual} lacks: whole tables, and fields of the tables that exist. */
  public record Missing(List<String> tables, Map<String, List<FieldSpec>> fields) {
    public boolean none() { return tables.isEmpty() && fields.isEmpty(); }
  }

  public static Missing missing(Map<String, List<FieldSpec>> layout, Map<String, Set<String>> actual) {
    RequiredSchema.Gaps gaps = RequiredSchema.compare(names(layout), actual);
    Map<String, List<FieldSpec>> fields = new LinkedHashMap<>();
    // In the layout's order, so a repair creates fields in the order they are listed.
    gaps.missingFields().forEach((table, lacking) -> fields.put(table,
        layout.get(table).stream().filter(f -> lacking.contains(f.name())).toList()));
    return new Missing(gaps.missingTables(), fields);
  }

}
