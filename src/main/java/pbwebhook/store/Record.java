package pbwebhook.store;

import io.vertx.core.json.JsonObject;

/** One record as Airtable shapes it: an id, its creation time (ISO-8601, UTC) and a field map. */
public record Record(String id, String createdTime, JsonObject fields) {

  public Record {
    fields = fields == null ? new JsonObject() : fields;
  }

  public String string(String field) {
    Object v = fields.getValue(field);
    return v == null ? null : String.valueOf(v);
  }

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("createdTime", createdTime).put("fields", fields);
  }

  public static Record fromJson(JsonObject json) {
    return new Record(json.getString("id"), json.getString("createdTime"), json.getJsonObject("fields"));
  }
}
