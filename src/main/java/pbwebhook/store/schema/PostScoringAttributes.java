package pbwebhook.store.schema;

/** The per-client {@code Post Scoring Attributes} table. Note the capital D of {@code Attribute ID}. */
public final class PostScoringAttributes {
  private PostScoringAttributes() {}

  public static final String TABLE = "Post Scoring Attributes";
  public static final String ATTRIBUTE_ID = "Attribute ID";
  public static final String CRITERION_NAME = "Criterion Name";
  public static final String CATEGORY = "Category";
  public static final String SCORING_TYPE = "Scoring Type";
  public static final String MAX_SCORE = "Max Score / Point Value";
  public static final String INSTRUCTIONS = "Detailed Instructions for AI (Scoring Rubric)";
  public static final String POSITIVE_KEYWORDS = "Keywords/Positive Indicators";
  public static final String NEGATIVE_KEYWORDS = "Keywords/Negative Indicators";
  public static final String EXAMPLE_HIGH = "Example - High Score / Applies";
  public static final String EXAMPLE_LOW = "Example - Low Score / Does Not Apply";

  public static final String CATEGORY_POSITIVE = "Positive Scoring Factor";
  public static final String CATEGORY_NEGATIVE = "Negative Scoring Factor";
}
