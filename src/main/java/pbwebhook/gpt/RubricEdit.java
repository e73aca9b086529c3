package pbwebhook.gpt;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import pbwebhook.store.schema.ScoringAttributes;

/**
 * What {@code PATCH /attribute/{id}} may write to a {@code Scoring Attributes} row: only the rubric's own editable
 * fields, each with a value of its type (the old route wrote any field of any value, system.md §8 item 6). The body
 * is the old {@code {fieldName, value}}, or an object of field names to values. Anything else is an
 * {@link IllegalArgumentException} naming the field.
 */
public final class RubricEdit {

  enum Type { NUMBER, TEXT, CHECKBOX }

  /** The editable fields and their types, in the order they are listed in errors. */
  static final Map<String, Type> EDITABLE = orderedEditable();

  private static final int MAX_TEXT = 100_000;

  private RubricEdit() {}

  private static Map<String, Type> orderedEditable() {
    Map<String, Type> m = new java.util.LinkedHashMap<>();
    m.put(ScoringAttributes.MAX_POINTS, Type.NUMBER);
    m.put(ScoringAttributes.INSTRUCTIONS, Type.TEXT);
    m.put(ScoringAttributes.EXAMPLES, Type.TEXT);
    m.put(ScoringAttributes.SIGNALS, Type.TEXT);
    m.put(ScoringAttributes.MIN_TO_QUALIFY, Type.NUMBER);
    m.put(ScoringAttributes.PENALTY, Type.NUMBER);
    m.put(ScoringAttributes.DISQUALIFYING, Type.CHECKBOX);
    m.put(ScoringAttributes.ACTIVE, Type.CHECKBOX);
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The fields to write, checked. */
  public static JsonObject fields(JsonObject body) {
    JsonObject asked;
    if (body.containsKey("fieldName")) {
      if (!(body.getValue("fieldName") instanceof String name) || name.isBlank()) {
        throw new IllegalArgumentException("fieldName must be the name of an editable field: " + editableList());
      }
      if (!body.containsKey("value")) throw new IllegalArgumentException("value is required");
      asked = new JsonObject().put(name, body.getValue("value"));
    } else {
      asked = body;
    }
    if (asked.isEmpty()) {
      throw new IllegalArgumentException("nothing to change: send {fieldName, value} or {\"<field>\": value, …} with "
          + "fields among " + editableList());
    }
    List<String> refused = new ArrayList<>();
    for (String name : asked.fieldNames()) if (!EDITABLE.containsKey(name)) refused.add(name);
    if (!refused.isEmpty()) {
      throw new IllegalArgumentException((refused.size() == 1 ? "field " : "fields ")
          + String.join(", ", refused.stream().map(n -> "\"" + n + "\"").toList())
          + (refused.size() == 1 ? " is" : " are") + " not editable here; editable fields: " + editableList());
    }
    JsonObject out = new JsonObject();
    for (String name : asked.fieldNames()) out.put(name, checked(name, EDITABLE.get(name), asked.getValue(name)));
    return out;
  }

  private static Object checked(String name, Type type, Object value) {
    switch (type) {
      case NUMBER -> {
        if (!(value instanceof Number n) || !Double.isFinite(n.doubleValue())) {
          throw new IllegalArgumentException(name + " must be a number, not " + describe(value));
        }
        if (!name.equals(ScoringAttributes.PENALTY) && n.doubleValue() < 0) {
          throw new IllegalArgumentException(name + " must not be negative, not " + n);
        }
        return n;
      }
      case TEXT -> {
        if (!(value instanceof String s)) throw new IllegalArgumentException(name + " must be a string, not " + describe(value));
        if (s.length() > MAX_TEXT) throw new IllegalArgumentException(name + " is longer than " + MAX_TEXT + " characters");
        return s;
      }
      default -> {
        if (!(value instanceof Boolean b)) throw new IllegalArgumentException(name + " must be true or false, not " + describe(value));
        return b;
      }
    }
  }

  private static String describe(Object value) {
    if (value == null) return "null";
    if (value instanceof String s) return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "\"";
    if (value instanceof Boolean || value instanceof Number) return String.valueOf(value);
    return "a JSON " + (value instanceof JsonObject ? "object" : "array");
  }

  static String editableList() {
    return String.join(", ", EDITABLE.keySet());
  }
}
