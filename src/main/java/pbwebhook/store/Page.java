package pbwebhook.store;

import java.util.List;

/** One page of a listing; {@code offset} is null on the last page. */
public record Page(List<Record> records, String offset) {
  public Page { records = List.copyOf(records); }
}
