package pbwebhook.fakes;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An in-process Airtable: bearer auth, the records API (list by GET and by POST listRecords, get, create,
 * update, upsert), the metadata tables endpoint, formula filtering, 10-record writes and 100-record pages,
 * 422 on unknown fields, expiring list offsets, and a per-base rolling one-second rate limit that answers
 * 429 and holds the base in a penalty box. Switches inject 429s, 503s and the billing-plan 429.
 * Thread-safe: tests seed and inspect it from their own thread while the server runs on an event loop.
 */
public final class FakeAirtable {

  public static final int DEFAULT_RATE_LIMIT = 5;
  public static final long DEFAULT_PENALTY_MS = 30_000;
  public static final long DEFAULT_OFFSET_TTL_MS = 300_000;
  public static final int MAX_URL_LENGTH = 16_000;
  private static final String ARRIVED_AT = "fake.arrivedAt";

  private static final DateTimeFormatter CREATED_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private final Vertx vertx;
  private final String apiKey;
  private final SecureRandom random = new SecureRandom();
  private HttpServer server;
  private int port;

  private final Map<String, Map<String, Table>> bases = new HashMap<>();
  private final Set<String> forbiddenBases = new HashSet<>();
  private final Map<String, ListIterator> iterators = new HashMap<>();

  private int rateLimit = DEFAULT_RATE_LIMIT;
  private long penaltyMs = DEFAULT_PENALTY_MS;
  private long offsetTtlMs = DEFAULT_OFFSET_TTL_MS;
  private boolean enforceRateLimit = true;

  private int inject429;
  private int inject503;
  private int injectBillingLimit;
  private int injectExpiredOffsets;
  private int injectHangs;

  private static final String ALL_BASES = "*";
  private final Map<String, List<Long>> arrivals = new HashMap<>();
  private final Map<String, Long> penaltyUntil = new HashMap<>();
  private final Map<String, Integer> requestsPerBase = new HashMap<>();
  private final Map<String, Integer> maxInWindowPerBase = new HashMap<>();
  private final List<String> requestLog = new ArrayList<>();
  private int rateLimited429sSent;
  private int injected429sSent;
  private int serverErrorsSent;
  private int billingLimitsSent;
  private int unauthorized;
  private int longestUri;
  private int writes;
  private int writesWithoutTypecast;

  private final Map<String, Integer> unknownFieldAnswers = new HashMap<>();

  public FakeAirtable(Vertx vertx, String apiKey) {
    this.vertx = vertx;
    this.apiKey = apiKey;
  }

  /** Starts on 127.0.0.1 at a free port; the future gives the port. */
  public Future<Integer> start() {
    Router router = Router.router(vertx);
    // Arrival is when the request line and headers are in, before the body is read: Airtable counts
    // requests as they reach it, and a slow body read here must not make two requests look closer.
    router.route().handler(ctx -> {
      ctx.put(ARRIVED_AT, System.nanoTime());
      ctx.next();
    });
    router.route().handler(BodyHandler.create().setBodyLimit(10_000_000));
    router.route("/v0/*").handler(this::gate);
    router.get("/v0/meta/bases/:baseId/tables").handler(this::tables);
    router.post("/v0/meta/bases").handler(this::createBaseRequest);
    router.post("/v0/meta/bases/:baseId/tables").handler(this::createTableRequest);
    router.post("/v0/meta/bases/:baseId/tables/:tableIdOrName/fields").handler(this::createFieldRequest);
    router.get("/v0/:baseId/:table").handler(ctx -> list(ctx, queryParams(ctx.queryParams())));
    router.post("/v0/:baseId/:table/listRecords").handler(ctx -> list(ctx, bodyParams(ctx)));
    router.get("/v0/:baseId/:table/:recordId").handler(this::getRecord);
    router.post("/v0/:baseId/:table").handler(this::create);
    router.patch("/v0/:baseId/:table").handler(this::patch);
    router.route().last().handler(ctx -> error(ctx, 404, "NOT_FOUND", null));
    // Airtable accepts URLs up to 16,000 characters; Netty's default initial line is 4,096.
    HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0)
        .setMaxInitialLineLength(64 * 1024);
    return vertx.createHttpServer(options).requestHandler(router).listen().map(s -> {
      server = s;
      port = s.actualPort();
      return port;
    });
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int port() { return port; }

  public String url() { return "http://127.0.0.1:" + port; }

  // ---- set-up by tests ----

  /** A table accepting only the given fields; an empty set accepts any field. Creates the base if needed. */
  public synchronized void createTable(String baseId, String table, Set<String> fieldNames) {
    bases.computeIfAbsent(baseId, k -> new LinkedHashMap<>()).put(table, new Table(table, fieldNames));
  }

  public synchronized void createBase(String baseId) {
    bases.computeIfAbsent(baseId, k -> new LinkedHashMap<>());
  }

  /** A view of the table showing the records that match the formula (a view's own filter, as set in Airtable). */
  public synchronized void createView(String baseId, String table, String view, String formula) {
    table(baseId, table).views.put(view, FakeFormula.parse(formula));
  }

  /** The token has no access to this base: every request answers 403. */
  public synchronized void forbidBase(String baseId) { forbiddenBases.add(baseId); }

  /** Values of this field must be numbers (or text holding one); anything else answers 422 INVALID_VALUE_FOR_COLUMN. */
  public synchronized void numberField(String baseId, String table, String field) {
    table(baseId, table).numberFields.add(field);
  }

  /** Stores a record directly, without a request; returns its id. */
  public synchronized String insert(String baseId, String table, JsonObject fields) {
    return table(baseId, table).add(fields.copy(), newId("rec")).id;
  }

  public synchronized List<JsonObject> records(String baseId, String table) {
    List<JsonObject> out = new ArrayList<>();
    for (Rec r : table(baseId, table).records.values()) out.add(r.toJson(null));
    return out;
  }

  public synchronized void rateLimit(int perSecond) { this.rateLimit = perSecond; }

  public synchronized void enforceRateLimit(boolean on) { this.enforceRateLimit = on; }

  public synchronized void penaltyMillis(long ms) { this.penaltyMs = ms; }

  public synchronized void offsetTtlMillis(long ms) { this.offsetTtlMs = ms; }

  /** Forgets every listing iterator, as Airtable does after a while. */
  public synchronized void expireOffsets() { iterators.clear(); }

  /** The next n requests answer 429 RATE_LIMIT_REACHED and put their base in the penalty box. */
  public synchronized void inject429s(int n) { inject429 = n; }

  /** The next n requests answer 503. */
  public synchronized void inject503s(int n) { inject503 = n; }

  /** The next n listings that present an offset find it expired. */
  public synchronized void injectExpiredOffsets(int n) { injectExpiredOffsets = n; }

  /** The next n requests are never answered (the client's timeout must act). */
  public synchronized void injectHangs(int n) { injectHangs = n; }

  /** The next n requests answer 429 PUBLIC_API_BILLING_LIMIT_EXCEEDED. */
  public synchronized void injectBillingLimit(int n) { injectBillingLimit = n; }

  // ---- counters ----

  /** How many 422 UNKNOWN_FIELD_NAME answers named each field. */
  public synchronized Map<String, Integer> unknownFieldAnswers() { return Map.copyOf(unknownFieldAnswers); }

  public synchronized int requests(String baseId) { return requestsPerBase.getOrDefault(baseId, 0); }

  public synchronized int totalRequests() { return requestLog.size(); }

  /** 429 RATE_LIMIT_REACHED answers sent because the client went over the limit or into the penalty box. */
  public synchronized int rateLimited429s() { return rateLimited429sSent; }

  /** Every 429 RATE_LIMIT_REACHED answer, injected or earned. */
  public synchronized int all429s() { return rateLimited429sSent + injected429sSent; }

  public synchronized int serverErrorsSent() { return serverErrorsSent; }

  public synchronized int billingLimitsSent() { return billingLimitsSent; }

  public synchronized int unauthorized() { return unauthorized; }

  /** Most requests that arrived for the base within any one second. */
  public synchronized int maxRequestsInAnySecond(String baseId) { return maxInWindowPerBase.getOrDefault(baseId, 0); }

  /** Most requests that arrived, all bases together, within any one second. */
  public synchronized int maxRequestsInAnySecond() { return maxInWindowPerBase.getOrDefault(ALL_BASES, 0); }

  public synchronized int longestUri() { return longestUri; }

  /** Create, update and upsert requests that reached a table. */
  public synchronized int writes() { return writes; }

  /** Writes that did not ask for {@code typecast}, so a new select option would have been refused. */
  public synchronized int writesWithoutTypecast() { return writesWithoutTypecast; }

  /** "METHOD /path" of every authenticated request, in arrival order. */
  public synchronized List<String> requestLog() { return List.copyOf(requestLog); }

  // ---- request handling ----

  /** Auth, counters, injected failures, rate limit and penalty box; runs before every route. */
  private void gate(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    synchronized (this) {
      if (auth == null || !auth.equals("Bearer " + apiKey)) {
        unauthorized++;
        error(ctx, 401, "AUTHENTICATION_REQUIRED", "Authentication required");
        return;
      }
      String path = ctx.request().path();
      String[] seg = path.split("/");
      String baseId = path.startsWith("/v0/meta/bases/") ? (seg.length > 4 ? seg[4] : "") : (seg.length > 2 ? seg[2] : "");
      requestLog.add(ctx.request().method().name() + " " + path);
      requestsPerBase.merge(baseId, 1, Integer::sum);
      longestUri = Math.max(longestUri, ctx.request().uri().length());
      long now = ctx.<Long>get(ARRIVED_AT);
      int inWindow = arrive(baseId, now);
      arrive(ALL_BASES, now);

      if (injectHangs > 0) {
        injectHangs--;
        return;
      }
      if (injectBillingLimit > 0) {
        injectBillingLimit--;
        billingLimitsSent++;
        error(ctx, 429, "PUBLIC_API_BILLING_LIMIT_EXCEEDED",
            "API billing plan limit exceeded. You have reached the maximum number of requests allowed this month");
        return;
      }
      if (inject429 > 0) {
        inject429--;
        injected429sSent++;
        penaltyUntil.put(baseId, now + penaltyMs * 1_000_000L);
        rateLimit(ctx);
        return;
      }
      if (inject503 > 0) {
        inject503--;
        serverErrorsSent++;
        ctx.response().setStatusCode(503).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("error", new JsonObject().put("type", "SERVICE_UNAVAILABLE")
                .put("message", "Service temporarily unavailable")).encode());
        return;
      }
      if (enforceRateLimit) {
        Long until = penaltyUntil.get(baseId);
        if (until != null && until > now) {
          rateLimited429sSent++;
          rateLimit(ctx);
          return;
        }
        if (inWindow > rateLimit) {
          if (Boolean.getBoolean("fake.debug")) {
            String kind = ctx.body() != null && ctx.body().asString() != null && ctx.body().asString().contains("performUpsert") ? "upsert" : "other";
            System.err.println("429 " + baseId + " " + ctx.request().method() + " " + kind + " at " + now / 1_000_000 + " window "
                + arrivals.get(baseId).stream().map(t -> (t - now) / 1_000_000).toList());
          }
          rateLimited429sSent++;
          penaltyUntil.put(baseId, now + penaltyMs * 1_000_000L);
          rateLimit(ctx);
          return;
        }
      }
      if (ctx.request().uri().length() > MAX_URL_LENGTH) {
        error(ctx, 414, "INVALID_REQUEST_URI_TOO_LONG", "URL is longer than " + MAX_URL_LENGTH + " characters");
        return;
      }
      if (forbiddenBases.contains(baseId)) {
        error(ctx, 403, "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
            "Invalid permissions, or the requested model was not found. Check that both your user and your token have the required permissions, and that the model names and/or ids are correct.");
        return;
      }
      if (!bases.containsKey(baseId) && !path.equals("/v0/meta/bases")) {
        ctx.response().setStatusCode(404).putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("error", "NOT_FOUND").encode());
        return;
      }
    }
    ctx.next();
  }

  /**
   * Records an arrival and answers the most arrivals in any one-second window containing it. Requests on
   * different connections reach this point out of arrival order, so arrivals are kept sorted and every
   * window around the new one is checked, not just the one ending at it.
   */
  private int arrive(String key, long at) {
    List<Long> times = arrivals.computeIfAbsent(key, k -> new ArrayList<>());
    long second = 1_000_000_000L;
    times.removeIf(t -> t < at - 2 * second);
    int pos = 0;
    while (pos < times.size() && times.get(pos) <= at) pos++;
    times.add(pos, at);
    int most = 0;
    for (long start : times) {
      if (start <= at - second || start > at) continue;
      int n = 0;
      for (long t : times) if (t >= start && t < start + second) n++;
      most = Math.max(most, n);
    }
    maxInWindowPerBase.merge(key, most, Math::max);
    return most;
  }

  private static void rateLimit(RoutingContext ctx) {
    ctx.response().setStatusCode(429).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("errors", new JsonArray().add(new JsonObject().put("error", "RATE_LIMIT_REACHED")
            .put("message", "Rate limit exceeded. Please try again later"))).encode());
  }

  private synchronized void tables(RoutingContext ctx) {
    JsonArray tables = new JsonArray();
    for (Table t : bases.get(ctx.pathParam("baseId")).values()) {
      JsonArray fields = new JsonArray();
      Set<String> names = new LinkedHashSet<>(t.fields);
      if (names.isEmpty()) for (Rec r : t.records.values()) names.addAll(r.fields.fieldNames());
      for (String n : names) {
        JsonObject declared = t.fieldDefs.get(n);
        fields.add(declared != null ? declared.copy() : new JsonObject().put("id", "fld" + Math.abs(n.hashCode())).put("name", n)
            .put("type", t.numberFields.contains(n) ? "number" : "singleLineText"));
      }
      tables.add(new JsonObject().put("id", t.id).put("name", t.name)
          .put("primaryFieldId", fields.isEmpty() ? null : fields.getJsonObject(0).getString("id"))
          .put("fields", fields));
    }
    json(ctx, 200, new JsonObject().put("tables", tables));
  }

  // ---- metadata writes (POST /v0/meta/bases, …/tables, …/tables/{table}/fields), with Airtable's validation ----

  private final Set<String> workspaces = new HashSet<>();

  /** A workspace the token may create bases in. */
  public synchronized void createWorkspace(String workspaceId) { workspaces.add(workspaceId); }

  /** The field definitions of a table (as the metadata API lists them): name → {id, name, type, options}. */
  public synchronized Map<String, JsonObject> fieldDefinitions(String baseId, String table) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    table(baseId, table).fieldDefs.forEach((k, v) -> out.put(k, v.copy()));
    return out;
  }

  public synchronized Set<String> tableNames(String baseId) {
    return new LinkedHashSet<>(bases.getOrDefault(baseId, Map.of()).keySet());
  }

  private static final Set<String> PLAIN_TYPES = Set.of("singleLineText", "multilineText", "email", "url",
      "phoneNumber", "richText");
  private static final Set<String> PRIMARY_TYPES = Set.of("singleLineText", "multilineText", "email", "url",
      "phoneNumber", "number", "date", "dateTime", "currency", "percent", "autoNumber", "barcode", "formula");
  private static final Set<String> CHECKBOX_ICONS = Set.of("check", "xCheckbox", "star", "heart", "thumbsUp", "flag", "dot");
  private static final Set<String> COLORS = Set.of("greenBright", "tealBright", "cyanBright", "blueBright",
      "purpleBright", "pinkBright", "redBright", "orangeBright", "yellowBright", "grayBright");
  private static final Set<String> DATE_FORMATS = Set.of("local", "friendly", "us", "european", "iso");

  private static boolean in(Set<String> set, String value) { return value != null && set.contains(value); }

  /** Why Airtable would refuse this field definition, or null when it is valid. */
  static String invalidField(JsonObject f) {
    Object name = f.getValue("name");
    if (!(name instanceof String n) || n.isBlank()) return "DUPLICATE_OR_EMPTY_FIELD_NAME:Field name cannot be empty";
    String type = f.getString("type");
    JsonObject o = f.getValue("options") instanceof JsonObject opts ? opts : null;
    String bad = "INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE:Invalid options for field \"" + n + "\" of type " + type;
    if (type == null) return "INVALID_FIELD_TYPE:Field \"" + n + "\" needs a type";
    if (in(PLAIN_TYPES, type)) return o == null || o.isEmpty() ? null : bad + ": this type takes no options";
    switch (type) {
      case "number", "percent" -> {
        Integer p = o == null || !(o.getValue("precision") instanceof Integer i) ? null : i;
        return p != null && p >= 0 && p <= 8 ? null : bad + ": options.precision (0-8) is required";
      }
      case "checkbox" -> {
        return o != null && in(CHECKBOX_ICONS, o.getString("icon")) && in(COLORS, o.getString("color")) ? null
            : bad + ": options.icon and options.color are required";
      }
      case "date" -> {
        return o != null && o.getValue("dateFormat") instanceof JsonObject d && in(DATE_FORMATS, d.getString("name"))
            ? null : bad + ": options.dateFormat.name is required";
      }
      case "dateTime" -> {
        boolean ok = o != null && o.getValue("dateFormat") instanceof JsonObject d && in(DATE_FORMATS, d.getString("name"))
            && o.getValue("timeFormat") instanceof JsonObject t && in(Set.of("12hour", "24hour"), t.getString("name"))
            && o.getValue("timeZone") instanceof String;
        return ok ? null : bad + ": options.dateFormat, options.timeFormat and options.timeZone are required";
      }
      case "singleSelect", "multipleSelects" -> {
        if (o == null || !(o.getValue("choices") instanceof JsonArray choices)) return bad + ": options.choices is required";
        for (Object c : choices) {
          if (!(c instanceof JsonObject choice) || choice.getString("name") == null) return bad + ": every choice needs a name";
        }
        return null;
      }
      default -> {
        return "INVALID_FIELD_TYPE:Unsupported field type for create: " + type;
      }
    }
  }

  /** Validates a table definition against the base's existing tables; the error answered, or null. */
  private static String invalidTable(JsonObject t, Map<String, Table> existing) {
    Object name = t.getValue("name");
    if (!(name instanceof String n) || n.isBlank()) return "INVALID_TABLE_NAME:Table name cannot be empty";
    for (String other : existing.keySet()) {
      if (other.equalsIgnoreCase(n)) return "DUPLICATE_TABLE_NAME:Table name \"" + n + "\" already exists";
    }
    if (!(t.getValue("fields") instanceof JsonArray fields) || fields.isEmpty()) {
      return "INVALID_REQUEST_UNKNOWN:Table \"" + n + "\" needs at least one field";
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < fields.size(); i++) {
      if (!(fields.getValue(i) instanceof JsonObject f)) return "INVALID_REQUEST_UNKNOWN:fields must be objects";
      String why = invalidField(f);
      if (why != null) return why;
      if (!seen.add(f.getString("name").toLowerCase())) {
        return "DUPLICATE_OR_EMPTY_FIELD_NAME:Duplicate field name \"" + f.getString("name") + "\"";
      }
      if (i == 0 && !in(PRIMARY_TYPES, f.getString("type"))) {
        return "INVALID_FIELD_TYPE_FOR_PRIMARY:Field type " + f.getString("type") + " cannot be the primary field";
      }
    }
    return null;
  }

  private Table addTable(Map<String, Table> base, JsonObject def) {
    Table t = new Table(def.getString("name"), Set.of());
    base.put(t.name, t);
    for (Object o : def.getJsonArray("fields")) addField(t, (JsonObject) o);
    return t;
  }

  private JsonObject addField(Table t, JsonObject def) {
    JsonObject f = new JsonObject().put("id", newId("fld")).put("name", def.getString("name")).put("type", def.getString("type"));
    if (def.getValue("options") instanceof JsonObject o) f.put("options", o.copy());
    t.fields.add(f.getString("name"));
    t.fieldDefs.put(f.getString("name"), f);
    if (Set.of("number", "percent", "currency").contains(f.getString("type"))) t.numberFields.add(f.getString("name"));
    return f;
  }

  private JsonObject tableJson(Table t) {
    JsonArray fields = new JsonArray();
    t.fieldDefs.values().forEach(f -> fields.add(f.copy()));
    return new JsonObject().put("id", t.id).put("name", t.name)
        .put("primaryFieldId", fields.isEmpty() ? null : fields.getJsonObject(0).getString("id")).put("fields", fields);
  }

  private static void refuse(RoutingContext ctx, String why) {
    int colon = why.indexOf(':');
    error(ctx, 422, why.substring(0, colon), why.substring(colon + 1));
  }

  private synchronized void createBaseRequest(RoutingContext ctx) {
    JsonObject body = bodyOrFail(ctx);
    if (body == null) return;
    if (!(body.getValue("name") instanceof String name) || name.isBlank()) {
      refuse(ctx, "INVALID_REQUEST_UNKNOWN:Base name cannot be empty");
      return;
    }
    if (!workspaces.contains(body.getString("workspaceId", ""))) {
      error(ctx, 404, "NOT_FOUND", "Could not find workspace " + body.getValue("workspaceId"));
      return;
    }
    if (!(body.getValue("tables") instanceof JsonArray tables) || tables.isEmpty()) {
      refuse(ctx, "INVALID_REQUEST_UNKNOWN:A base needs at least one table");
      return;
    }
    Map<String, Table> base = new LinkedHashMap<>();
    for (Object o : tables) {
      if (!(o instanceof JsonObject def)) {
        refuse(ctx, "INVALID_REQUEST_UNKNOWN:tables must be objects");
        return;
      }
      String why = invalidTable(def, base);
      if (why != null) {
        refuse(ctx, why);
        return;
      }
      addTable(base, def);
    }
    String id = newId("app");
    bases.put(id, base);
    JsonArray out = new JsonArray();
    base.values().forEach(t -> out.add(tableJson(t)));
    json(ctx, 200, new JsonObject().put("id", id).put("tables", out));
  }

  private synchronized void createTableRequest(RoutingContext ctx) {
    JsonObject body = bodyOrFail(ctx);
    if (body == null) return;
    Map<String, Table> base = bases.get(ctx.pathParam("baseId"));
    String why = invalidTable(body, base);
    if (why != null) {
      refuse(ctx, why);
      return;
    }
    json(ctx, 200, tableJson(addTable(base, body)));
  }

  private synchronized void createFieldRequest(RoutingContext ctx) {
    JsonObject body = bodyOrFail(ctx);
    if (body == null) return;
    String key = ctx.pathParam("tableIdOrName");
    Table t = null;
    for (Table candidate : bases.get(ctx.pathParam("baseId")).values()) {
      if (candidate.id.equals(key) || candidate.name.equals(key)) t = candidate;
    }
    if (t == null) {
      error(ctx, 404, "TABLE_NOT_FOUND", "Could not find table " + key);
      return;
    }
    String why = invalidField(body);
    if (why == null) {
      for (String existing : t.fields) {
        if (existing.equalsIgnoreCase(body.getString("name"))) {
          why = "DUPLICATE_OR_EMPTY_FIELD_NAME:Field name \"" + body.getString("name") + "\" already exists";
        }
      }
    }
    if (why != null) {
      refuse(ctx, why);
      return;
    }
    json(ctx, 200, addField(t, body));
  }

  /** The list parameters, whether they came in the query string or the listRecords body. */
  private record ListParams(Integer pageSize, String offset, Integer maxRecords, String formula, List<String> fields,
                            List<String[]> sort, String view) {}

  private static ListParams queryParams(MultiMap q) {
    List<String[]> sort = new ArrayList<>();
    for (int i = 0; q.contains("sort[" + i + "][field]"); i++) {
      sort.add(new String[] {q.get("sort[" + i + "][field]"), q.get("sort[" + i + "][direction]")});
    }
    return new ListParams(intOrNull(q.get("pageSize")), q.get("offset"), intOrNull(q.get("maxRecords")),
        q.get("filterByFormula"), q.getAll("fields[]"), sort, q.get("view"));
  }

  private static ListParams bodyParams(RoutingContext ctx) {
    JsonObject b = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
    List<String[]> sort = new ArrayList<>();
    JsonArray s = b.getJsonArray("sort", new JsonArray());
    for (int i = 0; i < s.size(); i++) {
      sort.add(new String[] {s.getJsonObject(i).getString("field"), s.getJsonObject(i).getString("direction")});
    }
    List<String> fields = new ArrayList<>();
    for (Object f : b.getJsonArray("fields", new JsonArray())) fields.add(String.valueOf(f));
    return new ListParams(b.getInteger("pageSize"), b.getString("offset"), b.getInteger("maxRecords"),
        b.getString("filterByFormula"), fields, sort, b.getString("view"));
  }

  private static Integer intOrNull(String s) {
    if (s == null) return null;
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private synchronized void list(RoutingContext ctx, ListParams p) {
    Table t = tableOrFail(ctx);
    if (t == null) return;
    int pageSize = p.pageSize() == null ? 100 : p.pageSize();
    if (pageSize < 1 || pageSize > 100) {
      error(ctx, 422, "INVALID_REQUEST_UNKNOWN", "Invalid pageSize " + pageSize + ": it must be between 1 and 100");
      return;
    }
    for (String f : p.fields()) if (!t.knows(f)) { unknownField(ctx, f); return; }
    for (String[] s : p.sort()) if (!t.knows(s[0])) { unknownField(ctx, s[0]); return; }

    ListIterator it;
    if (p.offset() != null) {
      it = iterators.get(p.offset());
      if (injectExpiredOffsets > 0) {
        injectExpiredOffsets--;
        it = null;
      }
      if (it == null || System.nanoTime() - it.createdAt > offsetTtlMs * 1_000_000L || !it.table.equals(t)) {
        iterators.remove(p.offset());
        error(ctx, 422, "LIST_RECORDS_ITERATOR_NOT_AVAILABLE", "Iterator not available: the offset expired or is invalid");
        return;
      }
      iterators.remove(p.offset());
    } else {
      FakeFormula formula = null;
      if (p.formula() != null && !p.formula().isBlank()) {
        try {
          formula = FakeFormula.parse(p.formula());
        } catch (FakeFormula.SyntaxError | NumberFormatException e) {
          error(ctx, 422, "INVALID_FILTER_BY_FORMULA",
              "The formula for filtering records is invalid: Invalid formula. Please check your formula text.");
          return;
        }
        List<String> unknown = formula.fieldRefs().stream().filter(f -> !t.knows(f)).toList();
        if (!unknown.isEmpty()) {
          error(ctx, 422, "INVALID_FILTER_BY_FORMULA",
              "The formula for filtering records is invalid: Unknown field names: " + String.join(", ", unknown));
          return;
        }
      }
      FakeFormula viewFilter = null;
      if (p.view() != null) {
        if (!t.views.containsKey(p.view())) {
          error(ctx, 422, "VIEW_NAME_NOT_FOUND", "Could not find view " + p.view() + " in table " + t.name);
          return;
        }
        viewFilter = t.views.get(p.view());
      }
      List<Rec> matching = new ArrayList<>();
      for (Rec r : t.records.values()) {
        if ((formula == null || formula.matches(r.fields)) && (viewFilter == null || viewFilter.matches(r.fields))) {
          matching.add(r);
        }
      }
      if (!p.sort().isEmpty()) matching.sort(comparator(p.sort()));
      if (p.maxRecords() != null && p.maxRecords() > 0 && matching.size() > p.maxRecords()) {
        matching = matching.subList(0, p.maxRecords());
      }
      List<String> ids = new ArrayList<>();
      for (Rec r : matching) ids.add(r.id);
      it = new ListIterator(t, ids, 0, System.nanoTime(), p.fields());
    }

    JsonArray page = new JsonArray();
    int pos = it.position;
    while (pos < it.ids.size() && page.size() < pageSize) {
      Rec r = t.records.get(it.ids.get(pos++));
      if (r != null) page.add(r.toJson(it.fields.isEmpty() ? null : it.fields));
    }
    JsonObject out = new JsonObject().put("records", page);
    if (pos < it.ids.size()) {
      String offset = newId("itr") + "/" + it.ids.get(pos);
      iterators.put(offset, new ListIterator(t, it.ids, pos, it.createdAt, it.fields));
      out.put("offset", offset);
    }
    json(ctx, 200, out);
  }

  private static Comparator<Rec> comparator(List<String[]> sort) {
    Comparator<Rec> c = null;
    for (String[] s : sort) {
      String field = s[0];
      boolean desc = "desc".equalsIgnoreCase(s[1]);
      Comparator<Rec> one = (a, b) -> compareValues(a.fields.getValue(field), b.fields.getValue(field));
      if (desc) one = one.reversed();
      c = c == null ? one : c.thenComparing(one);
    }
    return c;
  }

  /** Blanks first, numbers by value, text case-insensitively. */
  private static int compareValues(Object a, Object b) {
    if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
    if (a instanceof Number x && b instanceof Number y) return Double.compare(x.doubleValue(), y.doubleValue());
    return String.valueOf(a).compareToIgnoreCase(String.valueOf(b));
  }

  private synchronized void getRecord(RoutingContext ctx) {
    Table t = tableOrFail(ctx);
    if (t == null) return;
    Rec r = t.records.get(ctx.pathParam("recordId"));
    if (r == null) {
      json(ctx, 404, new JsonObject().put("error", "NOT_FOUND"));
      return;
    }
    json(ctx, 200, r.toJson(null));
  }

  private synchronized void create(RoutingContext ctx) {
    Table t = tableOrFail(ctx);
    if (t == null) return;
    JsonObject body = bodyOrFail(ctx);
    if (body == null) return;
    writes++;
    if (!Boolean.TRUE.equals(body.getValue("typecast"))) writesWithoutTypecast++;
    boolean single = !body.containsKey("records") && body.containsKey("fields");
    JsonArray in = single ? new JsonArray().add(new JsonObject().put("fields", body.getJsonObject("fields")))
        : body.getJsonArray("records", new JsonArray());
    if (!validWrite(ctx, t, in)) return;
    JsonArray out = new JsonArray();
    for (int i = 0; i < in.size(); i++) out.add(t.add(clean(in.getJsonObject(i).getJsonObject("fields")), newId("rec")).toJson(null));
    json(ctx, 200, single ? out.getJsonObject(0) : new JsonObject().put("records", out));
  }

  private synchronized void patch(RoutingContext ctx) {
    Table t = tableOrFail(ctx);
    if (t == null) return;
    JsonObject body = bodyOrFail(ctx);
    if (body == null) return;
    writes++;
    if (!Boolean.TRUE.equals(body.getValue("typecast"))) writesWithoutTypecast++;
    JsonArray in = body.getJsonArray("records", new JsonArray());
    if (!validWrite(ctx, t, in)) return;
    JsonObject upsert = body.getJsonObject("performUpsert");
    if (upsert == null) {
      for (int i = 0; i < in.size(); i++) {
        String id = in.getJsonObject(i).getString("id");
        if (id == null || !t.records.containsKey(id)) {
          error(ctx, 404, "MODEL_ID_NOT_FOUND", "Record ID " + id + " does not exist in this table");
          return;
        }
      }
      JsonArray out = new JsonArray();
      for (int i = 0; i < in.size(); i++) {
        JsonObject r = in.getJsonObject(i);
        out.add(t.patch(t.records.get(r.getString("id")), r.getJsonObject("fields")).toJson(null));
      }
      json(ctx, 200, new JsonObject().put("records", out));
      return;
    }
    List<String> mergeOn = new ArrayList<>();
    for (Object o : upsert.getJsonArray("fieldsToMergeOn", new JsonArray())) mergeOn.add(String.valueOf(o));
    if (mergeOn.isEmpty() || mergeOn.size() > 3) {
      error(ctx, 422, "INVALID_REQUEST_UNKNOWN", "fieldsToMergeOn must name 1 to 3 fields");
      return;
    }
    for (String m : mergeOn) if (!t.knows(m)) { unknownField(ctx, m); return; }
    // Validate every record before writing any: Airtable applies a request entirely or not at all.
    List<Rec> targets = new ArrayList<>();
    for (int i = 0; i < in.size(); i++) {
      JsonObject fields = in.getJsonObject(i).getJsonObject("fields", new JsonObject());
      for (String m : mergeOn) {
        if (fields.getValue(m) == null) {
          error(ctx, 422, "INVALID_VALUE_FOR_COLUMN", "Field \"" + m + "\" is used for merging and must have a value");
          return;
        }
      }
      List<Rec> matches = new ArrayList<>();
      for (Rec r : t.records.values()) {
        if (sameMergeValues(mergeOn, fields, r.fields)) matches.add(r);
      }
      if (matches.size() > 1) {
        error(ctx, 422, "INVALID_RECORDS", "More than one record matches the merge fields " + mergeOn);
        return;
      }
      targets.add(matches.isEmpty() ? null : matches.get(0));
    }
    JsonArray out = new JsonArray();
    JsonArray created = new JsonArray();
    JsonArray updated = new JsonArray();
    for (int i = 0; i < in.size(); i++) {
      JsonObject fields = in.getJsonObject(i).getJsonObject("fields", new JsonObject());
      Rec target = targets.get(i);
      if (target == null) {
        // A later record in the same request may match one created by an earlier one.
        for (Rec r : t.records.values()) if (sameMergeValues(mergeOn, fields, r.fields)) target = r;
      }
      if (target == null) {
        Rec r = t.add(clean(fields), newId("rec"));
        created.add(r.id);
        out.add(r.toJson(null));
      } else {
        t.patch(target, fields);
        if (!created.contains(target.id) && !updated.contains(target.id)) updated.add(target.id);
        out.add(target.toJson(null));
      }
    }
    json(ctx, 200, new JsonObject().put("records", out).put("createdRecords", created).put("updatedRecords", updated));
  }

  private static boolean sameMergeValues(List<String> mergeOn, JsonObject a, JsonObject b) {
    for (String m : mergeOn) {
      Object x = a.getValue(m);
      Object y = b.getValue(m);
      if (x == null || y == null || !String.valueOf(x).equals(String.valueOf(y))) return false;
    }
    return true;
  }

  /** Airtable's write checks: 1 to 10 records, known fields, valid values. */
  private boolean validWrite(RoutingContext ctx, Table t, JsonArray records) {
    if (records.isEmpty() || records.size() > 10) {
      error(ctx, 422, "INVALID_RECORDS", "You must provide an array of up to 10 record objects");
      return false;
    }
    for (int i = 0; i < records.size(); i++) {
      JsonObject fields = records.getJsonObject(i).getJsonObject("fields");
      if (fields == null) {
        error(ctx, 422, "INVALID_RECORDS", "Each record must have a fields object");
        return false;
      }
      for (String f : fields.fieldNames()) {
        if (!t.knows(f)) {
          unknownField(ctx, f);
          return false;
        }
        Object v = fields.getValue(f);
        if (t.numberFields.contains(f) && v != null && !(v instanceof Number) && !isNumeric(v)) {
          error(ctx, 422, "INVALID_VALUE_FOR_COLUMN", "Field \"" + f + "\" cannot accept the provided value");
          return false;
        }
      }
    }
    return true;
  }

  private static boolean isNumeric(Object v) {
    try {
      Double.parseDouble(String.valueOf(v).trim());
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private Table tableOrFail(RoutingContext ctx) {
    Map<String, Table> base = bases.get(ctx.pathParam("baseId"));
    Table t = base == null ? null : base.get(ctx.pathParam("table"));
    if (t == null) {
      error(ctx, 404, "TABLE_NOT_FOUND", "Could not find table " + ctx.pathParam("table") + " in application "
          + ctx.pathParam("baseId"));
    }
    return t;
  }

  private static JsonObject bodyOrFail(RoutingContext ctx) {
    try {
      JsonObject b = ctx.body().asJsonObject();
      if (b != null) return b;
    } catch (RuntimeException e) {
      // answered below
    }
    error(ctx, 422, "INVALID_REQUEST_UNKNOWN", "Invalid request: parameter validation failed. Check your request data.");
    return null;
  }

  private void unknownField(RoutingContext ctx, String field) {
    synchronized (this) {
      unknownFieldAnswers.merge(field, 1, Integer::sum);
    }
    error(ctx, 422, "UNKNOWN_FIELD_NAME", "Unknown field name: \"" + field + "\"");
  }

  private static void error(RoutingContext ctx, int status, String type, String message) {
    JsonObject err = new JsonObject().put("type", type);
    if (message != null) err.put("message", message);
    json(ctx, status, new JsonObject().put("error", err));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }

  /** Null values clear a field; Airtable leaves empty fields out of records. */
  private static JsonObject clean(JsonObject fields) {
    JsonObject out = new JsonObject();
    if (fields != null) fields.forEach(e -> { if (e.getValue() != null) out.put(e.getKey(), e.getValue()); });
    return out;
  }

  private String newId(String prefix) {
    StringBuilder sb = new StringBuilder(prefix);
    for (int i = 0; i < 14; i++) sb.append(ALNUM.charAt(random.nextInt(ALNUM.length())));
    return sb.toString();
  }

  private Table table(String baseId, String table) {
    Map<String, Table> base = bases.get(baseId);
    Table t = base == null ? null : base.get(table);
    if (t == null) throw new IllegalArgumentException("No table " + table + " in fake base " + baseId);
    return t;
  }

  private final class Table {
    final String id = newId("tbl");
    final String name;
    final Set<String> fields;
    /** Fields created through the metadata API: {id, name, type, options}. */
    final Map<String, JsonObject> fieldDefs = new LinkedHashMap<>();
    final Set<String> numberFields = new HashSet<>();
    final LinkedHashMap<String, Rec> records = new LinkedHashMap<>();
    final Map<String, FakeFormula> views = new HashMap<>();

    Table(String name, Set<String> fields) {
      this.name = name;
      this.fields = fields == null ? new LinkedHashSet<>() : new LinkedHashSet<>(fields);
    }

    boolean knows(String field) { return fields.isEmpty() || fields.contains(field); }

    Rec add(JsonObject fields, String id) {
      Rec r = new Rec(id, CREATED_TIME.format(Instant.now()), fields);
      records.put(id, r);
      return r;
    }

    Rec patch(Rec r, JsonObject fields) {
      if (fields != null) {
        fields.forEach(e -> {
          if (e.getValue() == null) r.fields.remove(e.getKey());
          else r.fields.put(e.getKey(), e.getValue());
        });
      }
      return r;
    }
  }

  private record Rec(String id, String createdTime, JsonObject fields) {
    JsonObject toJson(List<String> only) {
      JsonObject f;
      if (only == null) {
        f = fields.copy();
      } else {
        f = new JsonObject();
        for (String n : only) if (fields.containsKey(n)) f.put(n, fields.getValue(n));
      }
      return new JsonObject().put("id", id).put("createdTime", createdTime).put("fields", f);
    }
  }

  private record ListIterator(Table table, List<String> ids, int position, long createdAt, List<String> fields) {}
}
