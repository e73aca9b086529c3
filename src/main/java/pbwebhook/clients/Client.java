package pbwebhook.clients;

import io.vertx.core.json.JsonObject;
import pbwebhook.store.Record;
import pbwebhook.store.schema.Clients;

/** One row of the master base's Clients table. {@code recordId} is null for the single-tenant default client. */
public record Client(String recordId, String clientId, String clientName, String status, String baseId) {

  public boolean active() { return Clients.STATUS_ACTIVE.equals(status); }

  public static Client fromRecord(Record r) {
    String id = r.string(Clients.CLIENT_ID);
    String name = r.string(Clients.CLIENT_NAME);
    return new Client(r.id(), id == null ? null : id.trim(), name == null ? id : name,
        r.string(Clients.STATUS), r.string(Clients.AIRTABLE_BASE_ID));
  }

  public JsonObject toJson() {
    return new JsonObject().put("recordId", recordId).put("clientId", clientId).put("clientName", clientName)
        .put("status", status).put("baseId", baseId);
  }

  public static Client fromJson(JsonObject j) {
    return new Client(j.getString("recordId"), j.getString("clientId"), j.getString("clientName"),
        j.getString("status"), j.getString("baseId"));
  }
}
