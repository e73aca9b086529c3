package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import pbwebhook.Addresses;
import pbwebhook.clients.Client;
import pbwebhook.config.AppConfig;
import pbwebhook.runs.RunTracker;
import pbwebhook.scoring.ClientWorker;

/**
 * Post-scoring triggers (system.md §1 "Post scoring", with the run model of behaviour-decisions.md):
 * {@code /run-post-batch-score}, {@code /api/internal/trigger-post-scoring-batch} and
 * {@code /api/test-post-score/{leadId}}. All are admin routes.
 */
public final class PostScoringRoutes {

  private static final int MAX_LIMIT = 100_000;
  private static final long WAIT_TIMEOUT_MS = 6L * 3600 * 1000;
  private static final long SCORE_ONE_TIMEOUT_MS = 300_000;

  private final Vertx vertx;
  private final AppConfig config;
  private final ClientResolver clients;
  private final RequestAuth auth;
  private final RunTracker runs;

  public PostScoringRoutes(Vertx vertx, AppConfig config, ClientResolver clients, RequestAuth auth, RunTracker runs) {
    this.vertx = vertx;
    this.config = config;
    this.clients = clients;
    this.auth = auth;
    this.runs = runs;
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
    Future<List<Client>> targets = requested != null
        ? clients.byId(requested).compose(c -> c.active() ? Future.succeededFuture(List.of(c))
            : Future.failedFuture(new ApiError(409, "client " + c.clientId() + " is " + c.status() + "; only Active clients are scored")))
        : vertx.eventBus().<JsonObject>request(Addresses.CLIENTS_LIST, new JsonObject())
            .map(m -> m.body().getJsonArray("clients").stream().map(o -> Client.fromJson((JsonObject) o))
                .filter(Client::active).toList());
    targets.compose(list -> {
      List<Future<JsonObject>> triggered = new ArrayList<>();
      for (Client c : list) triggered.add(trigger(c, limit, force, wait));
      return Future.join(triggered).transform(ar -> Future.succeededFuture(triggered.stream().map(Future::result).toList()));
    }).onComplete(ar -> {
      if (ar.failed()) {
        ErrorResponder.respond(ctx, ar.cause());
        return;
      }
      List<JsonObject> results = ar.result();
      if (requested != null && results.size() == 1 && "rejected".equals(results.get(0).getString("status"))) {
        JsonObject r = results.get(0);
        Responses.json(ctx, r.getInteger("httpStatus", 409), new JsonObject().put("ok", false)
            .put("status", r.getInteger("httpStatus", 409)).put("error", r.getString("error")).put("runId", r.getString("runId")));
        return;
      }
      if (wait) {
        Responses.json(ctx, 200, legacySummary(results, started));
        return;
      }
      JsonObject reply = new JsonObject().put("runs", runList(results));
      if (accepted) {
        reply = new JsonObject().put("status", "accepted")
            .put("message", "Post scoring started for " + results.size() + " client(s)" + (force ? " (forceRescore)" : ""))
            .put("runs", reply.getJsonArray("runs"));
      }
      Responses.json(ctx, 202, reply);
    });
  }

  private static JsonArray runList(List<JsonObject> results) {
    JsonArray out = new JsonArray();
    for (JsonObject r : results) {
      out.add(new JsonObject().put("runId", r.getString("runId")).put("clientId", r.getString("clientId"))
          .put("kind", ClientWorker.KIND_POSTS).put("status", r.getString("status")).put("error", r.getString("error")));
    }
    return out;
  }

  /** Starts one client's run; a refusal (already running, paused) becomes a "rejected" entry, not a failure. */
  private Future<JsonObject> trigger(Client c, int limit, boolean force, boolean wait) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(wait ? WAIT_TIMEOUT_MS : 30_000);
    return vertx.eventBus().<JsonObject>request(Addresses.scorePosts(c.clientId()),
            new JsonObject().put("limit", limit).put("wait", wait).put("forceRescore", force), opts)
        .map(m -> m.body())
        .recover(e -> {
          int code = e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE ? re.failureCode() : 503;
          return runs.activeRun(c.clientId(), ClientWorker.KIND_POSTS).otherwise((String) null)
              .map(active -> new JsonObject().put("clientId", c.clientId()).put("status", "rejected")
                  .put("httpStatus", code).put("error", e.getMessage()).put("runId", code == 409 ? active : null));
        });
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
