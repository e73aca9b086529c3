package pbwebhook.cluster;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Page;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.UpsertResult;

/**
 * One client's view of the store: every write first checks that this member still owns the client
 * ({@link Ownership#check}), so a member that lost its lease (a freeze, a split) never writes for it again.
 * Reads pass straight through.
 */
public final class FencedStore implements RecordStore {

  private final RecordStore store;
  private final Supplier<Future<Void>> fence;

  public FencedStore(RecordStore store, Supplier<Future<Void>> fence) {
    this.store = store;
    this.fence = fence;
  }

  @Override public String describe() { return store.describe(); }
  @Override public Future<Page> list(String baseId, String table, ListQuery query) { return store.list(baseId, table, query); }
  @Override public Future<Record> get(String baseId, String table, String recordId) { return store.get(baseId, table, recordId); }
  @Override public Future<Void> ping(String baseId) { return store.ping(baseId); }
  @Override public long minRequestIntervalMs(String baseId) { return store.minRequestIntervalMs(baseId); }
  @Override public Future<Map<String, Set<String>>> tableFields(String baseId) { return store.tableFields(baseId); }
  @Override public RecordStore unwrap() { return store.unwrap(); }
  @Override public boolean cheapLookups() { return store.cheapLookups(); }
  @Override public Map<String, List<String>> missingOptionalFields(String baseId) { return store.missingOptionalFields(baseId); }
  @Override public List<String> missingOptionalTables(String baseId) { return store.missingOptionalTables(baseId); }

  @Override
  public Future<List<Record>> create(String baseId, String table, List<JsonObject> fields) {
    return fence.get().compose(v -> store.create(baseId, table, fields));
  }

  @Override
  public Future<List<Record>> update(String baseId, String table, List<Record> records) {
    return fence.get().compose(v -> store.update(baseId, table, records));
  }

  @Override
  public Future<UpsertResult> upsert(String baseId, String table, List<JsonObject> fields, List<String> mergeOn) {
    return fence.get().compose(v -> store.upsert(baseId, table, fields, mergeOn));
  }
}
