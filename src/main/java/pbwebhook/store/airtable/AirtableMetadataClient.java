package pbwebhook.store.airtable;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import pbwebhook.store.StoreException;
import pbwebhook.store.StoreException.Kind;
import pbwebhook.store.airtable.AirtableRequest.Operation;
import pbwebhook.store.schema.FieldSpec;

/**
 * Airtable's metadata write endpoints: create a base with its tables, add a table, add a field. Never deletes
 * or retypes anything. Goes through the same {@link AirtableClient} as the records (auth, the base's rate
 * limit, 429 pauses, typed errors); creates are not repeated after a lost answer, as they could apply twice.
 */
public final class AirtableMetadataClient {

  private final AirtableClient client;
  private final AirtableStore store;

  AirtableMetadataClient(AirtableClient client, AirtableStore store) {
    this.client = client;
    this.store = store;
  }

  /** {@code GET /v0/meta/bases/{baseId}/tables}: {@code {tables:[{id, name, fields:[{id, name, type}]}]}}. */
  public Future<JsonObject> tables(String baseId) {
    return store.tablesSchema(baseId);
  }

  /** {@code POST /v0/meta/bases}; the new base's id. */
  public Future<String> createBase(String workspaceId, String name, Map<String, List<FieldSpec>> tables) {
    JsonArray arr = new JsonArray();
    tables.forEach((t, fields) -> arr.add(table(t, fields)));
    JsonObject body = new JsonObject().put("name", name).put("workspaceId", workspaceId).put("tables", arr);
    // The rate-limit lane of a base that does not exist yet: its workspace.
    return client.call(new AirtableRequest(Operation.CREATE, HttpMethod.POST, workspaceId, null, null,
            "/v0/meta/bases", "", body))
        .compose(json -> json.getString("id") == null
            ? Future.failedFuture(new StoreException(Kind.UNAVAILABLE, "Airtable created a base but answered no id"))
            : Future.succeededFuture(json.getString("id")));
  }

  /** {@code POST /v0/meta/bases/{baseId}/tables}; the first field becomes the primary field. */
  public Future<JsonObject> createTable(String baseId, String name, List<FieldSpec> fields) {
    return client.call(new AirtableRequest(Operation.CREATE, HttpMethod.POST, baseId, name, null,
        "/v0/meta/bases/" + AirtableStore.encode(baseId) + "/tables", "", table(name, fields)));
  }

  /** {@code POST /v0/meta/bases/{baseId}/tables/{tableId}/fields}. */
  public Future<JsonObject> createField(String baseId, String tableId, String tableName, FieldSpec field) {
    return client.call(new AirtableRequest(Operation.CREATE, HttpMethod.POST, baseId, tableName, null,
        "/v0/meta/bases/" + AirtableStore.encode(baseId) + "/tables/" + AirtableStore.encode(tableId) + "/fields", "",
        field.toJson()));
  }

  private static JsonObject table(String name, List<FieldSpec> fields) {
    JsonArray arr = new JsonArray();
    fields.forEach(f -> arr.add(f.toJson()));
    return new JsonObject().put("name", name).put("fields", arr);
  }
}
