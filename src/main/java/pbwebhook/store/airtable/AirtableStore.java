package pbwebhook.store.airtable;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Page;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.Sort;
import pbwebhook.store.StoreException;
import pbwebhook.store.StoreException.Kind;
import pbwebhook.store.UpsertResult;
import pbwebhook.store.airtable.AirtableRequest.Operation;

/**
 * {@link RecordStore} over Airtable's REST API. This class only shapes requests and reads answers; rate
 * limits, retries and error typing live in {@link AirtableClient}.
 */
public class AirtableStore implements RecordStore {

  private static final Logger LOG = LoggerFactory.getLogger(AirtableStore.class);

  /** Airtable refuses URLs longer than this; longer listings go through {@code POST .../listRecords}. */
  public static final int MAX_URL_LENGTH = 16_000;

  private final AirtableOptions options;
  private final AirtableClient client;

  public AirtableStore(Vertx vertx, AirtableOptions options) {
    this.options = options;
    this.client = new AirtableClient(vertx, options);
  }

  @Override
  public String describe() {
    return "airtable (" + options.endpointUrl() + ")";
  }

  public AirtableStats stats() { return client.stats(); }

  /** Creates bases, tables and fields through the metadata API, under this store's rate limits. */
  public AirtableMetadataClient metadata() { return new AirtableMetadataClient(client, this); }

  /** Requests waiting for the base's rate limit. */
  public int queued(String baseId) { return client.queued(baseId); }

  @Override
  public Future<Page> list(String baseId, String table, ListQuery query) {
    String formula;
    try {
      formula = query.filter() == null ? null : FormulaRenderer.render(query.filter());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new StoreException(Kind.INVALID_REQUEST, e.getMessage() + " (table \"" + table
          + "\" of base " + baseId + ")"));
    }
    String path = tablePath(baseId, table);
    String qs = listQueryString(query, formula);
    AirtableRequest req;
    if (options.endpointUrl().length() + path.length() + 1 + qs.length() > MAX_URL_LENGTH) {
      req = new AirtableRequest(Operation.READ, HttpMethod.POST, baseId, table, null, path + "/listRecords", "",
          listBody(query, formula));
    } else {
      req = new AirtableRequest(Operation.READ, HttpMethod.GET, baseId, table, null, path, qs, null);
    }
    return client.call(req).map(json -> {
      List<Record> records = new ArrayList<>();
      JsonArray arr = json.getJsonArray("records", new JsonArray());
      for (int i = 0; i < arr.size(); i++) records.add(Record.fromJson(arr.getJsonObject(i)));
      return new Page(records, json.getString("offset"));
    });
  }

  /**
   * Follows every page; when Airtable has forgotten a paging offset, starts once more from the first page
   * and keeps each record id once.
   */
  @Override
  public Future<List<Record>> listAll(String baseId, String table, ListQuery query) {
    Map<String, Record> acc = new LinkedHashMap<>();
    return pages(baseId, table, query, acc, true).map(v -> new ArrayList<>(acc.values()));
  }

  private Future<Void> pages(String baseId, String table, ListQuery query, Map<String, Record> acc,
                             boolean mayRestart) {
    return list(baseId, table, query).transform(ar -> {
      if (ar.failed()) {
        if (ar.cause() instanceof OffsetExpiredException && mayRestart && query.offset() != null) {
          LOG.warn("Listing of table \"{}\" in base {} lost its offset after {} records; restarting", table, baseId,
              acc.size());
          return pages(baseId, table, query.withOffset(null), acc, false);
        }
        return Future.failedFuture(ar.cause());
      }
      Page page = ar.result();
      Integer max = query.maxRecords();
      for (Record r : page.records()) {
        if (max != null && acc.size() >= max && !acc.containsKey(r.id())) break;
        acc.put(r.id(), r);
      }
      if (page.offset() == null || (max != null && acc.size() >= max)) return Future.succeededFuture();
      return pages(baseId, table, query.withOffset(page.offset()), acc, mayRestart);
    });
  }

  @Override
  public Future<Record> get(String baseId, String table, String recordId) {
    if (recordId == null || recordId.isBlank()) {
      return Future.failedFuture(new StoreException(Kind.NOT_FOUND, "No record id given for table \"" + table
          + "\" of base " + baseId));
    }
    String path = tablePath(baseId, table) + "/" + encode(recordId);
    return client.call(new AirtableRequest(Operation.READ, HttpMethod.GET, baseId, table, recordId, path, "", null))
        .map(Record::fromJson);
  }

  @Override
  public Future<List<Record>> create(String baseId, String table, List<JsonObject> fields) {
    if (fields.isEmpty()) return Future.succeededFuture(List.of());
    Future<Void> tooMany = checkBatch(baseId, table, fields.size());
    if (tooMany != null) return tooMany.map(v -> List.of());
    JsonArray records = new JsonArray();
    for (JsonObject f : fields) records.add(new JsonObject().put("fields", f));
    JsonObject body = new JsonObject().put("records", records).put("typecast", true);
    return client.call(new AirtableRequest(Operation.CREATE, HttpMethod.POST, baseId, table, null,
        tablePath(baseId, table), "", body)).map(AirtableStore::records);
  }

  @Override
  public Future<List<Record>> update(String baseId, String table, List<Record> records) {
    if (records.isEmpty()) return Future.succeededFuture(List.of());
    Future<Void> tooMany = checkBatch(baseId, table, records.size());
    if (tooMany != null) return tooMany.map(v -> List.of());
    JsonArray arr = new JsonArray();
    for (Record r : records) {
      if (r.id() == null || r.id().isBlank()) {
        return Future.failedFuture(new StoreException(Kind.INVALID_REQUEST, "Update of table \"" + table
            + "\" of base " + baseId + " has a record without an id"));
      }
      arr.add(new JsonObject().put("id", r.id()).put("fields", r.fields()));
    }
    JsonObject body = new JsonObject().put("records", arr).put("typecast", true);
    return client.call(new AirtableRequest(Operation.UPDATE, HttpMethod.PATCH, baseId, table, null,
        tablePath(baseId, table), "", body)).map(AirtableStore::records);
  }

  @Override
  public Future<UpsertResult> upsert(String baseId, String table, List<JsonObject> fields, List<String> mergeOn) {
    if (fields.isEmpty()) return Future.succeededFuture(new UpsertResult(List.of(), List.of(), List.of()));
    if (mergeOn == null || mergeOn.isEmpty() || mergeOn.size() > 3) {
      return Future.failedFuture(new StoreException(Kind.INVALID_REQUEST, "Upsert to table \"" + table
          + "\" of base " + baseId + " needs 1 to 3 merge fields, got " + (mergeOn == null ? 0 : mergeOn.size())));
    }
    Future<Void> tooMany = checkBatch(baseId, table, fields.size());
    if (tooMany != null) return tooMany.map(v -> null);
    JsonArray records = new JsonArray();
    for (JsonObject f : fields) records.add(new JsonObject().put("fields", f));
    JsonObject body = new JsonObject()
        .put("performUpsert", new JsonObject().put("fieldsToMergeOn", new JsonArray(new ArrayList<>(mergeOn))))
        .put("records", records)
        .put("typecast", true);
    return client.call(new AirtableRequest(Operation.UPSERT, HttpMethod.PATCH, baseId, table, null,
        tablePath(baseId, table), "", body)).map(json -> new UpsertResult(records(json),
        strings(json.getJsonArray("createdRecords")), strings(json.getJsonArray("updatedRecords"))));
  }

  @Override
  public Future<Void> ping(String baseId) {
    return tablesSchema(baseId).mapEmpty();
  }

  /** The base's tables and fields from the metadata API ({@code GET /v0/meta/bases/{baseId}/tables}). */
  public Future<JsonObject> tablesSchema(String baseId) {
    String path = "/v0/meta/bases/" + encode(baseId) + "/tables";
    return client.call(new AirtableRequest(Operation.METADATA, HttpMethod.GET, baseId, null, null, path, "", null));
  }

  @Override
  public long minRequestIntervalMs(String baseId) {
    return (long) Math.ceil(1000.0 / options.requestsPerSecondPerBase());
  }

  @Override
  public Future<java.util.Map<String, java.util.Set<String>>> tableFields(String baseId) {
    return tablesSchema(baseId).map(json -> {
      java.util.Map<String, java.util.Set<String>> out = new java.util.LinkedHashMap<>();
      for (Object t : json.getJsonArray("tables", new JsonArray())) {
        if (!(t instanceof JsonObject table)) continue;
        java.util.Set<String> fields = new java.util.LinkedHashSet<>();
        for (Object f : table.getJsonArray("fields", new JsonArray())) {
          if (f instanceof JsonObject field && field.getString("name") != null) fields.add(field.getString("name"));
        }
        out.put(table.getString("name"), fields);
      }
      return out;
    });
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }

  private static Future<Void> checkBatch(String baseId, String table, int size) {
    if (size <= MAX_BATCH) return null;
    return Future.failedFuture(new StoreException(Kind.INVALID_REQUEST, "A write to table \"" + table + "\" of base "
        + baseId + " takes at most " + MAX_BATCH + " records, got " + size));
  }

  private static List<Record> records(JsonObject json) {
    JsonArray arr = json.getJsonArray("records", new JsonArray());
    List<Record> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) out.add(Record.fromJson(arr.getJsonObject(i)));
    return out;
  }

  private static List<String> strings(JsonArray arr) {
    List<String> out = new ArrayList<>();
    if (arr != null) for (int i = 0; i < arr.size(); i++) out.add(arr.getString(i));
    return out;
  }

  static String tablePath(String baseId, String table) {
    return "/v0/" + encode(baseId) + "/" + encode(table);
  }

  static String listQueryString(ListQuery q, String formula) {
    List<String> parts = new ArrayList<>();
    parts.add("pageSize=" + q.pageSize());
    if (q.offset() != null) parts.add("offset=" + encode(q.offset()));
    if (q.maxRecords() != null) parts.add("maxRecords=" + q.maxRecords());
    if (q.view() != null) parts.add("view=" + encode(q.view()));
    if (formula != null) parts.add("filterByFormula=" + encode(formula));
    for (String f : q.fields()) parts.add(encode("fields[]") + "=" + encode(f));
    for (int i = 0; i < q.sort().size(); i++) {
      Sort s = q.sort().get(i);
      parts.add(encode("sort[" + i + "][field]") + "=" + encode(s.field()));
      parts.add(encode("sort[" + i + "][direction]") + "=" + (s.descending() ? "desc" : "asc"));
    }
    return String.join("&", parts);
  }

  static JsonObject listBody(ListQuery q, String formula) {
    JsonObject body = new JsonObject().put("pageSize", q.pageSize());
    if (q.offset() != null) body.put("offset", q.offset());
    if (q.maxRecords() != null) body.put("maxRecords", q.maxRecords());
    if (q.view() != null) body.put("view", q.view());
    if (formula != null) body.put("filterByFormula", formula);
    if (!q.fields().isEmpty()) body.put("fields", new JsonArray(new ArrayList<>(q.fields())));
    if (!q.sort().isEmpty()) {
      JsonArray sort = new JsonArray();
      for (Sort s : q.sort()) sort.add(new JsonObject().put("field", s.field()).put("direction", s.descending() ? "desc" : "asc"));
      body.put("sort", sort);
    }
    return body;
  }

  /** Percent-encoding for a path segment or query component (space as %20, not '+'). */
  static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
