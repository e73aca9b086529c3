package pbwebhook.store.schema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tables and fields of system.md §2 that a client base must have for the server to work on it, and
 * a comparison against what a base actually has.
 */
public final class RequiredSchema {
  private RequiredSchema() {}

  public static Map<String, List<String>> clientBase(String attributesTable) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put(Leads.TABLE, List.of(Leads.LINKEDIN_PROFILE_URL, Leads.FIRST_NAME, Leads.LAST_NAME, Leads.HEADLINE,
        Leads.JOB_TITLE, Leads.COMPANY_NAME, Leads.ABOUT, Leads.JOB_HISTORY, Leads.LOCATION, Leads.EMAIL, Leads.PHONE,
        Leads.VIEW_IN_SALES_NAVIGATOR, Leads.LINKEDIN_CONNECTION_STATUS, Leads.STATUS, Leads.SOURCE,
        Leads.DATE_CONNECTED, Leads.REFRESHED_AT, Leads.PROFILE_FULL_JSON, Leads.RAW_PROFILE_DATA, Leads.AI_SCORE,
        Leads.AI_PROFILE_ASSESSMENT, Leads.AI_ATTRIBUTE_BREAKDOWN, Leads.SCORING_STATUS, Leads.DATE_SCORED,
        Leads.AI_EXCLUDED, Leads.EXCLUDE_DETAILS, Leads.POSTS_CONTENT, Leads.TIME_POSTS_ADDED,
        Leads.POSTS_RELEVANCE_SCORE, Leads.POSTS_AI_EVALUATION, Leads.TOP_SCORING_POST, Leads.DATE_POSTS_SCORED,
        Leads.NOTES));
    m.put(attributesTable, List.of(ScoringAttributes.ATTRIBUTE_ID, ScoringAttributes.CATEGORY, ScoringAttributes.HEADING,
        ScoringAttributes.INSTRUCTIONS, ScoringAttributes.MAX_POINTS, ScoringAttributes.PENALTY));
    m.put(PostScoringAttributes.TABLE, List.of(PostScoringAttributes.ATTRIBUTE_ID, PostScoringAttributes.CRITERION_NAME,
        PostScoringAttributes.CATEGORY));
    m.put(PostScoringInstructions.TABLE, List.of(PostScoringInstructions.INSTRUCTION_TEXT,
        PostScoringInstructions.SORT_ORDER));
    m.put(Credentials.TABLE, List.of(Credentials.POST_SCORING_AI_KEYWORDS));
    return m;
  }

  /** Required tables absent from {@code actual}, and per present table the required fields it lacks. */
  public record Gaps(List<String> missingTables, Map<String, List<String>> missingFields) {
    public boolean complete() { return missingTables.isEmpty() && missingFields.isEmpty(); }
  }

  public static Gaps compare(Map<String, List<String>> required, Map<String, Set<String>> actual) {
    List<String> missingTables = new java.util.ArrayList<>();
    Map<String, List<String>> missingFields = new LinkedHashMap<>();
    required.forEach((table, fields) -> {
      Set<String> have = actual.get(table);
      if (have == null) {
        missingTables.add(table);
        return;
      }
      Set<String> lacking = new TreeSet<>();
      for (String f : fields) if (!have.contains(f)) lacking.add(f);
      if (!lacking.isEmpty()) missingFields.put(table, List.copyOf(lacking));
    });
    return new Gaps(List.copyOf(missingTables), missingFields);
  }
}
