package pbwebhook.clients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.OptionalSchema;
import pbwebhook.store.schema.RequiredSchema;

/**
 * Whether a client's base is reachable and, where the store has a schema (Airtable's metadata API), which
 * required tables and fields it lacks. Also names the optional tables and fields (OptionalSchema) the client's
 * base and the master base lack, found by the schema or by a refused write; those never make a client unhealthy.
 * Never fails: an unreachable base is an answer, not an error.
 */
public final class ClientHealthCheck {

  private final RecordStore store;
  private final Client client;
  private final String attributesTable;
  private final String masterBaseId;

  public ClientHealthCheck(RecordStore store, Client client, String attributesTable) {
    this(store, client, attributesTable, null);
  }

  /** {@code masterBaseId} (may be null) is checked for the optional tables that live there (Execution Summary). */
  public ClientHealthCheck(RecordStore store, Client client, String attributesTable, String masterBaseId) {
    this.store = store;
    this.client = client;
    this.attributesTable = attributesTable;
    this.masterBaseId = masterBaseId;
  }

  public Future<JsonObject> check() {
    JsonObject out = new JsonObject().put("clientId", client.clientId()).put("baseId", client.baseId())
        .put("status", client.status());
    Future<JsonObject> base = store.ping(client.baseId())
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
    return base.compose(o -> masterTables()).map(master -> withOptional(out, master));
  }

  /** The master base's tables, or null when there is none or its schema is not readable. */
  private Future<Map<String, Set<String>>> masterTables() {
    if (masterBaseId == null) return Future.succeededFuture(null);
    return store.tableFields(masterBaseId).otherwise(e -> null);
  }

  private JsonObject withOptional(JsonObject out, Map<String, Set<String>> masterTables) {
    Map<String, Set<String>> fields = new TreeMap<>();
    Set<String> tables = new TreeSet<>(store.missingOptionalTables(client.baseId()));
    store.missingOptionalFields(client.baseId()).forEach((t, f) -> fields.computeIfAbsent(t, k -> new TreeSet<>()).addAll(f));
    if (masterBaseId != null) {
      tables.addAll(store.missingOptionalTables(masterBaseId));
      store.missingOptionalFields(masterBaseId).forEach((t, f) -> fields.computeIfAbsent(t, k -> new TreeSet<>()).addAll(f));
      if (masterTables != null) {
        for (String t : OptionalSchema.ADDED_TABLES) if (!masterTables.containsKey(t)) tables.add(t);
      }
    }
    JsonObject missing = new JsonObject();
    fields.forEach((t, f) -> missing.put(t, new JsonArray(f.stream().toList())));
    return out.put("missingOptional", missing).put("missingOptionalTables", new JsonArray(tables.stream().toList()));
  }
}
