package pbwebhook.ai;

import java.util.List;

/**
 * A call that failed because of what was in it, not because of the service: the reply hit the output limit
 * ({@code MAX_TOKENS}, {@code length}) or the prompt or reply was blocked by a safety filter. Retrying the same
 * call fails the same way; scoring each half of its leads separately isolates the leads concerned.
 */
public class SplittableAiException extends AiException {

  private final List<String> leadIds;
  private TokenUsage tokens = TokenUsage.NONE;

  public SplittableAiException(Kind kind, String message, List<String> leadIds) {
    super(kind, message);
    this.leadIds = List.copyOf(leadIds);
  }

  /** Tokens the failed call still used (a cut-off reply is billed). */
  public TokenUsage tokens() { return tokens; }

  SplittableAiException withTokens(TokenUsage used) {
    this.tokens = used;
    return this;
  }

  /** The ids of the leads the failed call carried. */
  public List<String> leadIds() { return leadIds; }

  public static SplittableAiException outputLimit(String provider, List<String> leadIds) {
    return new SplittableAiException(Kind.API_ERROR,
        provider + " reply cut off at the output token limit (" + leadIds.size() + " leads in the call)", leadIds);
  }

  public static SplittableAiException blocked(String provider, String reason, List<String> leadIds) {
    return new SplittableAiException(Kind.BLOCKED, provider + " blocked the request: " + reason, leadIds);
  }
}
