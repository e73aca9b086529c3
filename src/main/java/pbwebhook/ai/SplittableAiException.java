package pbwebhook.ai;

import java.util.List;

/**
 * A call refused because of what was in it, not because of the service: the prompt or reply was blocked by a
 * safety filter. Retrying the same call fails the same way; scoring each half of its leads separately isolates
 * the leads concerned.
 */
public class SplittableAiException extends AiException {

  private final List<String> leadIds;

  public SplittableAiException(Kind kind, String message, List<String> leadIds) {
    super(kind, message);
    this.leadIds = List.copyOf(leadIds);
  }

  @Override
  SplittableAiException withTokens(TokenUsage used) {
    super.withTokens(used);
    return this;
  }

  /** The ids of the leads the failed call carried. */
  public List<String> leadIds() { return leadIds; }

  public static SplittableAiException blocked(String provider, String reason, List<String> leadIds) {
    return new SplittableAiException(Kind.BLOCKED, provider + " blocked the request: " + reason, leadIds);
  }
}
