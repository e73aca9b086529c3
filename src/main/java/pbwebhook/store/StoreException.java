package pbwebhook.store;

/** A store failure, typed so callers can decide to wait, retry, or report. Messages never carry secrets. */
public class StoreException extends RuntimeException {

  public enum Kind { RATE_LIMITED, NOT_FOUND, INVALID_FIELD, INVALID_VALUE, FORBIDDEN, UNAVAILABLE, BILLING_LIMIT, INVALID_REQUEST }

  private final Kind kind;

  public StoreException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public StoreException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() { return kind; }

  /** True when the same request may succeed later (a retry cannot make things worse). */
  public boolean transientFailure() { return kind == Kind.RATE_LIMITED || kind == Kind.UNAVAILABLE; }
}
