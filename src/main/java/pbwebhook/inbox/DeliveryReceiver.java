package pbwebhook.inbox;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The worker's side of inbox delivery: one slice of one entry is processed at most once at a time. When
 * the inbox sends a slice again (its acknowledgement timed out) while the first copy is still being
 * written, the repeat joins the running work and gets its reply, instead of writing everything a second
 * time behind it; a repeat that arrives just after the work finished gets the reply it produced. So a
 * slice that takes longer than the acknowledgement timeout still completes, once. Messages that do not
 * come from the inbox are simply run. Use on one context.
 */
public final class DeliveryReceiver {

  /** Replies of finished slices are kept this long, for a repeat already on its way. */
  static final long FINISHED_KEPT_MS = 10 * 60 * 1000;
  private static final int FINISHED_KEPT_MAX = 1000;

  private record Finished(JsonObject reply, long at) {}

  private final Map<String, Future<JsonObject>> running = new HashMap<>();
  private final Map<String, Finished> finished = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Finished> eldest) {
      return size() > FINISHED_KEPT_MAX;
    }
  };
  private long joined;

  /** Runs {@code work} for this message, or joins the run of the same slice in progress or just finished. */
  public Future<JsonObject> once(JsonObject message, Supplier<Future<JsonObject>> work) {
    JsonObject meta = message.getJsonObject(InboxDelivery.SLICE_FIELD);
    if (meta == null) return work.get();
    String key = meta.getString("id") + "#" + meta.getInteger("round", 0) + "#" + meta.getInteger("slice", 0);
    Future<JsonObject> current = running.get(key);
    Finished done = finished.get(key);
    if (current == null && done != null && System.currentTimeMillis() - done.at() < FINISHED_KEPT_MS) {
      joined++;
      return Future.succeededFuture(done.reply());
    }
    if (current != null) {
      joined++;
      return current;
    }
    Future<JsonObject> started = work.get();
    running.put(key, started);
    started.onComplete(ar -> {
      running.remove(key, started);
      if (ar.succeeded()) finished.put(key, new Finished(ar.result(), System.currentTimeMillis()));
    });
    return started;
  }

  /** Repeats that were answered from a run in progress or just finished, instead of running again. */
  public long joined() {
    return joined;
  }
}
