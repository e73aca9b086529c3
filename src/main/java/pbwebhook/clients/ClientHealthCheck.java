package pbwebhook.clients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.RequiredSchema;

/**
 * Whether a client's base is reachable and, where the store has a schema (Airtable's metadata API), which
 * required tables and fields it lacks. Never fails: an unreachable base is an answer, not an error.
 */
public final class ClientHealthCheck {

  private final RecordStore store;
  private final Client client;
  private final String attributesTable;

  public ClientHealthCheck(RecordStore store, Client client, String attributesTable) {
    this.store = store;
    this.client = client;
    this.attributesTable = attributesTable;
  }

  public Future<JsonObject> check() {
    JsonObject out = new JsonObject().put("clientId", client.clientId()).put("baseId", client.baseId())
        .put("status", client.status());
    return store.ping(client.baseId())
        .compose(v -> store.tableFields(client.baseId()))
        .map(tables -> {
          out.put("reachable", true);
          if (tables == null) {
            out.put("schemaChecked", false).put("healthy", true);
            return out;
          }
          RequiredSchema.Gaps gaps = RequiredSchema.compare(RequiredSchema.clientBase(attributesTable), tables);
          JsonObject missingFields = new JsonObject();
          gaps.missingFields().forEach((t, f) -> missingFields.put(t, new JsonArray(f)));
          return out.put("schemaChecked", true).put("healthy", gaps.complete())
              .put("missingTables", new JsonArray(gaps.missingTables())).put("missingFields", missingFields);
        })
        .recover(e -> Future.succeededFuture(out.put("reachable", false).put("healthy", false)
            .put("error", e.getMessage())));
  }
}
