package pbwebhook.store.embedded;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.sqlite.Collation;
import pbwebhook.ingest.LinkedInUrl;
import pbwebhook.store.FilterEvaluator;

/**
 * SQL functions that give a field the meaning {@link FilterEvaluator} gives it, for filters and sorts on
 * fields that have no key column. Each takes a field's JSON text ({@code fields -> '$."name"'}, SQL NULL when
 * missing) and decodes it the way a record read back from the store would be decoded.
 */
final class SqlFunctions {

  /** The field's formula text. */
  static final String TEXT = "pb_text";
  /** 1 when blank, else 0. */
  static final String BLANK = "pb_blank";
  /** Canonical LinkedIn key, {@code ""} when blank. */
  static final String URL_KEY = "pb_url_key";
  /** For sorting: 1 when the value sorts as blank (a checkbox never does), else 0. */
  static final String SORT_BLANK = "pb_sort_blank";
  /** For sorting: the value as a number (numbers and checkboxes), NULL for anything else. */
  static final String SORT_NUMBER = "pb_sort_number";
  /** A field's JSON text from the whole document, for field names a JSON path cannot quote. */
  static final String FIELD = "pb_field";
  /** Case-insensitive text order, like {@link String#CASE_INSENSITIVE_ORDER}. */
  static final String NOCASE = "PB_NOCASE";

  private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,18}");

  private SqlFunctions() {}

  static void register(Connection c) throws SQLException {
    unary(c, TEXT, v -> FilterEvaluator.text(v));
    unary(c, BLANK, v -> FilterEvaluator.isBlank(v) ? 1 : 0);
    unary(c, URL_KEY, v -> FilterEvaluator.isBlank(v) ? "" : LinkedInUrl.canonicalKey(FilterEvaluator.text(v)));
    unary(c, SORT_BLANK, v -> FilterEvaluator.isBlank(v) && !(v instanceof Boolean) ? 1 : 0);
    unary(c, SORT_NUMBER, v -> v instanceof Number n ? (Object) n.doubleValue()
        : v instanceof Boolean b ? (Object) (b ? 1.0 : 0.0) : null);
    org.sqlite.Function.create(c, FIELD, new org.sqlite.Function() {
      @Override
      protected void xFunc() throws SQLException {
        String doc = value_text(0);
        Object v = doc == null ? null : new JsonObject(doc).getValue(value_text(1));
        if (v == null) result();
        else result(Json.encode(v));
      }
    }, 2, org.sqlite.Function.FLAG_DETERMINISTIC);
    Collation.create(c, NOCASE, new Collation() {
      @Override
      protected int xCompare(String a, String b) {
        return String.CASE_INSENSITIVE_ORDER.compare(a, b);
      }
    });
  }

  /** A field's value from its JSON text, typed as in a record read back from the store. */
  static Object decode(String json) {
    if (json == null || json.equals("null")) return null;
    if (json.length() >= 2 && json.charAt(0) == '"' && json.indexOf('\\') < 0) return json.substring(1, json.length() - 1);
    if (json.equals("true")) return Boolean.TRUE;
    if (json.equals("false")) return Boolean.FALSE;
    if (INTEGER.matcher(json).matches()) {
      long l = Long.parseLong(json);
      return l == (int) l ? (Object) (int) l : (Object) l;
    }
    try {
      return new JsonObject("{\"v\":" + json + "}").getValue("v");
    } catch (DecodeException e) {
      return json;
    }
  }

  private static void unary(Connection c, String name, Function<Object, Object> f) throws SQLException {
    org.sqlite.Function.create(c, name, new org.sqlite.Function() {
      @Override
      protected void xFunc() throws SQLException {
        Object out = f.apply(decode(value_text(0)));
        if (out == null) result();
        else if (out instanceof Integer i) result(i);
        else if (out instanceof Double d) result(d);
        else result((String) out);
      }
    }, 1, org.sqlite.Function.FLAG_DETERMINISTIC);
  }
}
