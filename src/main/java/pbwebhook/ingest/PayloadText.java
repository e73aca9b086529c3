package pbwebhook.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/** Reads the "first non-empty value wins" key chains of system.md §3.1 from a raw payload. */
final class PayloadText {
  private PayloadText() {}

  /** The first key whose value is a non-blank string or a number, trimmed; null when none is. */
  static String first(JsonObject json, String... keys) {
    if (json == null) {
      return null;
    }
    for (String key : keys) {
      String text = text(json.getValue(key));
      if (text != null) {
        return text;
      }
    }
    return null;
  }

  /** A string (trimmed, non-blank) or a number as plain text; objects, arrays and booleans are not text. */
  static String text(Object value) {
    if (value instanceof String s) {
      String trimmed = s.trim();
      return trimmed.isEmpty() ? null : trimmed;
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      return new BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
    }
    if (value instanceof Number n) {
      return n.toString();
    }
    return null;
  }

  /** The element at {@code index} of an array field when it is an object, else null. */
  static JsonObject objectAt(JsonObject json, String arrayKey, int index) {
    if (!(json.getValue(arrayKey) instanceof JsonArray array) || array.size() <= index) {
      return null;
    }
    return array.getValue(index) instanceof JsonObject element ? element : null;
  }

  static JsonObject object(JsonObject json, String key) {
    return json.getValue(key) instanceof JsonObject o ? o : null;
  }

  static String orElse(String value, String fallback) {
    return value != null ? value : fallback;
  }
}
