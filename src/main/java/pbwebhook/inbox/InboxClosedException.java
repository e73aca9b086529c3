package pbwebhook.inbox;

/** The inbox is shutting down and takes no more webhooks; the sender should retry shortly. */
public class InboxClosedException extends RuntimeException {
  public InboxClosedException() {
    super("the server is shutting down and accepts no more webhooks; retry shortly", null, false, false);
  }
}
