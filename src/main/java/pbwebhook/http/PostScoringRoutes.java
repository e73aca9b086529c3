package pbwebhook.http;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import pbwebhook.Addresses;
import pbwebhook.config.AppConfig;
import pbwebhook.runs.RunTracker;
import pbwebhook.clients.ClientWorker;

/**
 * Post-scoring triggers (system.md §1 "Post scoring", with the run model of behaviour-decisions.md):
 * {@code /run-post-batch-score}, {@code /api/internal/trigger-post-scoring-batch} and
 * {@code /api/test-post-score/{leadId}}. All are admin routes.
 */
public final class PostScoringRoutes {

  private static final int MAX_LIMIT = 100_000;
  private static final long SCORE_ONE_TIMEOUT_MS = 300_000;

  private final Vertx vertx;
  private final AppConfig config;
  private final ClientResolver clients;
  private final RequestAuth auth;
  private final RunLauncher launcher;

  public PostScoringRoutes(Vertx vertx, AppConfig config, ClientResolver clients, RequestAuth auth, RunTracker runs) {
    this.vertx = vertx;
    this.config = config;
    this.clients = clients;
    this.auth = auth;
    this.launcher = new RunLauncher(vertx, clients, runs);
  }

  /** The {@code /api/*} routes rely on the admin handler HttpVerticle mounts for {@code /api/*}. */
  public void mount(Router router) {
    router.route("/run-post-batch-score").handler(auth::requireAdmin);
    router.get("/run-post-batch-score").handler(ctx -> runBatch(ctx, false));
    router.post("/run-post-batch-score").handler(ctx -> runBatch(ctx, false));
    router.post("/api/internal/trigger-post-scoring-batch").handler(ctx -> runBatch(ctx, true));
    router.post("/api/test-post-score/:leadId").handler(this::testPostScore);
  }

  /** {@code accepted}: the old internal trigger's 202 shape, which never waits. */
  private void runBatch(RoutingContext ctx, boolean accepted) {
    int limit = Responses.positiveInt(ctx, "limit", config.defaultBatchLimit(), MAX_LIMIT);
    boolean wait = !accepted && Responses.flag(ctx, "wait");
    boolean force = Responses.flag(ctx, "forceRescore");
    String requested = ClientResolver.requested(ctx);
    long started = System.currentTimeMillis();
    launcher.targets(requested)
        .compose(list -> launcher.launch(list, Addresses::scorePosts, ClientWorker.KIND_POSTS,
            new JsonObject().put("limit", limit).put("forceRescore", force), wait))
        .onSuccess(results -> {
          if (RunLauncher.answeredRefusal(ctx, requested, results)) return;
          if (wait) {
            Responses.json(ctx, 200, legacySummary(results, started));
            return;
          }
          JsonObject reply = new JsonObject().put("runs", RunLauncher.runList(results, ClientWorker.KIND_POSTS));
          if (accepted) {
            reply = new JsonObject().put("status", "accepted")
                .put("message", "Post scoring started for " + results.size() + " client(s)" + (force ? " (forceRescore)" : ""))
                .put("runs", reply.getJsonArray("runs"));
          }
          Responses.json(ctx, 202, reply);
        })
        .onFailure(e -> ErrorResponder.respond(ctx, e));
  }

  /** The old synchronous reply of {@code /run-post-batch-score} (system.md §1), for cron jobs that read it. */
  static JsonObject legacySummary(List<JsonObject> results, long startedMs) {
    int processed = 0, scored = 0, errors = 0, succeededClients = 0;
    JsonArray clientResults = new JsonArray();
    for (JsonObject r : results) {
      JsonObject counts = r.getJsonObject("counts", new JsonObject());
      int clientErrors = counts.getInteger("failed", 0);
      processed += counts.getInteger("processed", 0);
      scored += counts.getInteger("successful", 0);
      errors += clientErrors;
      String status = r.getString("status");
      boolean ok = "completed".equals(status) || "completed_with_errors".equals(status);
      if (ok) succeededClients++;
      clientResults.add(new JsonObject().put("clientId", r.getString("clientId")).put("runId", r.getString("runId"))
          .put("status", status).put("postsProcessed", counts.getInteger("processed", 0))
          .put("postsScored", counts.getInteger("successful", 0)).put("errors", clientErrors)
          .put("duration", r.getLong("durationSeconds", 0L)).put("error", r.getString("error")));
    }
    long seconds = (System.currentTimeMillis() - startedMs) / 1000;
    return new JsonObject().put("status", "completed")
        .put("message", "Post scoring completed for " + results.size() + " client(s)")
        .put("summary", new JsonObject().put("totalClients", results.size()).put("successfulClients", succeededClients)
            .put("failedClients", results.size() - succeededClients).put("totalPostsProcessed", processed)
            .put("totalPostsScored", scored).put("totalErrors", errors).put("duration", seconds))
        .put("clientResults", clientResults);
  }

  private void testPostScore(RoutingContext ctx) {
    String leadId = ctx.pathParam("leadId").trim();
    Responses.reply(ctx, 200, clients.resolve(ctx).compose(c -> vertx.eventBus()
        .<JsonObject>request(Addresses.scorePost(c.clientId()), new JsonObject().put("recordId", leadId),
            new DeliveryOptions().setSendTimeout(SCORE_ONE_TIMEOUT_MS))
        .map(m -> m.body())));
  }
}
