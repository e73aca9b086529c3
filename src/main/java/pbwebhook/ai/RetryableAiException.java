package pbwebhook.ai;

/**
 * A failure worth trying again after a pause: HTTP 429, 5xx or a timeout. {@code retryAfterMs} is the delay the
 * server asked for ({@code Retry-After} or Gemini's {@code RetryInfo.retryDelay}), or -1 when it named none.
 */
public class RetryableAiException extends AiException {

  private final long retryAfterMs;

  public RetryableAiException(Kind kind, String message, long retryAfterMs) {
    super(kind, message);
    this.retryAfterMs = retryAfterMs;
  }

  public long retryAfterMs() { return retryAfterMs; }
}
