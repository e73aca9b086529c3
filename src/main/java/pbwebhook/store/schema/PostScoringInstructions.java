package pbwebhook.store.schema;

/** The per-client {@code Post Scoring Instructions} table: prompt components in sort order. */
public final class PostScoringInstructions {
  private PostScoringInstructions() {}

  public static final String TABLE = "Post Scoring Instructions";
  public static final String COMPONENT_ID = "Component ID";
  public static final String COMPONENT_NAME = "Component Name";
  public static final String INSTRUCTION_TEXT = "Instruction Text";
  public static final String SORT_ORDER = "Sort Order";
  public static final String SCORING_HEADER_ID = "SCORING_HEADER";
}
