package pbwebhook.store;

/** A store failure, typed so callers can decide to wait, retry, or report. Messages never carry secrets. */
public class StoreException extends RuntimeException {

  /**
   * {@code NOT_OWNER}: the write was refused before it was sent because this member no longer owns the client (its
   * lease lapsed or moved, or it is shutting down); it may succeed on the client's owner, never by retrying here.
   */
  public enum Kind { RATE_LIMITED, NOT_FOUND, INVALID_FIELD, INVALID_VALUE, FORBIDDEN, UNAVAILABLE, BILLING_LIMIT, INVALID_REQUEST,
    NOT_OWNER }

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

  /** True when the same request may succeed later (a retry cannot make things worse), here or on the owner. */
  public boolean transientFailure() { return kind == Kind.RATE_LIMITED || kind == Kind.UNAVAILABLE || kind == Kind.NOT_OWNER; }
}
