package pbwebhook.store.airtable;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import pbwebhook.store.StoreException;
import pbwebhook.store.StoreException.Kind;
import pbwebhook.store.UnknownFieldException;

/**
 * Turns an Airtable error answer into a {@link StoreException} whose message names the base, table, field
 * or value involved. Airtable answers errors as {@code {"error":"NOT_FOUND"}},
 * {@code {"error":{"type":..,"message":..}}} or {@code {"errors":[{"error":..,"message":..}]}}; all three are read.
 */
final class AirtableErrorMapper {

  static final String UNKNOWN_FIELD_NAME = "UNKNOWN_FIELD_NAME";
  static final String INVALID_VALUE_FOR_COLUMN = "INVALID_VALUE_FOR_COLUMN";
  static final String ITERATOR_NOT_AVAILABLE = "LIST_RECORDS_ITERATOR_NOT_AVAILABLE";
  static final String BILLING_LIMIT = "PUBLIC_API_BILLING_LIMIT_EXCEEDED";
  static final String INVALID_FILTER = "INVALID_FILTER_BY_FORMULA";
  /** Error types Airtable uses for a record id that does not exist in the table. */
  static final Set<String> ROW_MISSING = Set.of("ROW_DOES_NOT_EXIST", "MODEL_ID_NOT_FOUND");

  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern FIELD_WORD = Pattern.compile("(?i)field\\s+\"?([^\"]+?)\"?\\s+(?:cannot|can't|could)");
  private static final Pattern RECORD_ID = Pattern.compile("\\brec[A-Za-z0-9]{14}\\b");
  private static final Pattern UNKNOWN_IN_FORMULA = Pattern.compile("Unknown field names?: (.+)$");
  private static final int MAX_VALUE_CHARS = 200;

  private final String apiKey;

  AirtableErrorMapper(String apiKey) {
    this.apiKey = apiKey;
  }

  /** The error type (e.g. {@code UNKNOWN_FIELD_NAME}) and message of an error answer; either may be empty. */
  record AirtableError(String type, String message) {}

  static AirtableError parse(Buffer body) {
    if (body == null || body.length() == 0) return new AirtableError("", "");
    JsonObject json;
    try {
      json = body.toJsonObject();
    } catch (RuntimeException e) {
      return new AirtableError("", body.length() > 300 ? body.getString(0, 300) : body.toString());
    }
    Object error = json.getValue("error");
    if (error instanceof String s) return new AirtableError(s, json.getString("message", ""));
    if (error instanceof JsonObject o) return new AirtableError(o.getString("type", ""), o.getString("message", ""));
    JsonArray errors = json.getJsonArray("errors");
    if (errors != null && !errors.isEmpty() && errors.getValue(0) instanceof JsonObject first) {
      Object t = first.getValue("error", first.getValue("type", ""));
      return new AirtableError(String.valueOf(t), first.getString("message", ""));
    }
    return new AirtableError("", "");
  }

  StoreException map(AirtableRequest req, int status, Buffer body) {
    AirtableError err = parse(body);
    String type = err.type();
    String where = where(req);
    StoreException e;
    if (status == 422 && UNKNOWN_FIELD_NAME.equals(type)) {
      String field = firstQuoted(err.message());
      e = new UnknownFieldException(field, "Unknown field \"" + (field == null ? "?" : field) + "\" in " + where
          + " (" + type + ")");
    } else if (status == 422 && INVALID_FILTER.equals(type) && unknownInFormula(err.message()) != null) {
      e = new StoreException(Kind.INVALID_FIELD, "Unknown field \"" + unknownInFormula(err.message()) + "\" in "
          + where + " (" + type + ": " + err.message() + ")");
    } else if (status == 422 && INVALID_VALUE_FOR_COLUMN.equals(type)) {
      e = invalidValue(req, err, where);
    } else if (status == 422 && ITERATOR_NOT_AVAILABLE.equals(type)) {
      e = new OffsetExpiredException("Listing offset expired for " + where + " (" + type + "); restart the listing");
    } else if (status == 404 || ROW_MISSING.contains(type)) {
      String recordId = req.recordId() != null ? req.recordId() : recordIdIn(err.message());
      e = new StoreException(Kind.NOT_FOUND, recordId != null
          ? "Record " + recordId + " not found in " + where + " (" + orStatus(type, status) + ")"
          : "Base " + req.baseId() + (req.table() == null ? "" : " or its table \"" + req.table() + "\"")
              + " not found (" + orStatus(type, status) + ")");
    } else if (status == 403) {
      e = new StoreException(Kind.FORBIDDEN, "No access to base " + req.baseId()
          + (req.table() == null ? "" : " (table \"" + req.table() + "\")")
          + ": the token lacks permission or the base or table does not exist (" + orStatus(type, status) + ")");
    } else if (status == 401) {
      e = new StoreException(Kind.FORBIDDEN, "Airtable rejected the API token for base " + req.baseId() + " ("
          + orStatus(type, status) + ")");
    } else if (status == 429 && BILLING_LIMIT.equals(type)) {
      e = new StoreException(Kind.BILLING_LIMIT, "Airtable billing-plan API limit reached for base " + req.baseId()
          + " (" + type + "): no more API calls this month on this plan");
    } else if (status == 429) {
      e = new StoreException(Kind.RATE_LIMITED, "Airtable rate limit reached for base " + req.baseId() + " ("
          + orStatus(type, status) + ")");
    } else if (status >= 500) {
      e = new StoreException(Kind.UNAVAILABLE, "Airtable answered " + status + " for " + where
          + (type.isEmpty() ? "" : " (" + type + ")"));
    } else {
      e = new StoreException(Kind.INVALID_REQUEST, "Airtable rejected the request to " + where + ": "
          + orStatus(type, status) + (err.message().isEmpty() ? "" : ": " + err.message()));
    }
    return sanitized(e);
  }

  /** Names the field and, when the request body carries it, the value that was refused. */
  private StoreException invalidValue(AirtableRequest req, AirtableError err, String where) {
    String field = fieldOf(err.message());
    Object value = field == null ? null : valueInBody(req.body(), field);
    StringBuilder sb = new StringBuilder("Invalid value");
    if (value != null) sb.append(' ').append(quote(value));
    sb.append(" for field ").append(field == null ? "?" : "\"" + field + "\"").append(" in ").append(where);
    sb.append(" (").append(INVALID_VALUE_FOR_COLUMN);
    if (!err.message().isEmpty()) sb.append(": ").append(err.message());
    sb.append(')');
    return new StoreException(Kind.INVALID_VALUE, sb.toString());
  }

  /** Removes the API key from a message, should any upstream text ever echo it. */
  StoreException sanitized(StoreException e) {
    String m = e.getMessage();
    if (m == null || apiKey == null || apiKey.isEmpty() || !m.contains(apiKey)) return e;
    String clean = m.replace(apiKey, "***");
    if (e instanceof OffsetExpiredException) return new OffsetExpiredException(clean);
    if (e instanceof UnknownFieldException u) return new UnknownFieldException(u.field(), clean);
    return new StoreException(e.kind(), clean);
  }

  String sanitize(String text) {
    return text == null || apiKey == null || apiKey.isEmpty() ? text : text.replace(apiKey, "***");
  }

  static String where(AirtableRequest req) {
    return req.table() == null ? "base " + req.baseId() : "table \"" + req.table() + "\" of base " + req.baseId();
  }

  private static String orStatus(String type, int status) {
    return type == null || type.isEmpty() ? "HTTP " + status : type;
  }

  private static String firstQuoted(String message) {
    if (message == null) return null;
    Matcher m = QUOTED.matcher(message);
    return m.find() ? m.group(1).replace("\\\"", "\"") : null;
  }

  private static String recordIdIn(String message) {
    if (message == null) return null;
    Matcher m = RECORD_ID.matcher(message);
    return m.find() ? m.group() : null;
  }

  private static String unknownInFormula(String message) {
    if (message == null) return null;
    Matcher m = UNKNOWN_IN_FORMULA.matcher(message);
    return m.find() ? m.group(1).trim() : null;
  }

  private static String fieldOf(String message) {
    if (message == null) return null;
    Matcher m = FIELD_WORD.matcher(message);
    if (m.find()) return m.group(1);
    return firstQuoted(message);
  }

  private static Object valueInBody(JsonObject body, String field) {
    if (body == null) return null;
    JsonArray records = body.getJsonArray("records");
    if (records == null) return null;
    for (int i = 0; i < records.size(); i++) {
      JsonObject fields = records.getJsonObject(i).getJsonObject("fields");
      if (fields != null && fields.containsKey(field)) return fields.getValue(field);
    }
    return null;
  }

  private static String quote(Object value) {
    String s = String.valueOf(value);
    if (s.length() > MAX_VALUE_CHARS) s = s.substring(0, MAX_VALUE_CHARS) + "…";
    return "\"" + s + "\"";
  }
}
