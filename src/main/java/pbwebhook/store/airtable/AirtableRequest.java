package pbwebhook.store.airtable;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * One call to the Airtable API, with what error messages need to name (base, table, record).
 *
 * @param path  already percent-encoded path, starting with {@code /v0/}
 * @param query already percent-encoded query string without {@code ?}; empty for none
 * @param body  JSON body, or null for none
 * @param table table name for messages, or null for metadata calls
 */
public record AirtableRequest(Operation operation, HttpMethod method, String baseId, String table, String recordId,
                              String path, String query, JsonObject body) {

  /** What the request does, which decides whether a retry after a lost answer could duplicate data. */
  public enum Operation {
    READ, CREATE, UPDATE, UPSERT, METADATA;

    /** A create repeated after a lost answer could create the records twice; everything else converges. */
    public boolean idempotent() { return this != CREATE; }
  }

  public AirtableRequest {
    query = query == null ? "" : query;
  }

  public String pathAndQuery() { return query.isEmpty() ? path : path + "?" + query; }
}
