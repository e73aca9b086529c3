package pbwebhook.http;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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

/** Lead-scoring triggers and run status: {@code /run-batch-score}, {@code /score-lead}, {@code /api/runs}. */
public final class ScoringRoutes {

  private static final int MAX_LIMIT = 100_000;
  /** A synchronous ({@code ?wait=true}) run may take long; cron jobs that ask for it accept that. */
  private static final long WAIT_TIMEOUT_MS = 6L * 3600 * 1000;

  private final Vertx vertx;
  private final AppConfig config;
  private final ClientResolver clients;
  private final RunTracker runs;

  public ScoringRoutes(Vertx vertx, AppConfig config, ClientResolver clients, RunTracker runs) {
    this.vertx = vertx;
    this.config = config;
    this.clients = clients;
    this.runs = runs;
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
    Future<List<Client>> targets = requested != null
        ? clients.byId(requested).compose(c -> c.active() ? Future.succeededFuture(List.of(c))
            : Future.failedFuture(new ApiError(409, "client " + c.clientId() + " is " + c.status() + "; only Active clients are scored")))
        : vertx.eventBus().<JsonObject>request(Addresses.CLIENTS_LIST, new JsonObject())
            .map(m -> m.body().getJsonArray("clients").stream().map(o -> Client.fromJson((JsonObject) o))
                .filter(Client::active).toList());
    targets.compose(list -> {
      List<Future<JsonObject>> started1 = new ArrayList<>();
      for (Client c : list) started1.add(trigger(c, limit, wait));
      return Future.join(started1).transform(ar -> Future.succeededFuture(started1.stream().map(Future::result).toList()));
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
      if (wait) Responses.json(ctx, 200, legacySummary(results, started));
      else Responses.json(ctx, 202, new JsonObject().put("runs", new JsonArray(new ArrayList<>(results.stream()
          .map(r -> new JsonObject().put("runId", r.getString("runId")).put("clientId", r.getString("clientId"))
              .put("kind", ClientWorker.KIND_LEADS).put("status", r.getString("status"))
              .put("error", r.getString("error")))
          .toList()))));
    });
  }

  /** Starts one client's run; a refusal (already running, paused) becomes a "rejected" entry, not a failure. */
  private Future<JsonObject> trigger(Client c, int limit, boolean wait) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(wait ? WAIT_TIMEOUT_MS : 30_000);
    return vertx.eventBus().<JsonObject>request(Addresses.scoreLeads(c.clientId()),
            new JsonObject().put("limit", limit).put("wait", wait), opts)
        .map(m -> m.body())
        .recover(e -> {
          int code = e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE ? re.failureCode() : 503;
          return runs.activeRun(c.clientId(), ClientWorker.KIND_LEADS).otherwise((String) null)
              .map(active -> new JsonObject().put("clientId", c.clientId()).put("status", "rejected")
                  .put("httpStatus", code).put("error", e.getMessage()).put("runId", code == 409 ? active : null));
        });
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
