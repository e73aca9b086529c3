package pbwebhook.scoring;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.Lock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.Addresses;
import pbwebhook.ai.AiScorer;
import pbwebhook.clients.Client;
import pbwebhook.config.AppConfig;
import pbwebhook.execlog.ExecutionLogFormatter;
import pbwebhook.execlog.LogEntry;
import pbwebhook.ingest.LeadIngestor;
import pbwebhook.runs.RunProgress;
import pbwebhook.runs.RunTracker;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.RecordStore;
import pbwebhook.store.StoreException;
import pbwebhook.store.schema.Leads;

/**
 * One client's worker: the only component that touches the client's base. It ingests profiles (one
 * writer, coalesced), runs lead scoring (one run at a time, cluster-wide lock), scores single leads and
 * answers read queries. A paused client's worker only ingests.
 */
public class ClientWorker extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ClientWorker.class);
  public static final String KIND_LEADS = "leads";
  private static final int MAX_LIST_LIMIT = 1000;

  private final Client client;
  private final AppConfig config;
  private final RecordStore store;
  private final AiScorer scorer;
  private LeadIngestor ingestor;
  private LeadScoringService scoring;
  private RunTracker runs;

  public ClientWorker(Client client, AppConfig config, RecordStore store, AiScorer scorer) {
    this.client = client;
    this.config = config;
    this.store = store;
    this.scorer = scorer;
  }

  @Override
  public Future<?> start() {
    ingestor = new LeadIngestor(store, client.baseId(), client.clientId());
    RubricLoader rubrics = new RubricLoader(store, client.baseId(), config.attrTableName(), config.rubricCacheTtlS() * 1000L);
    var ai = config.ai();
    scoring = new LeadScoringService(vertx, client, store, scorer, rubrics, config.batchChunkSize(), config.maxFailedAttempts(),
        ai.maxPromptTokens(), ai.concurrency(), tokens -> ai.prices().costUsd(ai.model(), tokens));
    runs = new RunTracker(vertx);
    var bus = vertx.eventBus();
    String id = client.clientId();
    return Future.join(List.of(
        bus.<JsonObject>consumer(Addresses.ingest(id), this::onIngest).completion(),
        bus.<JsonObject>consumer(Addresses.scoreLeads(id), this::onScoreLeads).completion(),
        bus.<JsonObject>consumer(Addresses.scoreLead(id), this::onScoreLead).completion(),
        bus.<JsonObject>consumer(Addresses.leadsList(id), this::onLeadsList).completion(),
        bus.<JsonObject>consumer(Addresses.leadsGet(id), this::onLeadsGet).completion()));
  }

  private void onIngest(Message<JsonObject> m) {
    JsonArray profiles = m.body().getJsonArray("profiles", new JsonArray());
    Instant receivedAt = Instant.parse(m.body().getString("receivedAt", Instant.now().toString()));
    List<JsonObject> items = profiles.stream().map(o -> o instanceof JsonObject j ? j : new JsonObject()).toList();
    ingestor.submit(items, receivedAt).onComplete(ar -> {
      if (ar.failed()) {
        fail(m, ar.cause());
        return;
      }
      var r = ar.result();
      log.info("client {}: ingest {} created, {} updated, {} unchanged, {} failed", client.clientId(), r.created(),
          r.updated(), r.unchanged(), r.failed());
      m.reply(new JsonObject().put("created", r.created()).put("updated", r.updated()).put("unchanged", r.unchanged())
          .put("upserted", r.upserted()).put("failed", r.failed()).put("errors", new JsonArray(r.errors())));
    });
  }

  private void onScoreLeads(Message<JsonObject> m) {
    if (!client.active()) {
      m.fail(409, "client " + client.clientId() + " is " + client.status() + "; only Active clients are scored");
      return;
    }
    int limit = m.body().getInteger("limit", config.defaultBatchLimit());
    boolean wait = m.body().getBoolean("wait", false);
    runs.tryLock(client.clientId(), KIND_LEADS).onComplete(locked -> {
      if (locked.failed()) {
        runs.activeRun(client.clientId(), KIND_LEADS).onComplete(active -> m.fail(409,
            "a leads run is already running for client " + client.clientId()
                + (active.succeeded() && active.result() != null ? ": " + active.result() : "")));
        return;
      }
      RunProgress run = new RunProgress(RunTracker.newRunId(client.clientId(), KIND_LEADS), client.clientId(),
          client.clientName(), KIND_LEADS, Instant.now());
      Future.join(runs.markActive(client.clientId(), KIND_LEADS, run.runId()), runs.save(run)).onComplete(saved -> {
        if (!wait) m.reply(run.toJson());
        log.info("client {} run {}: started (limit {})", client.clientId(), run.runId(), limit);
        scoring.runBatch(run, limit, () -> runs.save(run))
            .onComplete(ar -> finish(run, ar.failed() ? ar.cause() : null, locked.result())
                .onComplete(done -> { if (wait) m.reply(run.toJson()); }));
      });
    });
  }

  private Future<Void> finish(RunProgress run, Throwable fatal, Lock lock) {
    if (fatal != null) {
      run.error("Fatal error: " + fatal.getMessage());
      log.error("client {} run {}: failed: {}", client.clientId(), run.runId(), fatal.getMessage());
    }
    run.finish(Instant.now(), fatal != null);
    log.info("client {} run {}: {} ({}/{} successful, {} skipped, {} failed, {} tokens)", client.clientId(),
        run.runId(), run.status(), run.successful(), run.processed(), run.skipped(), run.failed(), run.tokens().total());
    String entry = ExecutionLogFormatter.format(new LogEntry(run.startedAt(), logStatus(run.status()), run.successful(),
        run.processed(), run.durationSeconds(), run.tokens().total(), run.errors(), null, null));
    JsonObject record = run.toJson().put("entry", entry).put("logStatus", logStatus(run.status()));
    return Future.join(runs.save(run), runs.clearActive(client.clientId(), KIND_LEADS))
        .eventually(() -> {
          lock.release();
          return vertx.eventBus().request(Addresses.EXECLOG_RECORD, record)
              .onFailure(e -> log.warn("client {} run {}: execution log not written: {}", client.clientId(),
                  run.runId(), e.getMessage()));
        })
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  private static String logStatus(String runStatus) {
    return switch (runStatus) {
      case RunProgress.COMPLETED -> "Completed successfully";
      case RunProgress.COMPLETED_WITH_ERRORS -> "Completed with errors";
      default -> "Failed";
    };
  }

  private void onScoreLead(Message<JsonObject> m) {
    if (!client.active()) {
      m.fail(409, "client " + client.clientId() + " is " + client.status() + "; only Active clients are scored");
      return;
    }
    scoring.scoreOne(m.body().getString("recordId")).onComplete(ar -> {
      if (ar.succeeded()) m.reply(ar.result());
      else fail(m, ar.cause());
    });
  }

  private void onLeadsList(Message<JsonObject> m) {
    String status = m.body().getString("status");
    int limit = Math.min(MAX_LIST_LIMIT, Math.max(1, m.body().getInteger("limit", 100)));
    ListQuery q = (status == null ? ListQuery.all() : ListQuery.where(Filter.eq(Leads.SCORING_STATUS, status)))
        .withMaxRecords(limit);
    store.listAll(client.baseId(), Leads.TABLE, q).onComplete(ar -> {
      if (ar.failed()) {
        fail(m, ar.cause());
        return;
      }
      JsonArray out = new JsonArray();
      ar.result().forEach(r -> out.add(r.toJson()));
      m.reply(new JsonObject().put("clientId", client.clientId()).put("count", out.size()).put("records", out));
    });
  }

  private void onLeadsGet(Message<JsonObject> m) {
    store.get(client.baseId(), Leads.TABLE, m.body().getString("recordId")).onComplete(ar -> {
      if (ar.succeeded()) m.reply(ar.result().toJson());
      else fail(m, ar.cause());
    });
  }

  /** Replies with an HTTP-like failure code so the HTTP layer can map it in one place. */
  private void fail(Message<?> m, Throwable e) {
    int code = e instanceof StoreException se ? switch (se.kind()) {
      case NOT_FOUND -> 404;
      case INVALID_FIELD, INVALID_VALUE, INVALID_REQUEST -> 422;
      case RATE_LIMITED, UNAVAILABLE, BILLING_LIMIT, FORBIDDEN -> 503;
    } : 500;
    m.fail(code, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }
}
