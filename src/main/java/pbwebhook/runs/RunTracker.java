package pbwebhook.runs;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Run records, in a Vert.x shared map (cluster-wide when Vert.x is clustered), kept for a week and, where a
 * {@link RunHistory} is given (on the member that runs the run), on disk so they survive a restart.
 */
public final class RunTracker {

  private static final String MAP = "pb.runs";
  private static final String ACTIVE = "pb.runs.active";
  /** Finished runs stay readable for a week. */
  private static final long RETENTION_MS = 7L * 24 * 3600 * 1000;
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyMMdd-HHmmss");

  private static final Logger log = LoggerFactory.getLogger(RunTracker.class);

  private final Vertx vertx;
  /** Where this member keeps the runs it ran (null: not kept on disk, e.g. a tracker that only reads). */
  private final RunHistory history;

  public RunTracker(Vertx vertx) {
    this(vertx, null);
  }

  public RunTracker(Vertx vertx, RunHistory history) {
    this.vertx = vertx;
    this.history = history;
  }

  /**
   * At start-up, puts the runs this member saved in the last week back into the shared run map, where any member
   * reads them ({@code GET /api/runs/{id}} after a restart). A copy already in the map (another member's, in a
   * cluster) wins. A run saved as {@code running} by a process that is gone can no longer finish: it is ended as
   * {@code failed} with the reason, and the client is freed for its next run.
   */
  public static Future<Integer> restore(Vertx vertx, RunHistory history) {
    RunTracker t = new RunTracker(vertx, history);
    long now = System.currentTimeMillis();
    return vertx.executeBlocking(() -> history.since(now - RETENTION_MS), false).compose(saved -> t.runs().compose(m -> {
      List<Future<?>> puts = new java.util.ArrayList<>();
      for (RunHistory.Saved s : saved) {
        JsonObject run = s.run();
        if (RunProgress.RUNNING.equals(run.getString("status"))) {
          run.put("status", RunProgress.FAILED).put("finishedAt", java.time.Instant.ofEpochMilli(s.savedAtMs()).toString());
          run.getJsonArray("errors", new io.vertx.core.json.JsonArray()).add(ORPHANED);
          JsonObject ended = run;
          puts.add(vertx.executeBlocking(() -> {
            history.save(ended, s.savedAtMs());
            return null;
          }, false));
        }
        long ttl = Math.max(1, s.savedAtMs() + RETENTION_MS - now);
        puts.add(m.putIfAbsent(run.getString("runId"), run, ttl));
      }
      return Future.join(puts).map(v -> saved.size());
    }));
  }

  /** The error a run gets when the process that ran it stopped before it ended. */
  public static final String ORPHANED = "the server stopped before this run ended (restart or crash); its leads "
      + "that were not written yet are picked up by the next run";

  /** A run id in the old server's style, {@code YYMMDD-HHMMSS-<clientId>}, plus a short suffix so ids never clash. */
  public static String newRunId(String clientId, String kind) {
    String time = LocalDateTime.now(ZoneOffset.UTC).format(ID_TIME);
    String suffix = Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    return time + "-" + clientId + "-" + (switch (kind) {
      case "posts" -> "p";
      case "posts-content" -> "r";
      default -> "l";
    }) + suffix;
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
    Future<Void> shared = runs().compose(m -> m.put(run.runId(), snapshot, RETENTION_MS));
    if (history == null) return shared;
    long at = System.currentTimeMillis();
    // Ordered: a run's saves reach the disk in the order they were made (unordered, the "running" snapshot could
    // land after the final one and a restart would read the finished run back as orphaned).
    Future<Void> disk = vertx.<Void>executeBlocking(() -> {
      history.save(snapshot, at);
      return null;
    }, true).onFailure(e -> log.warn("run {}: not saved to disk: {}", run.runId(), e.getMessage()));
    return Future.join(shared, disk.otherwiseEmpty()).mapEmpty();
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
