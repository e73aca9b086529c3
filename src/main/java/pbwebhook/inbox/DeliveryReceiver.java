package pbwebhook.inbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The worker's side of inbox delivery: one slice of one entry is processed at most once at a time. When
 * the inbox sends a slice again (its acknowledgement timed out) while the first copy is still being
 * written, the repeat joins the running work and gets its reply, instead of writing everything a
 * second time behind it. Messages that do not come from the inbox are simply run. Use on one context.
 */
public final class DeliveryReceiver {

  private final Map<String, Future<JsonObject>> running = new HashMap<>();
  private long joined;

  /** Runs {@code work} for this message, or joins the run of the same slice already in progress. */
  public Future<JsonObject> once(JsonObject message, Supplier<Future<JsonObject>> work) {
    JsonObject meta = message.getJsonObject(InboxDelivery.SLICE_FIELD);
    if (meta == null) return work.get();
    String key = meta.getString("id") + "#" + meta.getInteger("slice", 0);
    Future<JsonObject> current = running.get(key);
    if (current != null) {
      joined++;
      return current;
    }
    Future<JsonObject> started = work.get();
    if (!started.isComplete()) {
      running.put(key, started);
      started.onComplete(ar -> running.remove(key, started));
    }
    return started;
  }

  /** Repeats that joined a run in progress instead of starting another. */
  public long joined() {
    return joined;
  }

  /** Slices being processed right now. */
  public int running() {
    return running.size();
  }
}
