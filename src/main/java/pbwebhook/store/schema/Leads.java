package pbwebhook.store.schema;

/** The per-client {@code Leads} table: its name, its fields and its status strings (system.md §2). */
public final class Leads {
  private Leads() {}

  public static final String TABLE = "Leads";

  public static final String LINKEDIN_PROFILE_URL = "LinkedIn Profile URL";
  public static final String PROFILE_KEY = "Profile Key";
  public static final String FIRST_NAME = "First Name";
  public static final String LAST_NAME = "Last Name";
  public static final String HEADLINE = "Headline";
  public static final String JOB_TITLE = "Job Title";
  public static final String COMPANY_NAME = "Company Name";
  public static final String ABOUT = "About";
  public static final String JOB_HISTORY = "Job History";
  public static final String LOCATION = "Location";
  public static final String EMAIL = "Email";
  public static final String PHONE = "Phone";
  public static final String VIEW_IN_SALES_NAVIGATOR = "View In Sales Navigator";
  public static final String LINKEDIN_CONNECTION_STATUS = "LinkedIn Connection Status";
  public static final String STATUS = "Status";
  public static final String SOURCE = "Source";
  public static final String DATE_CONNECTED = "Date Connected";
  public static final String REFRESHED_AT = "Refreshed At";
  public static final String PROFILE_FULL_JSON = "Profile Full JSON";
  public static final String RAW_PROFILE_DATA = "Raw Profile Data";
  public static final String AI_SCORE = "AI Score";
  public static final String AI_PROFILE_ASSESSMENT = "AI Profile Assessment";
  public static final String AI_ATTRIBUTE_BREAKDOWN = "AI Attribute Breakdown";
  public static final String SCORING_STATUS = "Scoring Status";
  public static final String DATE_SCORED = "Date Scored";
  public static final String AI_EXCLUDED = "AI_Excluded";
  public static final String EXCLUDE_DETAILS = "Exclude Details";
  public static final String POSTS_CONTENT = "Posts Content";
  public static final String TIME_POSTS_ADDED = "Time Posts Added";
  public static final String POSTS_RELEVANCE_SCORE = "Posts Relevance Score";
  public static final String POSTS_AI_EVALUATION = "Posts AI Evaluation";
  public static final String TOP_SCORING_POST = "Top Scoring Post";
  public static final String DATE_POSTS_SCORED = "Date Posts Scored";
  public static final String POSTS_JSON_STATUS = "Posts JSON Status";
  public static final String NOTES = "Notes";

  /** Connection status values. */
  public static final String CONNECTION_CANDIDATE = "Candidate";
  public static final String CONNECTION_CONNECTED = "Connected";
  public static final String CONNECTION_PENDING = "Pending";

  public static final String STATUS_IN_PROCESS = "In Process";
  public static final String SOURCE_SALESNAV = "SalesNav + LH Scrape";
  public static final String SOURCE_EXISTING_CONNECTION = "Existing Connection Added by PB";

  /** Scoring Status values; the dash is an en dash (U+2013). */
  public static final String TO_BE_SCORED = "To Be Scored";
  public static final String SCORED = "Scored";
  public static final String SCORED_TEST = "Scored (Test)";
  public static final String SKIPPED_TOO_THIN = "Skipped \u2013 Profile Too Thin";
  public static final String SKIPPED_JSON_MISSING = "Skipped \u2013 Profile JSON missing";
  public static final String SKIPPED_JSON_TOO_SMALL = "Skipped \u2013 Profile JSON too small";
  public static final String FAILED_CLIENT_INIT = "Failed \u2013 Client Init Error";
  public static final String FAILED_API_ERROR = "Failed \u2013 API Error";
  public static final String FAILED_EMPTY_RESPONSE = "Failed \u2013 Empty AI Response";
  public static final String FAILED_PARSE_ERROR = "Failed \u2013 Parse Error";
  public static final String FAILED_MISSING_IN_BATCH = "Failed \u2013 Missing in AI Batch Response";
  public static final String FAILED_SCORING_LOGIC = "Failed \u2013 Scoring Logic Error";
  /** Added by this server: the AI's reply stopped at its output token limit before it reached the lead. */
  public static final String FAILED_REPLY_CUT_OFF = "Failed \u2013 AI Reply Cut Off";
}
