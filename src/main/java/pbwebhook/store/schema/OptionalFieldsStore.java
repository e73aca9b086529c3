package pbwebhook.store.schema;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Page;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.StoreException;
import pbwebhook.store.UnknownFieldException;
import pbwebhook.store.UpsertResult;

/**
 * Lets a base lack the tables and fields this server adds to the old schema ({@link OptionalSchema}). When a
 * write or a read names an optional field the base does not have (Airtable's 422 {@code UNKNOWN_FIELD_NAME}),
 * the field is remembered for that base and table, left out, and the request sent again; later requests leave it
 * out from the start. A create in an optional table the base does not have is skipped and remembered. What is
 * remembered is tried again after {@code recheckMs}, and whenever the base's schema is read
 * ({@link #tableFields}), which also learns what is missing without a failed write. Fields of the old schema
 * are never left out: their absence stays an error.
 */
public final class OptionalFieldsStore implements RecordStore {

  private static final Logger log = LoggerFactory.getLogger(OptionalFieldsStore.class);
  /** How long a missing optional field or table is left out before a write tries it again. */
  public static final long DEFAULT_RECHECK_MS = 60 * 60 * 1000;
  /** Bound on strip-and-retry rounds for one request (each round leaves one more field out). */
  private static final int MAX_ROUNDS = 8;
  private static final Pattern UNKNOWN_FIELD = Pattern.compile("Unknown field \"([^\"]+)\"");

  private final RecordStore delegate;
  private final LongSupplier clock;
  private final long recheckMs;
  /** baseId → table → field → when it was found missing. */
  private final ConcurrentMap<String, ConcurrentMap<String, ConcurrentMap<String, Long>>> missingFields =
      new ConcurrentHashMap<>();
  /** baseId → table → when it was found missing. */
  private final ConcurrentMap<String, ConcurrentMap<String, Long>> missingTables = new ConcurrentHashMap<>();

  public OptionalFieldsStore(RecordStore delegate) {
    this(delegate, System::currentTimeMillis, DEFAULT_RECHECK_MS);
  }

  public OptionalFieldsStore(RecordStore delegate, LongSupplier clock, long recheckMs) {
    this.delegate = delegate;
    this.clock = clock;
    this.recheckMs = recheckMs;
  }

  @Override
  public String describe() { return delegate.describe(); }

  @Override
  public RecordStore unwrap() { return delegate.unwrap(); }

  @Override
  public Future<Page> list(String baseId, String table, ListQuery query) {
    return rounds(baseId, table, false, query.fields()::contains,
        () -> delegate.list(baseId, table, stripped(baseId, table, query)), null, 0);
  }

  @Override
  public Future<List<Record>> listAll(String baseId, String table, ListQuery query) {
    return rounds(baseId, table, false, query.fields()::contains,
        () -> delegate.listAll(baseId, table, stripped(baseId, table, query)), null, 0);
  }

  @Override
  public Future<Record> get(String baseId, String table, String recordId) {
    return delegate.get(baseId, table, recordId);
  }

  @Override
  public Future<List<Record>> create(String baseId, String table, List<JsonObject> fields) {
    if (known(missingTables.get(baseId), table)) return Future.succeededFuture(List.of());
    return rounds(baseId, table, true, f -> fields.stream().anyMatch(r -> r.containsKey(f)),
        () -> delegate.create(baseId, table, stripped(baseId, table, fields)), List.of(), 0);
  }

  @Override
  public Future<UpsertResult> upsert(String baseId, String table, List<JsonObject> fields, List<String> mergeOn) {
    UpsertResult none = new UpsertResult(List.of(), List.of(), List.of());
    if (known(missingTables.get(baseId), table)) return Future.succeededFuture(none);
    return rounds(baseId, table, true, f -> fields.stream().anyMatch(r -> r.containsKey(f)),
        () -> delegate.upsert(baseId, table, stripped(baseId, table, fields), mergeOn), none, 0);
  }

  /** Records left with no field to write are not sent; they are answered as they are, in input order. */
  @Override
  public Future<List<Record>> update(String baseId, String table, List<Record> records) {
    return rounds(baseId, table, false, f -> records.stream().anyMatch(r -> r.fields().containsKey(f)), () -> {
      List<Record> out = new ArrayList<>(records.size());
      List<Record> send = new ArrayList<>();
      List<Integer> at = new ArrayList<>();
      for (Record r : records) {
        JsonObject f = stripped(baseId, table, r.fields());
        Record s = new Record(r.id(), r.createdTime(), f);
        out.add(s);
        if (!f.isEmpty() || r.fields().isEmpty()) {
          at.add(out.size() - 1);
          send.add(s);
        }
      }
      if (send.isEmpty()) return Future.succeededFuture(out);
      return delegate.update(baseId, table, send).map(written -> {
        for (int k = 0; k < written.size() && k < at.size(); k++) out.set(at.get(k), written.get(k));
        return out;
      });
    }, null, 0);
  }

  @Override
  public Future<Void> ping(String baseId) { return delegate.ping(baseId); }

  @Override
  public Future<Void> close() { return delegate.close(); }

  @Override
  public long minRequestIntervalMs(String baseId) { return delegate.minRequestIntervalMs(baseId); }

  /** The embedded store's cheap indexed lookups stay visible through the wrapper (ingest and runs rely on it). */
  @Override
  public boolean cheapLookups() { return delegate.cheapLookups(); }

  /** The base's schema; also learns which optional fields it lacks and forgets those it now has. */
  @Override
  public Future<Map<String, Set<String>>> tableFields(String baseId) {
    return delegate.tableFields(baseId).map(tables -> {
      if (tables == null) return null;
      tables.forEach((table, have) -> {
        ConcurrentMap<String, Long> fields = missingFields.get(baseId) == null ? null
            : missingFields.get(baseId).get(table);
        if (fields != null) fields.keySet().removeIf(have::contains);
        for (String f : OptionalSchema.ADDED_FIELDS.getOrDefault(table, List.of())) {
          if (!have.contains(f)) learnField(baseId, table, f, "the base's schema has no such field");
        }
      });
      ConcurrentMap<String, Long> gone = missingTables.get(baseId);
      if (gone != null) gone.keySet().removeIf(tables::containsKey);
      return tables;
    });
  }

  @Override
  public Map<String, List<String>> missingOptionalFields(String baseId) {
    Map<String, List<String>> out = new TreeMap<>();
    ConcurrentMap<String, ConcurrentMap<String, Long>> tables = missingFields.get(baseId);
    if (tables != null) tables.forEach((table, fields) -> {
      List<String> names = fields.keySet().stream().sorted().toList();
      if (!names.isEmpty()) out.put(table, names);
    });
    return out;
  }

  @Override
  public List<String> missingOptionalTables(String baseId) {
    ConcurrentMap<String, Long> tables = missingTables.get(baseId);
    return tables == null ? List.of() : tables.keySet().stream().sorted().toList();
  }

  /**
   * Sends {@code call}; when the store names an unknown optional field that the request carries ({@code sends}),
   * learns it and sends again without it. A field named only in a formula or sort cannot be left out: that stays
   * an error.
   */
  private <T> Future<T> rounds(String baseId, String table, boolean mayLackTable, Predicate<String> sends,
                               Supplier<Future<T>> call, T skipped, int round) {
    return call.get().recover(e -> {
      String field = unknownField(e);
      if (field != null && OptionalSchema.optionalField(table, field) && sends.test(field) && round < MAX_ROUNDS) {
        learnField(baseId, table, field, e.getMessage());
        return rounds(baseId, table, mayLackTable, sends, call, skipped, round + 1);
      }
      if (mayLackTable && OptionalSchema.optionalTable(table) && tableAbsent(e)) {
        if (missingTables.computeIfAbsent(baseId, b -> new ConcurrentHashMap<>()).put(table, clock.getAsLong()) == null) {
          log.warn("base {} has no optional table \"{}\": not written to it ({})", baseId, table, e.getMessage());
        }
        return Future.succeededFuture(skipped);
      }
      return Future.failedFuture(e);
    });
  }

  private void learnField(String baseId, String table, String field, String why) {
    Long before = missingFields.computeIfAbsent(baseId, b -> new ConcurrentHashMap<>())
        .computeIfAbsent(table, t -> new ConcurrentHashMap<>()).put(field, clock.getAsLong());
    if (before == null) {
      log.warn("base {} table \"{}\" has no optional field \"{}\": written without it ({})", baseId, table, field, why);
    }
  }

  /** True while {@code key} is remembered as missing and not yet due for another try. */
  private boolean known(ConcurrentMap<String, Long> learned, String key) {
    if (learned == null) return false;
    Long at = learned.get(key);
    if (at == null) return false;
    if (clock.getAsLong() - at < recheckMs) return true;
    learned.remove(key, at);
    return false;
  }

  private boolean leftOut(String baseId, String table, String field) {
    ConcurrentMap<String, ConcurrentMap<String, Long>> tables = missingFields.get(baseId);
    return tables != null && known(tables.get(table), field);
  }

  private JsonObject stripped(String baseId, String table, JsonObject fields) {
    if (fields == null || !missingFields.containsKey(baseId)) return fields;
    JsonObject out = null;
    for (String f : fields.fieldNames()) {
      if (!leftOut(baseId, table, f)) continue;
      if (out == null) out = fields.copy();
      out.remove(f);
    }
    return out == null ? fields : out;
  }

  private List<JsonObject> stripped(String baseId, String table, List<JsonObject> records) {
    if (!missingFields.containsKey(baseId)) return records;
    List<JsonObject> out = new ArrayList<>(records.size());
    for (JsonObject f : records) out.add(stripped(baseId, table, f));
    return out;
  }

  private ListQuery stripped(String baseId, String table, ListQuery q) {
    if (q.fields().isEmpty() || !missingFields.containsKey(baseId)) return q;
    List<String> keep = q.fields().stream().filter(f -> !leftOut(baseId, table, f)).toList();
    return keep.size() == q.fields().size() ? q : q.withFields(keep);
  }

  /** The field a store error names as unknown, or null. */
  static String unknownField(Throwable e) {
    if (e instanceof UnknownFieldException u && u.field() != null) return u.field();
    if (e instanceof StoreException se && se.kind() == StoreException.Kind.INVALID_FIELD && se.getMessage() != null) {
      Matcher m = UNKNOWN_FIELD.matcher(se.getMessage());
      if (m.find()) return m.group(1);
    }
    return null;
  }

  /** Airtable answers 404 for a table the base does not have, or 403 when the token cannot see it. */
  private static boolean tableAbsent(Throwable e) {
    return e instanceof StoreException se
        && (se.kind() == StoreException.Kind.NOT_FOUND || se.kind() == StoreException.Kind.FORBIDDEN);
  }
}
