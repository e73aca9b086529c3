package pbwebhook.inbox;

import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * A kind of webhook the inbox delivers: the worker address that takes it for a client, and the message
 * that worker expects, built from the stored raw body. A new webhook plugs in by adding one of these to
 * {@link WebhookKinds}; the inbox itself knows nothing about payloads.
 *
 * <p>The worker replies with a JSON object; {@code failed > 0} (with {@code errors}) means it stored
 * nothing for those items because the store rejected them, which dead-letters the entry. A failed reply
 * with code 400 or 422 is permanent too; any other failure is retried.
 *
 * @param name    stored with each entry, so it must never change once used ({@code lh-profiles})
 * @param address client id → event-bus address, e.g. {@code client.<id>.ingest}
 * @param message builds the worker's message; throwing means the payload itself is unusable (dead letter)
 */
public record WebhookKind(String name, Function<String, String> address, MessageBuilder message) {

  @FunctionalInterface
  public interface MessageBuilder {
    JsonObject build(InboxEntry entry) throws Exception;
  }
}
