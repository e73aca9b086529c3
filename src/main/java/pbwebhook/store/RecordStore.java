package pbwebhook.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The record store port, in Airtable's terms: bases, tables, records with a field map.
 * Writes take at most {@link #MAX_BATCH} records, like Airtable.
 */
public interface RecordStore {

  int MAX_BATCH = 10;

  /** Short name for start-up and health output, e.g. {@code embedded (SQLite, ./data)}. */
  String describe();

  Future<Page> list(String baseId, String table, ListQuery query);

  /** Fails with {@link StoreException.Kind#NOT_FOUND} when the record does not exist. */
  Future<Record> get(String baseId, String table, String recordId);

  Future<List<Record>> create(String baseId, String table, List<JsonObject> fields);

  /** Patch semantics: only the given fields change. Each record must carry its id. */
  Future<List<Record>> update(String baseId, String table, List<Record> records);

  /** Like Airtable's performUpsert: a record matching on every merge field is updated, otherwise created. */
  Future<UpsertResult> upsert(String baseId, String table, List<JsonObject> fields, List<String> mergeOn);

  /** Checks the base answers; fails with a typed error otherwise. */
  Future<Void> ping(String baseId);

  default Future<Void> close() { return Future.succeededFuture(); }

  /** The store under any wrappers (such as OptionalFieldsStore), for what only a concrete store can do. */
  default RecordStore unwrap() { return this; }

  /**
   * The shortest gap between two requests to one base that the store's rate limit allows (0 = none).
   * Writers that coalesce use it to wait for a fuller batch instead of sending a small one they would
   * have had to queue anyway.
   */
  default long minRequestIntervalMs(String baseId) {
    return 0;
  }

  /**
   * True when a filtered lookup costs little whatever the table's size (an indexed local database): writers may
   * then look up what they need per batch instead of keeping a copy of a whole table in memory.
   */
  default boolean cheapLookups() {
    return false;
  }

  /**
   * The base's tables and their field names, or null when the store has no schema (the embedded store
   * accepts any table and field).
   */
  default Future<java.util.Map<String, java.util.Set<String>>> tableFields(String baseId) {
    return Future.succeededFuture(null);
  }

  /**
   * Optional fields (see {@code store.schema.OptionalSchema}) this base is known to lack, per table: writes go
   * ahead without them. Empty when nothing is known to be missing.
   */
  default java.util.Map<String, java.util.List<String>> missingOptionalFields(String baseId) {
    return java.util.Map.of();
  }

  /** Optional tables this base is known to lack: writes to them are skipped. */
  default java.util.List<String> missingOptionalTables(String baseId) {
    return java.util.List.of();
  }

  /** Every record matching the query, following pages until the last or until maxRecords. */
  default Future<List<Record>> listAll(String baseId, String table, ListQuery query) {
    List<Record> acc = new ArrayList<>();
    return listFrom(baseId, table, query, acc).map(v -> acc);
  }

  private Future<Void> listFrom(String baseId, String table, ListQuery query, List<Record> acc) {
    return list(baseId, table, query).compose(page -> {
      for (Record r : page.records()) {
        if (query.maxRecords() != null && acc.size() >= query.maxRecords()) return Future.succeededFuture();
        acc.add(r);
      }
      if (page.offset() == null || (query.maxRecords() != null && acc.size() >= query.maxRecords())) {
        return Future.succeededFuture();
      }
      return listFrom(baseId, table, query.withOffset(page.offset()), acc);
    });
  }

  /** Splits any number of records into writes of at most {@link #MAX_BATCH}, one after another. */
  static <T> List<List<T>> batches(List<T> items) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i += MAX_BATCH) out.add(items.subList(i, Math.min(items.size(), i + MAX_BATCH)));
    return out;
  }
}
