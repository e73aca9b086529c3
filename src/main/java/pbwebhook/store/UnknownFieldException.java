package pbwebhook.store;

/** The store has no field of that name in the table ({@link StoreException.Kind#INVALID_FIELD}); names the field. */
public class UnknownFieldException extends StoreException {

  private final String field;

  public UnknownFieldException(String field, String message) {
    super(Kind.INVALID_FIELD, message);
    this.field = field;
  }

  /** The unknown field's name, or null when the store did not say. */
  public String field() { return field; }
}
