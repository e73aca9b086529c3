package pbwebhook.ai;

/** An AI call that failed; the kind decides the lead's {@code Failed – …} status and whether to retry. */
public class AiException extends RuntimeException {

  public enum Kind { API_ERROR, EMPTY_RESPONSE, PARSE_ERROR, RATE_LIMITED, TIMEOUT, BLOCKED }

  private final Kind kind;

  public AiException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public AiException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() { return kind; }

  public boolean transientFailure() {
    return kind == Kind.RATE_LIMITED || kind == Kind.TIMEOUT || kind == Kind.API_ERROR || kind == Kind.EMPTY_RESPONSE
        || kind == Kind.PARSE_ERROR;
  }
}
