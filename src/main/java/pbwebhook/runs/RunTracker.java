package pbwebhook.runs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.shareddata.Lock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Run records and the one-run-per-client-and-kind rule. Both live in Vert.x shared data (an async map
 * and locks), which is process-local now and cluster-wide when Vert.x is clustered.
 */
public final class RunTracker {

  private static final String MAP = "pb.runs";
  private static final String ACTIVE = "pb.runs.active";
  /** Finished runs stay readable for a week. */
  private static final long RETENTION_MS = 7L * 24 * 3600 * 1000;
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyMMdd-HHmmss");

  private final Vertx vertx;

  public RunTracker(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A run id in the old server's style, {@code YYMMDD-HHMMSS-<clientId>}, plus a short suffix so ids never clash. */
  public static String newRunId(String clientId, String kind) {
    String time = LocalDateTime.now(ZoneOffset.UTC).format(ID_TIME);
    String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    return time + "-" + clientId + "-" + ("posts".equals(kind) ? "p" : "l") + suffix;
  }

  /** Takes the lock for one client and kind; fails at once when a run already holds it. */
  public Future<Lock> tryLock(String clientId, String kind) {
    return vertx.sharedData().getLockWithTimeout("pb.run-lock." + kind + "." + clientId, 1);
  }

  public Future<Void> markActive(String clientId, String kind, String runId) {
    return active().compose(m -> m.put(clientId + "/" + kind, runId));
  }

  public Future<Void> clearActive(String clientId, String kind) {
    return active().compose(m -> m.remove(clientId + "/" + kind)).mapEmpty();
  }

  public Future<String> activeRun(String clientId, String kind) {
    return active().compose(m -> m.get(clientId + "/" + kind));
  }

  public Future<Void> save(RunProgress run) {
    JsonObject snapshot = run.toJson();
    return runs().compose(m -> m.put(run.runId(), snapshot, RETENTION_MS));
  }

  public Future<JsonObject> get(String runId) {
    return runs().compose(m -> m.get(runId));
  }

  /** Most recent first, optionally for one client. */
  public Future<List<JsonObject>> list(String clientId, int limit) {
    return runs().compose(AsyncMap::entries).map(all -> all.values().stream()
        .filter(r -> clientId == null || clientId.equals(r.getString("clientId")))
        .sorted(Comparator.comparing((JsonObject r) -> r.getString("startedAt")).reversed())
        .limit(limit)
        .toList());
  }

  private Future<AsyncMap<String, JsonObject>> runs() {
    return vertx.sharedData().getAsyncMap(MAP);
  }

  private Future<AsyncMap<String, String>> active() {
    return vertx.sharedData().getAsyncMap(ACTIVE);
  }
}
