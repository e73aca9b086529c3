package pbwebhook.store.airtable;

import pbwebhook.store.StoreException;

/**
 * Airtable forgot the listing iterator behind a paging offset (422 LIST_RECORDS_ITERATOR_NOT_AVAILABLE);
 * the listing can only be restarted from its first page.
 */
public class OffsetExpiredException extends StoreException {
  public OffsetExpiredException(String message) {
    super(Kind.INVALID_REQUEST, message);
  }
}
