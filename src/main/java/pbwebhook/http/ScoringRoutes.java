package pbwebhook.http;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import pbwebhook.Addresses;
import pbwebhook.config.AppConfig;
import pbwebhook.runs.RunTracker;
import pbwebhook.clients.ClientWorker;

/** Lead-scoring triggers and run status: {@code /run-batch-score}, {@code /score-lead}, {@code /api/runs}. */
public final class ScoringRoutes {

  private static final int MAX_LIMIT = 100_000;

  private final Vertx vertx;
  private final AppConfig config;
  private final ClientResolver clients;
  private final RunTracker runs;
  private final RunLauncher launcher;

  public ScoringRoutes(Vertx vertx, AppConfig config, ClientResolver clients, RunTracker runs) {
    this.vertx = vertx;
    this.config = config;
    this.clients = clients;
    this.runs = runs;
    this.launcher = new RunLauncher(vertx, clients, runs);
  }

  public void mount(Router router) {
    router.get("/run-batch-score").handler(this::runBatch);
    router.post("/run-batch-score").handler(this::runBatch);
    router.get("/score-lead").handler(this::scoreLead);
    router.get("/api/runs").handler(this::listRuns);
    router.get("/api/runs/:runId").handler(this::getRun);
  }

  private void runBatch(RoutingContext ctx) {
    int limit = Responses.positiveInt(ctx, "limit", config.defaultBatchLimit(), MAX_LIMIT);
    boolean wait = Responses.flag(ctx, "wait");
    String requested = ClientResolver.requested(ctx);
    long started = System.currentTimeMillis();
    launcher.targets(requested)
        .compose(list -> launcher.launch(list, Addresses::scoreLeads, ClientWorker.KIND_LEADS,
            new JsonObject().put("limit", limit), wait))
        .onSuccess(results -> {
          if (RunLauncher.answeredRefusal(ctx, requested, results)) return;
          if (wait) Responses.json(ctx, 200, legacySummary(results, started));
          else Responses.json(ctx, 202, new JsonObject().put("runs", RunLauncher.runList(results, ClientWorker.KIND_LEADS)));
        })
        .onFailure(e -> ErrorResponder.respond(ctx, e));
  }

  /** The old synchronous reply (system.md §1), for cron jobs that read it. */
  private static JsonObject legacySummary(List<JsonObject> results, long startedMs) {
    int processed = 0, successful = 0, failed = 0;
    long tokens = 0;
    JsonArray clientResults = new JsonArray();
    for (JsonObject r : results) {
      JsonObject counts = r.getJsonObject("counts", new JsonObject());
      processed += counts.getInteger("processed", 0);
      successful += counts.getInteger("successful", 0);
      failed += counts.getInteger("failed", 0);
      long t = r.getJsonObject("tokens", new JsonObject()).getLong("total", 0L);
      tokens += t;
      clientResults.add(new JsonObject().put("clientId", r.getString("clientId")).put("runId", r.getString("runId"))
          .put("processed", counts.getInteger("processed", 0)).put("successful", counts.getInteger("successful", 0))
          .put("failed", counts.getInteger("failed", 0)).put("tokensUsed", t)
          .put("duration", r.getLong("durationSeconds", 0L)).put("status", r.getString("status"))
          .put("error", r.getString("error")));
    }
    long seconds = (System.currentTimeMillis() - startedMs) / 1000;
    return new JsonObject().put("ok", true)
        .put("message", "Batch scoring completed for " + results.size() + " client(s)")
        .put("summary", new JsonObject().put("clientsProcessed", results.size()).put("totalLeadsProcessed", processed)
            .put("totalSuccessful", successful).put("totalFailed", failed).put("totalTokensUsed", tokens)
            .put("totalDurationSeconds", seconds))
        .put("clientResults", clientResults);
  }

  private void scoreLead(RoutingContext ctx) {
    String recordId = ctx.request().getParam("recordId");
    if (recordId == null || recordId.isBlank()) throw ApiError.badRequest("recordId query parameter is required");
    Responses.reply(ctx, 200, clients.resolve(ctx).compose(c -> vertx.eventBus()
        .<JsonObject>request(Addresses.scoreLead(c.clientId()), new JsonObject().put("recordId", recordId.trim()),
            new DeliveryOptions().setSendTimeout(300_000))
        .map(m -> m.body())));
  }

  private void listRuns(RoutingContext ctx) {
    int limit = Responses.positiveInt(ctx, "limit", 50, 1000);
    String clientId = ClientResolver.requested(ctx);
    Responses.reply(ctx, 200, runs.list(clientId, limit).map(list -> new JsonObject()
        .put("runs", new JsonArray(new ArrayList<>(list)))));
  }

  private void getRun(RoutingContext ctx) {
    String runId = ctx.pathParam("runId");
    Responses.reply(ctx, 200, runs.get(runId).compose(r -> r == null
        ? Future.failedFuture(new ApiError(404, "unknown run: " + runId)) : Future.succeededFuture(r)));
  }
}
