package pbwebhook.store.schema;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * One field as Airtable's metadata API creates it: a name, a field type and the options that type needs
 * ({@code POST /v0/meta/bases/{baseId}/tables/{tableId}/fields} takes exactly this object).
 */
public record FieldSpec(String name, String type, JsonObject options) {

  public static FieldSpec text(String name) { return new FieldSpec(name, "singleLineText", null); }

  public static FieldSpec longText(String name) { return new FieldSpec(name, "multilineText", null); }

  public static FieldSpec url(String name) { return new FieldSpec(name, "url", null); }

  public static FieldSpec email(String name) { return new FieldSpec(name, "email", null); }

  public static FieldSpec phone(String name) { return new FieldSpec(name, "phoneNumber", null); }

  public static FieldSpec number(String name, int precision) {
    return new FieldSpec(name, "number", new JsonObject().put("precision", precision));
  }

  public static FieldSpec checkbox(String name) {
    return new FieldSpec(name, "checkbox", new JsonObject().put("icon", "check").put("color", "greenBright"));
  }

  /** A calendar date (the scoring writes {@code 2025-06-01}). */
  public static FieldSpec date(String name) {
    return new FieldSpec(name, "date", new JsonObject().put("dateFormat", new JsonObject().put("name", "iso")));
  }

  /** An instant (the ingest writes ISO-8601 with milliseconds, UTC). */
  public static FieldSpec dateTime(String name) {
    return new FieldSpec(name, "dateTime", new JsonObject()
        .put("dateFormat", new JsonObject().put("name", "iso"))
        .put("timeFormat", new JsonObject().put("name", "24hour"))
        .put("timeZone", "utc"));
  }

  /** A single select; writes use {@code typecast}, so a value outside the choices becomes a new choice. */
  public static FieldSpec select(String name, String... choices) {
    JsonArray arr = new JsonArray();
    for (String c : choices) arr.add(new JsonObject().put("name", c));
    return new FieldSpec(name, "singleSelect", new JsonObject().put("choices", arr));
  }

  public JsonObject toJson() {
    JsonObject j = new JsonObject().put("name", name).put("type", type);
    if (options != null) j.put("options", options.copy());
    return j;
  }
}
