package pbwebhook.ingest;

/** A webhook item that cannot be mapped to a lead; the message names what is wrong. */
public class InvalidPayloadException extends RuntimeException {

  public InvalidPayloadException(String message) {
    super(message);
  }
}
