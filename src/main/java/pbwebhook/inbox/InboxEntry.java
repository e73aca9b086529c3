package pbwebhook.inbox;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One accepted webhook as the inbox keeps it: the raw body exactly as received, the headers that matter
 * (never credentials), the client and kind it is for, and when it arrived.
 *
 * @param idempotencyKey the sender's {@code webhook-id} or {@code Idempotency-Key}, or null
 * @param bodyHash       hex SHA-256 of the body, the idempotency key of senders that send none
 */
public record InboxEntry(String id, String clientId, String kind, Instant receivedAt, JsonObject headers,
                         String idempotencyKey, String bodyHash, Buffer body) {

  public JsonObject meta() {
    return new JsonObject().put("id", id).put("clientId", clientId).put("kind", kind)
        .put("receivedAt", receivedAt.toString()).put("headers", headers).put("key", idempotencyKey)
        .put("hash", bodyHash);
  }

  static InboxEntry fromMeta(JsonObject m, Buffer body) {
    return new InboxEntry(m.getString("id"), m.getString("clientId"), m.getString("kind"),
        Instant.parse(m.getString("receivedAt")), m.getJsonObject("headers", new JsonObject()), m.getString("key"),
        m.getString("hash"), body);
  }
}
