package pbwebhook.http;

/**
 * The most items (profiles, posts) one webhook body may carry, so one body cannot occupy its client's
 * worker for long: above it the webhook is refused with 413 before anything is stored, the error naming
 * the count, the cap and the setting that raises it. Real senders stay far below the defaults.
 */
public record ItemCap(String items, int max, String setting) {

  public void check(int count) {
    if (count > max) {
      throw new ApiError(413, "too many " + items + " in one body: " + count + ", at most " + max + " (" + setting
          + "); send them in several smaller webhooks");
    }
  }
}
