package pbwebhook.inbox;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A kind of webhook the inbox delivers: the worker address that takes it for a client, the message
 * that worker expects, built from the stored raw body, and how a large message is cut into slices. A
 * new webhook plugs in by adding one of these to {@link WebhookKinds}; the inbox itself knows nothing
 * about payloads.
 *
 * <p>The worker replies with a JSON object; {@code failed > 0} (with {@code errors}) means it stored
 * nothing for those items because the store rejected them, which dead-letters the entry. A failed reply
 * with code 400 or 422 is permanent too; any other failure is retried.
 *
 * @param name    stored with each entry, so it must never change once used ({@code lh-profiles})
 * @param address client id → event-bus address, e.g. {@code client.<id>.ingest}
 * @param message builds the worker's message; throwing means the payload itself is unusable (dead letter)
 * @param slicer  cuts the message into slices delivered one after another, each acknowledged on its own,
 *                so a large body makes progress within every acknowledgement timeout
 */
public record WebhookKind(String name, Function<String, String> address, MessageBuilder message, MessageSlicer slicer) {

  /** A kind whose messages are always delivered whole. */
  public WebhookKind(String name, Function<String, String> address, MessageBuilder message) {
    this(name, address, message, MessageSlicer.WHOLE);
  }

  @FunctionalInterface
  public interface MessageBuilder {
    JsonObject build(InboxEntry entry) throws Exception;
  }

  /** The slices of one worker message, in delivery order (at least one). */
  @FunctionalInterface
  public interface MessageSlicer {

    List<JsonObject> slices(JsonObject message);

    MessageSlicer WHOLE = List::of;

    /**
     * Cuts the array {@code field} into runs of at most {@code maxItems} elements whose weights add up to at
     * most {@code maxWeight} (an element heavier than that travels alone); every other field is copied
     * into each slice.
     */
    static MessageSlicer byArray(String field, int maxItems, int maxWeight, ToIntFunction<Object> weight) {
      return message -> {
        JsonArray all = message.getJsonArray(field);
        if (all == null || all.size() <= 1) return List.of(message);
        JsonObject rest = new JsonObject();
        message.forEach(e -> { if (!field.equals(e.getKey())) rest.put(e.getKey(), e.getValue()); });
        List<JsonObject> out = new ArrayList<>();
        JsonArray run = new JsonArray();
        int runWeight = 0;
        for (Object item : all) {
          int w = weight.applyAsInt(item);
          if (!run.isEmpty() && (run.size() >= maxItems || runWeight + w > maxWeight)) {
            out.add(rest.copy().put(field, run));
            run = new JsonArray();
            runWeight = 0;
          }
          run.add(item);
          runWeight += w;
        }
        out.add(rest.copy().put(field, run));
        return out;
      };
    }
  }
}
