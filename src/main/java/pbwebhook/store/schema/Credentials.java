package pbwebhook.store.schema;

/** The per-client {@code Credentials} table; the first row is the one read. */
public final class Credentials {
  private Credentials() {}

  public static final String TABLE = "Credentials";
  public static final String POST_SCORING_AI_KEYWORDS = "Post Scoring AI Keywords";
  public static final String PB_MESSAGE_SENDER_ID = "PB Message Sender ID";
  public static final String PHANTOM_API_KEY = "Phantom API Key";
  public static final String LINKEDIN_COOKIE = "LinkedIn Cookie";
  public static final String USER_AGENT = "User-Agent";
  public static final String RECORD_ID_FOR_CHAT = "Record ID for Chat";
  public static final String GPT_VISIBLE_FIELDS = "GPT Visible Fields";
}
