package pbwebhook.ingest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.StoreException;
import pbwebhook.store.schema.Leads;

/**
 * Text Blaze (system.md §1): prepends {@code 📅 <timestamp> – Sent: <message>} to a lead's {@code Notes}, the
 * lead found by canonical URL. Notes writes of one base are chained, so two messages logged at once both stay.
 * Must be used from one Vert.x context.
 */
public final class LeadNoteWriter {

  static final String SEPARATOR = "\n\n---\n\n";
  /** Airtable's long-text limit is 100,000 characters; stay under it with room to spare. */
  static final int MAX_CHARS = 95_000;

  private final RecordStore store;
  private final String baseId;
  private Future<?> tail = Future.succeededFuture();

  public LeadNoteWriter(RecordStore store, String baseId) {
    this.store = store;
    this.baseId = baseId;
  }

  /** The note line of one sent message. The dash is an en dash, as the old server wrote it. */
  public static String entry(String timestamp, String message) {
    return "\uD83D\uDCC5 " + timestamp + " \u2013 Sent: " + message;
  }

  public static String prepend(String entry, String existing) {
    String notes = existing == null || existing.isBlank() ? entry : entry + SEPARATOR + existing;
    if (notes.length() <= MAX_CHARS) return notes;
    // Airtable refuses a long text over 100,000 characters: drop the oldest notes, whole, from the end.
    int cut = notes.lastIndexOf(SEPARATOR, MAX_CHARS);
    return cut > 0 ? notes.substring(0, cut) : notes.substring(0, MAX_CHARS);
  }

  /** Answers the record id; fails with a NOT_FOUND {@link StoreException} when no lead has that URL. */
  public Future<String> logSentMessage(String profileUrl, String message, String timestamp) {
    Future<String> next = tail.transform(ignored -> write(profileUrl, message, timestamp));
    tail = next;
    return next;
  }

  private Future<String> write(String profileUrl, String message, String timestamp) {
    String key = LinkedInUrl.canonicalKey(profileUrl);
    ListQuery q = ListQuery.where(Filter.urlKeyEq(Leads.LINKEDIN_PROFILE_URL, key))
        .withFields(List.of(Leads.LINKEDIN_PROFILE_URL, Leads.NOTES)).withMaxRecords(1);
    return store.listAll(baseId, Leads.TABLE, q).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new StoreException(StoreException.Kind.NOT_FOUND,
            "no lead with LinkedIn Profile URL " + LinkedInUrl.stripTrailingSlash(profileUrl)));
      }
      Record lead = found.get(0);
      String notes = prepend(entry(timestamp, message), lead.string(Leads.NOTES));
      return store.update(baseId, Leads.TABLE, List.of(new Record(lead.id(), null, new JsonObject().put(Leads.NOTES, notes))))
          .map(lead.id());
    });
  }
}
