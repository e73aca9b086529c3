package pbwebhook.store.embedded;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.store.Filter;
import pbwebhook.store.FilterEvaluator;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Page;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.StoreException;
import pbwebhook.store.StoreException.Kind;
import pbwebhook.store.UpsertResult;

/**
 * The zero-config {@link RecordStore}: one SQLite file per base, {@code <dataDir>/<baseId>.sqlite}.
 *
 * <p>All JDBC runs on a dedicated worker pool, never on an event loop. Each base file has one
 * connection, used by one thread at a time (the base's monitor), so every write call is one
 * transaction and concurrent upserts of the same merge value serialise into one record.
 * Filters and sorts are translated to SQL by {@link SqlFilter} with the meaning {@link FilterEvaluator}
 * gives them (the rules the Airtable store's formulas follow); the fields the server looks records up by
 * are indexed {@link KeyColumns}, so lookups, upserts and filtered pages cost the same at any table size.
 */
public final class EmbeddedStore implements RecordStore {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

  private static final Pattern BASE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final String FILE_SUFFIX = ".sqlite";
  private static final Pattern OFFSET = Pattern.compile("itr(\\d{1,9})/(rec[A-Za-z0-9]{14})");
  private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final DateTimeFormatter CREATED_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private final Path dataDir;
  private final WorkerExecutor workers;
  private final Map<String, BaseFile> bases = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private volatile boolean closed;

  /** Test hook: called with the current thread each time a base's connection is about to be used. */
  volatile Consumer<Thread> jdbcThreadProbe = t -> { };

  public EmbeddedStore(Vertx vertx, Path dataDir) {
    this.dataDir = dataDir;
    this.workers = vertx.createSharedWorkerExecutor("embedded-store", 4);
  }

  @Override
  public String describe() {
    return "embedded (SQLite, " + dataDir + ")";
  }

  @Override
  public Future<Page> list(String baseId, String table, ListQuery query) {
    return onBase(baseId, base -> page(base, table, query));
  }

  /**
   * One page. The offset token {@code itr<n>/<id>} counts the records already listed and names the first
   * record of this page. Without sorts, records come in creation order and the page resumes at that record's
   * sequence number (keyset paging: a record whose fields changed since is neither skipped nor repeated);
   * with sorts it resumes at the record's current position.
   */
  private static Page page(BaseFile base, String table, ListQuery query) throws SQLException {
    SqlFilter.Clause where = SqlFilter.where(query.filter());
    SqlFilter.Clause order = SqlFilter.orderBy(query.sort());
    int listed = 0;
    long fromSeq = Long.MIN_VALUE;
    int skip = 0;
    if (query.offset() != null && !query.offset().isEmpty()) {
      Matcher m = OFFSET.matcher(query.offset());
      if (!m.matches()) throw invalidOffset(query.offset());
      listed = Integer.parseInt(m.group(1));
      String id = m.group(2);
      if (query.sort().isEmpty()) {
        fromSeq = base.seqOf(table, id);
        if (fromSeq < 0) throw invalidOffset(query.offset());
      } else {
        long at = base.positionOf(table, where, order, id);
        skip = at >= 0 ? (int) at : listed;
      }
    }
    int wanted = query.pageSize();
    if (query.maxRecords() != null) wanted = Math.min(wanted, Math.max(0, query.maxRecords()) - listed);
    if (wanted <= 0) return new Page(List.of(), null);
    // one more than the page, to know whether there is a next one and where it starts
    List<Record> rows = base.select(table, where, order, fromSeq, skip, wanted + 1);
    List<Record> page = new ArrayList<>();
    for (int i = 0; i < Math.min(wanted, rows.size()); i++) page.add(project(rows.get(i), query.fields()));
    boolean capped = query.maxRecords() != null && listed + wanted >= query.maxRecords();
    String next = rows.size() > wanted && !capped ? "itr" + (listed + wanted) + "/" + rows.get(wanted).id() : null;
    return new Page(page, next);
  }

  @Override
  public Future<Record> get(String baseId, String table, String recordId) {
    return onBase(baseId, base -> {
      Record r = recordId == null ? null : base.find(table, recordId);
      if (r == null) throw notFound(table, recordId);
      return r;
    });
  }

  @Override
  public Future<List<Record>> create(String baseId, String table, List<JsonObject> fields) {
    StoreException tooMany = checkBatch(fields);
    if (tooMany != null) return Future.failedFuture(tooMany);
    return onBase(baseId, base -> base.inTransaction(() -> {
      List<Record> out = new ArrayList<>();
      for (JsonObject f : fields) out.add(insertNew(base, table, f));
      return out;
    }));
  }

  @Override
  public Future<List<Record>> update(String baseId, String table, List<Record> records) {
    StoreException tooMany = checkBatch(records);
    if (tooMany != null) return Future.failedFuture(tooMany);
    for (Record r : records) {
      if (r.id() == null || r.id().isBlank()) {
        return Future.failedFuture(new StoreException(Kind.INVALID_REQUEST, "update of a record without an id in " + table));
      }
    }
    return onBase(baseId, base -> base.inTransaction(() -> {
      List<Record> out = new ArrayList<>();
      for (Record patch : records) {
        Record existing = base.find(table, patch.id());
        if (existing == null) throw notFound(table, patch.id());
        out.add(applyPatch(base, table, existing, patch.fields()));
      }
      return out;
    }));
  }

  @Override
  public Future<UpsertResult> upsert(String baseId, String table, List<JsonObject> fields, List<String> mergeOn) {
    StoreException tooMany = checkBatch(fields);
    if (tooMany != null) return Future.failedFuture(tooMany);
    if (mergeOn == null || mergeOn.isEmpty()) {
      return Future.failedFuture(new StoreException(Kind.INVALID_REQUEST, "upsert into " + table + " needs merge fields"));
    }
    for (JsonObject f : fields) {
      for (String m : mergeOn) {
        if (f == null || FilterEvaluator.isBlank(f.getValue(m))) {
          return Future.failedFuture(new StoreException(Kind.INVALID_REQUEST,
              "upsert into " + table + ": a record has no value for merge field " + m));
        }
      }
    }
    return onBase(baseId, base -> base.inTransaction(() -> {
      // lookups run inside the transaction, so no other writer can slip in between
      List<Record> written = new ArrayList<>();
      Map<String, Boolean> created = new LinkedHashMap<>();
      for (JsonObject f : fields) {
        Filter same = Filter.and(mergeOn.stream().map(m -> Filter.eq(m, FilterEvaluator.text(f.getValue(m))))
            .toArray(Filter[]::new));
        List<Record> hits = base.select(table, SqlFilter.where(same), SqlFilter.orderBy(List.of()), Long.MIN_VALUE, 0, 2);
        if (hits.size() > 1) {
          throw new StoreException(Kind.INVALID_REQUEST, "upsert into " + table + ": more than one record"
              + " matches on " + mergeOn + ", cannot choose one");
        }
        Record r;
        if (hits.isEmpty()) {
          r = insertNew(base, table, f);
          created.put(r.id(), true);
        } else {
          r = applyPatch(base, table, hits.get(0), f);
          created.putIfAbsent(r.id(), false);
        }
        written.add(r);
      }
      List<String> createdIds = ids(created, true);
      List<String> updatedIds = ids(created, false);
      return new UpsertResult(written, createdIds, updatedIds);
    }));
  }

  @Override
  public boolean cheapLookups() {
    return true;
  }

  @Override
  public Future<Void> ping(String baseId) {
    StoreException invalid = checkBaseId(baseId);
    return invalid == null ? Future.succeededFuture() : Future.failedFuture(invalid);
  }

  /** Ids of the bases that have a file in the data directory, sorted; read on a worker thread. */
  public Future<List<String>> baseIds() {
    return workers.executeBlocking(() -> {
      List<String> ids = new ArrayList<>();
      if (!Files.isDirectory(dataDir)) return ids;
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dataDir, "*" + FILE_SUFFIX)) {
        for (Path p : files) {
          String name = p.getFileName().toString();
          String id = name.substring(0, name.length() - FILE_SUFFIX.length());
          if (BASE_ID.matcher(id).matches()) ids.add(id);
        }
      } catch (IOException e) {
        throw new StoreException(Kind.UNAVAILABLE, "cannot read data directory " + dataDir, e);
      }
      ids.sort(null);
      return ids;
    }, false);
  }

  @Override
  public Future<Void> close() {
    if (closed) return Future.succeededFuture();
    closed = true;
    Collection<BaseFile> open = List.copyOf(bases.values());
    return workers.<Void>executeBlocking(() -> {
      for (BaseFile base : open) {
        synchronized (base) {
          try {
            base.close();
          } catch (SQLException e) {
            log.warn("closing an embedded base file failed: {}", e.getMessage());
          }
        }
      }
      return null;
    }, false).eventually(workers::close);
  }

  private interface BaseWork<T> {
    T run(BaseFile base) throws SQLException;
  }

  /** Runs the work on a worker thread while holding the base's connection. */
  private <T> Future<T> onBase(String baseId, BaseWork<T> work) {
    StoreException invalid = checkBaseId(baseId);
    if (invalid != null) return Future.failedFuture(invalid);
    if (closed) return Future.failedFuture(new StoreException(Kind.UNAVAILABLE, "embedded store is closed"));
    BaseFile base = bases.computeIfAbsent(baseId, id -> new BaseFile(dataDir.resolve(id + FILE_SUFFIX)));
    Callable<T> task = () -> {
      synchronized (base) {
        jdbcThreadProbe.accept(Thread.currentThread());
        try {
          return work.run(base);
        } catch (SQLException e) {
          throw new StoreException(Kind.UNAVAILABLE, "embedded base " + baseId + ": " + e.getMessage(), e);
        }
      }
    };
    // unordered: the base's monitor already serialises use of its connection, and other bases need not wait
    return workers.executeBlocking(task, false);
  }

  private Record insertNew(BaseFile base, String table, JsonObject fields) throws SQLException {
    Record r = new Record(newRecordId(), CREATED_TIME.format(Instant.now()), withoutNulls(fields));
    base.insert(table, r);
    return r;
  }

  private static Record applyPatch(BaseFile base, String table, Record existing, JsonObject patch) throws SQLException {
    JsonObject merged = existing.fields().copy();
    if (patch != null) {
      for (Map.Entry<String, Object> e : patch) {
        if (e.getValue() == null) merged.remove(e.getKey());
        else merged.put(e.getKey(), e.getValue());
      }
    }
    base.replaceFields(table, existing.id(), merged);
    return new Record(existing.id(), existing.createdTime(), merged);
  }

  /** A null field means "no value", as in Airtable, so it is not stored. */
  private static JsonObject withoutNulls(JsonObject fields) {
    JsonObject out = new JsonObject();
    if (fields != null) {
      for (Map.Entry<String, Object> e : fields) if (e.getValue() != null) out.put(e.getKey(), e.getValue());
    }
    return out;
  }

  private static Record project(Record r, List<String> fields) {
    if (fields.isEmpty()) return r;
    JsonObject out = new JsonObject();
    for (String f : fields) if (r.fields().containsKey(f)) out.put(f, r.fields().getValue(f));
    return new Record(r.id(), r.createdTime(), out);
  }

  private static StoreException invalidOffset(String offset) {
    return new StoreException(Kind.INVALID_REQUEST, "invalid list offset: " + offset);
  }

  private static StoreException checkBaseId(String baseId) {
    if (baseId != null && BASE_ID.matcher(baseId).matches()) return null;
    return new StoreException(Kind.INVALID_REQUEST, "invalid base id: " + baseId);
  }

  private static <T> StoreException checkBatch(List<T> items) {
    if (items == null) return new StoreException(Kind.INVALID_REQUEST, "no records given");
    if (items.size() > MAX_BATCH) {
      return new StoreException(Kind.INVALID_REQUEST, "at most " + MAX_BATCH + " records per request, got " + items.size());
    }
    return null;
  }

  private static StoreException notFound(String table, String id) {
    return new StoreException(Kind.NOT_FOUND, "record " + id + " not found in " + table);
  }

  private static List<String> ids(Map<String, Boolean> created, boolean wanted) {
    return created.entrySet().stream().filter(e -> e.getValue() == wanted).map(Map.Entry::getKey).toList();
  }

  private String newRecordId() {
    StringBuilder sb = new StringBuilder("rec");
    for (int i = 0; i < 14; i++) sb.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
    return sb.toString();
  }
}
