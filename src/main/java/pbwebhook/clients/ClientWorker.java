package pbwebhook.clients;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.ArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.Addresses;
import pbwebhook.ai.AiException;
import pbwebhook.alerts.Alert;
import pbwebhook.alerts.AlertKind;
import pbwebhook.ai.AiScorer;
import pbwebhook.ai.TokenUsage;
import pbwebhook.metrics.ServerMetrics;
import pbwebhook.config.AppConfig;
import pbwebhook.execlog.ExecutionLogFormatter;
import pbwebhook.execlog.LogEntry;
import pbwebhook.gpt.GptHelpers;
import pbwebhook.inbox.DeliveryReceiver;
import pbwebhook.ingest.LeadIngestor;
import pbwebhook.ingest.LeadNoteWriter;
import pbwebhook.ingest.PbPostsParser;
import pbwebhook.ingest.PostIngestor;
import pbwebhook.messaging.ClientMessaging;
import pbwebhook.messaging.MessageQueue;
import pbwebhook.ingest.PostsContentRepair;
import pbwebhook.runs.RunProgress;
import pbwebhook.scoring.LeadScoringService;
import pbwebhook.scoring.PostScoringService;
import pbwebhook.scoring.PostScoringSetup;
import pbwebhook.scoring.RubricLoader;
import pbwebhook.runs.RunHistory;
import pbwebhook.runs.RunTracker;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.RecordStore;
import pbwebhook.store.StoreException;
import pbwebhook.store.schema.Leads;

/**
 * One client's worker: the only component that touches the client's base. It ingests profiles (one
 * writer, coalesced), runs lead scoring (one run at a time, on the client's owner only), scores single leads and
 * answers read queries. A paused client's worker only ingests.
 */
public class ClientWorker extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ClientWorker.class);
  public static final String KIND_LEADS = "leads";
  public static final String KIND_POSTS = "posts";
  /** The admin's Posts Content repair: a tracked run with its own lock, no AI, no execution log entry. */
  public static final String KIND_POSTS_CONTENT = "posts-content";
  private static final int MAX_LIST_LIMIT = 1000;

  private final Client client;
  private final AppConfig config;
  private final RecordStore store;
  private final AiScorer scorer;
  private LeadIngestor ingestor;
  private final DeliveryReceiver deliveries = new DeliveryReceiver();
  private LeadScoringService scoring;
  private RunTracker runs;
  private TokenBudget budget;
  private PostIngestor postIngestor;
  private PostScoringService postScoring;
  private LeadNoteWriter notes;
  private GptHelpers gpt;
  private PostsContentRepair postsRepair;

  private final BooleanSupplier owns;
  private final RunHistory history;
  private final MessageQueue messages;
  private ClientMessaging messaging;
  private volatile String stopReason = "the client was paused, changed or removed";

  /**
   * @param history where this member keeps the runs it ran (null: in memory only)
   * @param owns whether this member still owns the client: a worker that lost it (a freeze, a split) leaves its
   *     run to the new owner, which ends it, instead of writing a second log entry
   * @param messages the durable message queue this worker dispatches the client's jobs of (null: no messaging)
   */
  public ClientWorker(Client client, AppConfig config, RecordStore store, AiScorer scorer, BooleanSupplier owns,
                      RunHistory history, MessageQueue messages) {
    this.messages = messages;
    this.history = history;
    this.client = client;
    this.config = config;
    this.store = store;
    this.scorer = scorer;
    this.owns = owns;
  }

  /**
   * Runs under way, by kind: one at a time per kind, and only the client's owner runs them (so this worker's own
   * map is the run lock). A worker stopped mid-run ends them itself.
   */
  private final Map<String, RunProgress> active = new ConcurrentHashMap<>();

  private static final long FINISH_RETRY_MS = 500;
  private volatile boolean stopped;

  /** Runs whose work is done and whose end (log entry, final record) is being written. */
  private final java.util.concurrent.atomic.AtomicInteger ending = new java.util.concurrent.atomic.AtomicInteger();

  /**
   * A run is under way, or its end is still being written (the client is not handed to another member, nor the
   * member shut down, until it is).
   */
  public boolean busy() {
    return !active.isEmpty() || ending.get() > 0;
  }

  /** Why the worker is being stopped, for the runs it ends. */
  public void stopReason(String reason) {
    stopReason = reason;
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    List<Future<Void>> ended = new ArrayList<>();
    for (var e : new ArrayList<>(active.entrySet())) {
      active.remove(e.getKey());
      // A member that lost the client makes no further AI call for the run (its writes are refused anyway).
      if (!owns.getAsBoolean()) e.getValue().stopped("owner", "this member lost the client mid-run (" + stopReason + ")");
      ended.add(finish(e.getValue(), new IllegalStateException("the run was stopped because the client's worker was redeployed ("
          + stopReason + ")")));
    }
    if (messaging != null) ended.add(messaging.stop());
    return Future.join(ended);
  }

  @Override
  public Future<?> start() {
    // A write queued (rate limit) while this member lost the client is refused as it leaves, not sent late.
    pbwebhook.store.WriteFence.install(context, owns);
    ingestor = new LeadIngestor(vertx, store, client.baseId(), client.clientId());
    RubricLoader rubrics = new RubricLoader(store, client.baseId(), config.attrTableName(), config.rubricCacheTtlS() * 1000L);
    var ai = config.ai();
    Function<TokenUsage, Double> costUsd = tokens -> ai.prices().costUsd(ai.model(), tokens);
    scoring = new LeadScoringService(vertx, client, store, scorer, rubrics, config.batchChunkSize(), config.maxFailedAttempts(),
        ai.maxPromptTokens(), ai.concurrency(), costUsd);
    runs = new RunTracker(vertx, history);
    budget = new TokenBudget(vertx, store, config);
    postIngestor = new PostIngestor(store, client.baseId(), client.clientId());
    postScoring = new PostScoringService(vertx, client, store, scorer,
        new PostScoringSetup.Loader(store, client.baseId(), config.rubricCacheTtlS() * 1000L), config.postsTimeZone(),
        config.ai().postBatchChunkSize(), costUsd);
    notes = new LeadNoteWriter(store, client.baseId());
    if (messages != null) messaging = new ClientMessaging(vertx, client, store, messages, config.messaging());
    gpt = new GptHelpers(store, client.baseId(), config.attrTableName(), rubrics);
    postsRepair = new PostsContentRepair(store, client.baseId(), postIngestor);
    var bus = vertx.eventBus();
    String id = client.clientId();
    return endOrphanedRuns().compose(v -> Future.join(List.of(
        messaging == null ? Future.succeededFuture() : messaging.start(),
        bus.<JsonObject>consumer(Addresses.ingest(id), this::onIngest).completion(),
        bus.<JsonObject>consumer(Addresses.scoreLeads(id), this::onScoreLeads).completion(),
        bus.<JsonObject>consumer(Addresses.scoreLead(id), this::onScoreLead).completion(),
        bus.<JsonObject>consumer(Addresses.leadsList(id), this::onLeadsList).completion(),
        bus.<JsonObject>consumer(Addresses.leadsGet(id), this::onLeadsGet).completion(),
        bus.<JsonObject>consumer(Addresses.health(id), m -> new ClientHealthCheck(store, client, config.attrTableName(),
            config.masterClientsBaseId())
            .check().onComplete(ar -> {
              if (ar.succeeded()) {
                if (!ar.result().getBoolean("healthy", true)) alertUnhealthy(ar.result());
                m.reply(ar.result());
              } else {
                fail(m, ar.cause());
              }
            })).completion(),

        bus.<JsonObject>consumer(Addresses.posts(id), this::onPosts).completion(),
        bus.<JsonObject>consumer(Addresses.scorePosts(id), this::onScorePosts).completion(),
        bus.<JsonObject>consumer(Addresses.scorePost(id), this::onScorePost).completion(),
        bus.<JsonObject>consumer(Addresses.leadNote(id), this::onLeadNote).completion(),
        bus.<JsonObject>consumer(Addresses.gptHelper(id), m -> gpt.handle(m.body()).onComplete(ar -> {
          if (ar.succeeded()) m.reply(ar.result());
          else fail(m, ar.cause());
        })).completion(),
        bus.<JsonObject>consumer(Addresses.postsContentRepair(id), this::onPostsContentRepair).completion(),
        bus.<JsonObject>consumer(Addresses.postsContentQuality(id), m -> postsRepair.run(true, c -> { })
            .onComplete(ar -> {
              if (ar.succeeded()) m.reply(ar.result().toJson().put("clientId", client.clientId()));
              else fail(m, ar.cause());
            })).completion())));
  }

  /**
   * A run recorded as under way for this client when its worker starts here was left by an owner that is gone
   * (it crashed, froze or restarted): it ends {@code failed} with the reason "owner left" and its log entry.
   */
  private Future<Void> endOrphanedRuns() {
    List<Future<Void>> ended = new ArrayList<>();
    for (String kind : List.of(KIND_LEADS, KIND_POSTS, KIND_POSTS_CONTENT)) {
      ended.add(runs.activeRun(client.clientId(), kind)
          .compose(runId -> runId == null ? Future.succeededFuture() : runs.get(runId))
          .compose(snapshot -> {
            if (snapshot == null || !RunProgress.RUNNING.equals(snapshot.getString("status"))) {
              return runs.clearActive(client.clientId(), kind);
            }
            RunProgress run = RunProgress.fromJson(snapshot);
            log.warn("client {} run {}: its owner left mid-run; ending it", client.clientId(), run.runId());
            return finish(run, new IllegalStateException("owner left"));
          })
          .recover(e -> {
            log.warn("client {}: could not check for an orphaned {} run: {}", client.clientId(), kind, e.getMessage());
            return Future.succeededFuture();
          }));
    }
    return Future.join(ended).mapEmpty();
  }

  private void onIngest(Message<JsonObject> m) {
    // An inbox slice re-sent while it is still being written joins that write instead of starting another.
    deliveries.once(m.body(), () -> {
      JsonArray profiles = m.body().getJsonArray("profiles", new JsonArray());
      Instant receivedAt = Instant.parse(m.body().getString("receivedAt", Instant.now().toString()));
      List<JsonObject> items = profiles.stream().map(o -> o instanceof JsonObject j ? j : new JsonObject()).toList();
      return ingestor.submit(items, receivedAt).map(r -> {
        log.info("client {}: ingest {} created, {} updated, {} unchanged, {} failed", client.clientId(), r.created(),
            r.updated(), r.unchanged(), r.failed());
        return new JsonObject().put("created", r.created()).put("updated", r.updated()).put("unchanged", r.unchanged())
            .put("upserted", r.upserted()).put("failed", r.failed()).put("errors", new JsonArray(r.errors()));
      });
    }).onSuccess(m::reply).onFailure(e -> fail(m, e));
  }

  private void onScoreLeads(Message<JsonObject> m) {
    int limit = m.body().getInteger("limit", config.defaultBatchLimit());
    startRun(m, KIND_LEADS, limit, run -> scoring.runBatch(run, limit, () -> saveProgress(run)));
  }

  /** Post scoring run: {@code {limit, wait, forceRescore}}, same run model as lead scoring. */
  private void onScorePosts(Message<JsonObject> m) {
    int limit = m.body().getInteger("limit", config.defaultBatchLimit());
    boolean force = m.body().getBoolean("forceRescore", false);
    startRun(m, KIND_POSTS, limit, run -> postScoring.runBatch(run, limit, force, () -> saveProgress(run)));
  }

  /**
   * Posts Content repair run: {@code {dryRun, wait}}. Paused clients too (it is maintenance, not scoring), without
   * the token budget (no AI). Progress: leads gone through of those with a Posts Content.
   */
  private void onPostsContentRepair(Message<JsonObject> m) {
    boolean dryRun = m.body().getBoolean("dryRun", false);
    startRun(m, KIND_POSTS_CONTENT, 0, run -> postsRepair.count().compose(total -> {
      run.total(total);
      run.result(PostsContentRepair.Counts.NONE.toJson().put("dryRun", dryRun));
      saveProgress(run);
      PostsContentRepair.Counts[] before = {PostsContentRepair.Counts.NONE};
      return postsRepair.run(dryRun, sofar -> {
        run.succeeded(sofar.alreadyValid() + sofar.repaired() - before[0].alreadyValid() - before[0].repaired());
        run.failedLeads(sofar.failed() - before[0].failed());
        before[0] = sofar;
        run.total(Math.max(run.total(), sofar.scanned()));
        run.result(sofar.toJson().put("dryRun", dryRun));
        saveProgress(run);
      });
    }).mapEmpty(), null);
  }

  /** One run per client and kind: replies with the run at once, or at the end when {@code wait} is set. */
  private void startRun(Message<JsonObject> m, String kind, int limit, Function<RunProgress, Future<Void>> work) {
    if (!client.active()) {
      m.fail(409, "client " + client.clientId() + " is " + client.status() + "; only Active clients are scored");
      return;
    }
    // The monthly token budget: refused while used up; otherwise the run gets what is left of it.
    budget.usage(client.clientId()).onComplete(usage -> {
      if (usage.failed()) {
        log.warn("client {}: token usage unreadable ({}); running without the budget", client.clientId(),
            usage.cause().getMessage());
      }
      TokenBudget.Usage u = usage.succeeded() ? usage.result() : null;
      String refusal = u == null ? null : u.refusal(client.clientId());
      if (refusal != null) {
        Alert.raise(vertx, AlertKind.BUDGET, client.clientId(), refusal);
        m.fail(409, refusal);
        return;
      }
      startRun(m, kind, limit, work, u);
    });
  }

  private void startRun(Message<JsonObject> m, String kind, int limit, Function<RunProgress, Future<Void>> work,
                        TokenBudget.Usage usage) {
    boolean wait = m.body().getBoolean("wait", false);
    Long notAfter = m.body().getLong("notAfter");
    if (notAfter != null && System.currentTimeMillis() > notAfter) {
      // Its caller was already answered 503: a request that answered an error never acts afterwards.
      log.warn("client {}: a {} run trigger arrived after its caller gave up; not started", client.clientId(), kind);
      m.fail(503, "the trigger arrived after its deadline");
      return;
    }
    RunProgress run = new RunProgress(RunTracker.newRunId(client.clientId(), kind), client.clientId(),
        client.clientName(), kind, Instant.now());
    if (usage != null && usage.budgetTokens() != null) run.tokenBudget(usage.budgetTokens(), usage.tokens());
    RunProgress running = active.putIfAbsent(kind, run);
    if (running != null) {
      m.fail(409, "a " + kind + " run is already running for client " + client.clientId() + ": " + running.runId());
      return;
    }
    Future.join(runs.markActive(client.clientId(), kind, run.runId()), runs.save(run)).onComplete(saved -> {
      if (!wait) m.reply(run.toJson());
      log.info("client {} run {}: {} run started (limit {})", client.clientId(), run.runId(), kind, limit);
      work.apply(run).onComplete(ar -> {
        // Already finished when the worker was stopped mid-run.
        if (active.remove(kind, run)) {
          ending.incrementAndGet();
          finish(run, ar.failed() ? ar.cause() : null).onComplete(done -> {
            ending.decrementAndGet();
            if (wait) m.reply(run.toJson());
          });
        } else if (wait) {
          m.reply(run.toJson());
        }
      });
    });
  }

  /** A progress snapshot, only while this member owns the client: a former owner never rewrites the run's record. */
  private Future<Void> saveProgress(RunProgress run) {
    return owns.getAsBoolean() ? runs.save(run) : Future.succeededFuture();
  }

  private Future<Void> finish(RunProgress run, Throwable fatal) {
    if (!owns.getAsBoolean()) {
      if (!stopped) {
        // The lease lapsed here without being lost (a renewal answered late): the run ends as soon as this
        // member holds the client again, or, once it has lost it (this worker stops), its new owner ends it.
        io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
        vertx.setTimer(FINISH_RETRY_MS, t -> finish(run, fatal).onComplete(ar -> later.tryComplete()));
        return later.future();
      }
      // Another member owns the client now: it ends this run ("owner left") and writes its log entry.
      log.warn("client {} run {}: this member no longer owns the client; the run is left to its new owner",
          client.clientId(), run.runId());
      return Future.succeededFuture();
    }
    if (fatal != null) {
      run.error("Fatal error: " + fatal.getMessage());
      log.error("client {} run {}: failed: {}", client.clientId(), run.runId(), fatal.getMessage());
    }
    Instant end = Instant.now();
    run.finish(end, fatal != null);
    ServerMetrics.of(vertx).runFinished(client.clientId(), run.kind(), run.status(), Duration.between(run.startedAt(), end));
    log.info("client {} run {}: {} ({}/{} successful, {} skipped, {} failed, {} tokens)", client.clientId(),
        run.runId(), run.status(), run.successful(), run.processed(), run.skipped(), run.failed(), run.tokens().total());
    boolean posts = KIND_POSTS.equals(run.kind());
    String status = ExecutionLogFormatter.statusWord(posts, run.status());
    // A post run's entry shows 0/0 leads and its own POST SCORING line (system.md §6.3).
    String entry = ExecutionLogFormatter.format(posts
        ? new LogEntry(run.startedAt(), status, 0, 0, run.durationSeconds(), run.tokens().total(), run.errors(),
            run.successful(), run.processed(), run.tokens(), run.estimatedCostUsd())
        : new LogEntry(run.startedAt(), status, run.successful(), run.processed(), run.durationSeconds(),
            run.tokens().total(), run.errors(), null, null, run.tokens(), run.estimatedCostUsd()));
    JsonObject record = run.toJson().put("entry", entry).put("logStatus", status);
    // Log first, then free the client, then publish the final status: a run that reads as finished has its
    // log entry written and no longer blocks the next run.
    // This member's own log writer: only the client's owner runs its runs, so one writer per client cluster-wide.
    Future<?> logged = KIND_POSTS_CONTENT.equals(run.kind()) ? Future.succeededFuture()
        : vertx.eventBus().request(Addresses.EXECLOG_RECORD, record, new DeliveryOptions().setLocalOnly(true))
            .onFailure(e -> log.warn("client {} run {}: execution log not written: {}", client.clientId(),
                run.runId(), e.getMessage()));
    return logged
        .eventually(() -> runs.clearActive(client.clientId(), run.kind()))
        .eventually(() -> runs.save(run))
        .<Void>mapEmpty()
        .recover(e -> Future.succeededFuture());
  }

  /** A health check that finds the base unreachable or lacking what the scoring needs is worth an alert. */
  private void alertUnhealthy(JsonObject health) {
    String detail = health.getBoolean("reachable", true) ? "base " + client.baseId() + " lacks tables "
        + health.getValue("missingTables") + " and fields " + health.getValue("missingFields")
        : "base " + client.baseId() + " is not reachable: " + health.getString("error", "");
    Alert.raise(vertx, AlertKind.SCHEMA, client.clientId(), detail);
  }

  /** PhantomBuster posts, merged into Posts Content; replies only after the store write. */
  private void onPosts(Message<JsonObject> m) {
    deliveries.once(m.body(), () -> {
      Instant receivedAt = Instant.parse(m.body().getString("receivedAt", Instant.now().toString()));
      List<PbPostsParser.ProfilePosts> items = m.body().getJsonArray("items", new JsonArray()).stream()
          .filter(o -> o instanceof JsonObject).map(o -> PbPostsParser.ProfilePosts.fromJson((JsonObject) o)).toList();
      return postIngestor.submit(items, receivedAt).map(r -> {
        log.info("client {}: posts for {} profiles: {} leads updated ({} posts added), {} skipped, {} unmatched",
            client.clientId(), r.processed(), r.updated(), r.postsAdded(), r.skipped(), r.unmatched());
        return new JsonObject().put("processed", r.processed()).put("updated", r.updated()).put("skipped", r.skipped())
            .put("unmatched", r.unmatched()).put("postsAdded", r.postsAdded()).put("failed", r.failed())
            .put("errors", new JsonArray(r.errors()));
      });
    }).onSuccess(m::reply).onFailure(e -> fail(m, e));
  }

  private void onScorePost(Message<JsonObject> m) {
    if (!client.active()) {
      m.fail(409, "client " + client.clientId() + " is " + client.status() + "; only Active clients are scored");
      return;
    }
    postScoring.scoreOne(m.body().getString("recordId")).onComplete(ar -> {
      if (ar.succeeded()) m.reply(ar.result());
      else fail(m, ar.cause());
    });
  }

  private void onLeadNote(Message<JsonObject> m) {
    JsonObject b = m.body();
    notes.logSentMessage(b.getString("profileUrl"), b.getString("linkedinMessage"), b.getString("timestamp"))
        .onComplete(ar -> {
          if (ar.succeeded()) m.reply(new JsonObject().put("recordId", ar.result()));
          else fail(m, ar.cause());
        });
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
  public static void fail(Message<?> m, Throwable e) {
    int code = e instanceof StoreException se ? switch (se.kind()) {
      case NOT_FOUND -> 404;
      case INVALID_FIELD, INVALID_VALUE, INVALID_REQUEST -> 422;
      case RATE_LIMITED, UNAVAILABLE, BILLING_LIMIT, FORBIDDEN, NOT_OWNER -> 503;
    } : e instanceof AiException ? 502 : 500;
    m.fail(code, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }
}
