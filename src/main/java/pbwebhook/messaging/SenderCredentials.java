package pbwebhook.messaging;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import pbwebhook.alerts.SecretRedactor;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.Credentials;

/**
 * What the client's Credentials table (its first row, as the old server read it) gives the dispatcher to send
 * with. Read for each job as it runs, held only for that job, never journaled, logged or answered:
 * {@link #toString()} names the fields only.
 */
public record SenderCredentials(String agentId, String apiKey, String cookie, String userAgent) {

  public static Future<SenderCredentials> read(RecordStore store, String baseId) {
    return store.list(baseId, Credentials.TABLE, ListQuery.all().withPageSize(1)).map(page -> {
      Record first = page.records().isEmpty() ? null : page.records().get(0);
      return first == null ? new SenderCredentials(null, null, null, null)
          : new SenderCredentials(text(first, Credentials.PB_MESSAGE_SENDER_ID), text(first, Credentials.PHANTOM_API_KEY),
              text(first, Credentials.LINKEDIN_COOKIE), text(first, Credentials.USER_AGENT));
    });
  }

  /** The Credentials fields that are empty, by name. */
  public List<String> missing() {
    List<String> out = new ArrayList<>();
    if (agentId == null) out.add(Credentials.PB_MESSAGE_SENDER_ID);
    if (apiKey == null) out.add(Credentials.PHANTOM_API_KEY);
    if (cookie == null) out.add(Credentials.LINKEDIN_COOKIE);
    if (userAgent == null) out.add(Credentials.USER_AGENT);
    return out;
  }

  /** Masks the key and the cookie in text about this job (a PhantomBuster error might quote them). */
  public SecretRedactor redactor() {
    return new SecretRedactor(java.util.Arrays.asList(apiKey, cookie));
  }

  @Override
  public String toString() {
    return "SenderCredentials[missing=" + missing() + "]";
  }

  private static String text(Record r, String field) {
    String v = r.string(field);
    return v == null || v.isBlank() ? null : v.trim();
  }
}
