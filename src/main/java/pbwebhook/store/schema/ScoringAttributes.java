package pbwebhook.store.schema;

/** The per-client {@code Scoring Attributes} table (lead rubric). Note the lower-case d of {@code Attribute Id}. */
public final class ScoringAttributes {
  private ScoringAttributes() {}

  public static final String TABLE = "Scoring Attributes";
  public static final String ATTRIBUTE_ID = "Attribute Id";
  public static final String CATEGORY = "Category";
  public static final String HEADING = "Heading";
  public static final String INSTRUCTIONS = "Instructions";
  public static final String EXAMPLES = "Examples";
  public static final String SIGNALS = "Signals";
  public static final String MAX_POINTS = "Max Points";
  public static final String PENALTY = "Penalty";
  public static final String MIN_TO_QUALIFY = "Min To Qualify";
  public static final String DISQUALIFYING = "Disqualifying";
  /** Not in the old schema (system.md §2): a checkbox some bases added; editable through the GPT helper. */
  public static final String ACTIVE = "Active";

  public static final String CATEGORY_POSITIVE = "Positive";
  public static final String CATEGORY_NEGATIVE = "Negative";
  public static final String CATEGORY_META = "Meta";
  public static final String PREAMBLE_ID = "PREAMBLE";
}
