package pbwebhook.ai;

/** An AI call that failed; the kind decides the lead's {@code Failed – …} status and whether to retry. */
public class AiException extends RuntimeException {

  /**
   * {@code OUTPUT_LIMIT}: the reply stopped at the output token limit ({@code MAX_TOKENS}, {@code length}); asking
   * again gives the same cut-off reply, so it is not retried as is.
   */
  public enum Kind { API_ERROR, EMPTY_RESPONSE, PARSE_ERROR, RATE_LIMITED, TIMEOUT, BLOCKED, OUTPUT_LIMIT }

  private final Kind kind;
  private TokenUsage tokens = TokenUsage.NONE;

  public AiException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public AiException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() { return kind; }

  /** Tokens the failed call still used (a blocked or cut-off reply is billed). */
  public TokenUsage tokens() { return tokens; }

  AiException withTokens(TokenUsage used) {
    this.tokens = used;
    return this;
  }

  public boolean transientFailure() {
    return kind == Kind.RATE_LIMITED || kind == Kind.TIMEOUT || kind == Kind.API_ERROR || kind == Kind.EMPTY_RESPONSE
        || kind == Kind.PARSE_ERROR;
  }

  /** A post-scoring reply cut off at the output limit: its posts are not all scored, so the lead fails. */
  static AiException outputLimit(String provider) {
    return new AiException(Kind.OUTPUT_LIMIT, provider + " reply cut off at the output token limit");
  }
}
