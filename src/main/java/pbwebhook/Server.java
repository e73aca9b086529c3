package pbwebhook;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.ai.AiScorer;
import pbwebhook.ai.AiCallLimiter;
import pbwebhook.ai.AiScorers;
import pbwebhook.ai.LimitedScorer;
import pbwebhook.alerts.AlertDigestVerticle;
import pbwebhook.alerts.SecretRedactor;
import pbwebhook.clients.ClientRegistry;
import pbwebhook.clients.DemoBootstrap;
import pbwebhook.cluster.ClusterVertx;
import pbwebhook.config.AppConfig;
import pbwebhook.execlog.ExecutionLogVerticle;
import pbwebhook.http.HttpVerticle;
import pbwebhook.http.MetricsRoutes;
import pbwebhook.inbox.Inbox;
import pbwebhook.inbox.InboxDelivery;
import pbwebhook.inbox.JournalDisk;
import pbwebhook.inbox.WebhookKinds;
import pbwebhook.ingest.LinkedHelperWebhook;
import pbwebhook.ingest.PhantomBusterWebhook;
import pbwebhook.messaging.MessageQueue;
import pbwebhook.metrics.ServerMetrics;
import pbwebhook.runs.RunHistory;
import pbwebhook.runs.RunTracker;
import pbwebhook.store.RecordStore;
import pbwebhook.store.airtable.AirtableOptions;
import pbwebhook.store.airtable.AirtableStore;
import pbwebhook.store.schema.OptionalFieldsStore;
import pbwebhook.store.embedded.EmbeddedStore;

/** Builds the store and scorer, seeds a fresh embedded store, and deploys the verticles. */
public final class Server {

  private static final Logger log = LoggerFactory.getLogger(Server.class);
  /** How often the message queue's journal drops what finished jobs no longer need. */
  private static final long MESSAGE_COMPACTION_MS = 60 * 60 * 1000;

  private final Vertx vertx;
  private final AppConfig config;
  private final RecordStore store;
  private final AiScorer scorer;
  private final HttpVerticle http;
  private final List<String> clientIds;
  private final Inbox inbox;
  private final InboxDelivery delivery;
  private final ClientRegistry registry;
  private final RunHistory history;
  private final MessageQueue messages;
  private final String execLogDeployment;

  private Server(Vertx vertx, AppConfig config, RecordStore store, AiScorer scorer, HttpVerticle http,
                 List<String> clientIds, Inbox inbox, InboxDelivery delivery, ClientRegistry registry,
                 RunHistory history, MessageQueue messages, String execLogDeployment) {
    this.registry = registry;
    this.history = history;
    this.messages = messages;
    this.execLogDeployment = execLogDeployment;
    this.vertx = vertx;
    this.config = config;
    this.store = store;
    this.scorer = scorer;
    this.http = http;
    this.clientIds = clientIds;
    this.inbox = inbox;
    this.delivery = delivery;
  }

  /** The webhook kinds the inbox delivers, each to its worker address. */
  static WebhookKinds webhookKinds() {
    return new WebhookKinds(List.of(LinkedHelperWebhook.kind(), PhantomBusterWebhook.kind()));
  }

  public static Future<Server> start(Vertx vertx, AppConfig config) {
    try {
      return start(vertx, config, createStore(vertx, config), configuredScorer(vertx, config));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Starts with the given AI port instead of the configured provider (tests script the AI through it). */
  public static Future<Server> start(Vertx vertx, AppConfig config, AiScorer scorer) {
    try {
      return start(vertx, config, createStore(vertx, config), scorer);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Starts on a given store (tests wrap the embedded one to simulate outages). */
  public static Future<Server> start(Vertx vertx, AppConfig config, RecordStore store) {
    try {
      return start(vertx, config, store, configuredScorer(vertx, config));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** One cap on AI calls in flight across every client (AI_GLOBAL_CONCURRENCY), shared by all workers. */
  private static AiScorer configuredScorer(Vertx vertx, AppConfig config) {
    return new LimitedScorer(AiScorers.create(vertx, config), new AiCallLimiter(vertx, config.ai().globalConcurrency()));
  }

  /** Starts with the inbox journal on the given disk (tests make its fsync slow or failing). */
  public static Future<Server> start(Vertx vertx, AppConfig config, JournalDisk disk) {
    try {
      return start(vertx, config, createStore(vertx, config), configuredScorer(vertx, config), disk);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Starts on a given store with a given AI port (tests combine a failing store with a scripted AI). */
  public static Future<Server> start(Vertx vertx, AppConfig config, RecordStore store, AiScorer scorer) {
    return start(vertx, config, store, scorer, JournalDisk.SYSTEM);
  }

  /** Every store is wrapped so bases may lack the optional tables and fields (OptionalSchema). */
  private static Future<Server> start(Vertx vertx, AppConfig config, RecordStore given, AiScorer scorer,
                                      JournalDisk disk) {
    RecordStore store = new OptionalFieldsStore(given);
    LogLines.install();
    Future<Boolean> seeded = config.store() == AppConfig.StoreKind.EMBEDDED
        ? DemoBootstrap.seedIfEmpty(store, config) : Future.succeededFuture(false);
    // Recovery reads the journal from disk, so it runs on a worker thread, before anything is accepted.
    Future<Inbox> opened = vertx.executeBlocking(() -> Inbox.open(
        Inbox.Settings.of(config.dataDir(), config.inboxFsync(), config.inboxRetentionH()).withDisk(disk)));
    // Run history on disk, put back into the shared run map before any worker starts.
    Future<RunHistory> runHistory = vertx.executeBlocking(() -> RunHistory.open(config.dataDir()))
        .compose(h -> RunTracker.restore(vertx, h)
            .onSuccess(n -> { if (n > 0) log.info("run history: {} runs of the last 7 days restored", n); })
            .map(n -> h));
    // The PhantomBuster message queue: recovered from its journal before any client's dispatcher starts.
    Future<MessageQueue> queue = vertx.executeBlocking(() -> MessageQueue.open(config.dataDir(), config.inboxFsync()));
    return Future.all(seeded, opened, runHistory, queue).compose(both -> {
      Inbox inbox = opened.result();
      RunHistory history = runHistory.result();
      MessageQueue messages = queue.result();
      vertx.setPeriodic(MESSAGE_COMPACTION_MS, MESSAGE_COMPACTION_MS, t -> messages.compact()
          .whenComplete((v, e) -> { if (e != null) log.warn("messages: compaction failed: {}", e.getMessage()); }));
      ServerMetrics.install(vertx).inboxGauges(inbox::counts);
      HttpVerticle http = new HttpVerticle(config, store, scorer, inbox);
      InboxDelivery delivery = new InboxDelivery(inbox, webhookKinds(), Duration.ofSeconds(config.inboxAckTimeoutS()),
          clientId -> clientExists(vertx, clientId));
      ClientRegistry registry = new ClientRegistry(config, store, scorer, history, messages);
      String[] execLog = new String[1];
      return vertx.deployVerticle(new AlertDigestVerticle(config.alerts(), new SecretRedactor(config.secretValues())))
        .compose(v -> vertx.deployVerticle(new ExecutionLogVerticle(config, store)))
        .compose(id -> {
          execLog[0] = id;
          return vertx.deployVerticle(registry);
        })
        .compose(v -> vertx.deployVerticle(delivery))
        .onSuccess(v -> ClusterVertx.onMemberLeft(vertx, delivery::resendInFlight))
        .compose(v -> vertx.deployVerticle(http))
        .compose(v -> config.http().metricsPort() == 0 ? Future.succeededFuture()
            : vertx.deployVerticle(new MetricsRoutes.LoopbackServer(config.http().metricsPort(), config.http().allowedHosts())))
        .compose(v -> vertx.eventBus().<JsonObject>request(Addresses.CLIENTS_LIST, new JsonObject(),
                new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true))
            .map(m -> {
              List<Object> here = m.body().getJsonArray("ownedHere", new io.vertx.core.json.JsonArray()).getList();
              return m.body().getJsonArray("clients").stream()
                  .map(o -> ((JsonObject) o).getString("clientId") + " (" + ((JsonObject) o).getString("status")
                      + (here.contains(((JsonObject) o).getString("clientId")) ? "" : ", owned by another member") + ")")
                  .toList();
            })
            .otherwise(e -> List.of("not readable yet (" + e.getMessage() + ")")))
        .map(ids -> {
          Server s = new Server(vertx, config, store, scorer, http, ids, inbox, delivery, registry, history, messages,
              execLog[0]);
          s.announce();
          return s;
        })
        .onFailure(e -> {
          inbox.close();
          messages.close();
          closeQuietly(history);
        });
    }).onFailure(e -> store.close());
  }

  /** False only when the client registry answers that the client is unknown (removed from the Clients table). */
  private static Future<Boolean> clientExists(Vertx vertx, String clientId) {
    return vertx.eventBus().<JsonObject>request(Addresses.CLIENTS_GET, new JsonObject().put("clientId", clientId),
            new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true))
        .map(m -> true)
        .recover(e -> Future.succeededFuture(!(e instanceof io.vertx.core.eventbus.ReplyException re && re.failureCode() == 404)));
  }

  private static RecordStore createStore(Vertx vertx, AppConfig config) {
    if (config.store() == AppConfig.StoreKind.EMBEDDED) return new EmbeddedStore(vertx, config.dataDir());
    if (config.masterClientsBaseId() == null && config.airtableBaseId() == null) {
      throw new IllegalArgumentException("the Airtable store needs MASTER_CLIENTS_BASE_ID (multi-tenant) "
          + "or AIRTABLE_BASE_ID (single tenant)");
    }
    return new AirtableStore(vertx, new AirtableOptions(config.airtableEndpointUrl(), config.airtableApiKey(),
        config.airtableRps(), config.airtableTokenRps(), config.airtableRateLimitPenaltyS(), config.airtableTimeoutMs(),
        AirtableOptions.DEFAULT_MAX_QUEUE_PER_BASE, AirtableOptions.DEFAULT_MAX_RETRIES));
  }

  private void announce() {
    String host = "0.0.0.0".equals(config.httpHost()) ? "localhost" : config.httpHost();
    log.info("PB Webhook Server listening on http://{}:{}", host, port());
    log.info("store: {}", store.describe());
    log.info("scorer: {}", scorer.describe());
    log.info("clients: {}", clientIds.isEmpty() ? "none" : String.join(", ", clientIds));
    String demo = demoModeWarning(config);
    if (demo != null) log.warn(demo);
  }

  /** The start-up warning for demo mode, naming only what is really open (null outside demo mode). */
  static String demoModeWarning(AppConfig config) {
    if (!config.demoMode()) return null;
    java.util.List<String> open = new java.util.ArrayList<>();
    if (config.pbWebhookSecret() == null) {
      open.add(config.clientWebhookSecrets().isEmpty() ? "webhooks need no secret"
          : "webhooks of clients without their own " + AppConfig.CLIENT_SECRET_PREFIX + "<CLIENTID> need no secret");
    }
    if (config.adminToken() == null) open.add("admin routes are open to 127.0.0.1 without a token");
    if (open.isEmpty()) {
      return "DEMO MODE is on, but nothing is open by it: PB_WEBHOOK_SECRET and ADMIN_TOKEN are set and enforced.";
    }
    return "DEMO MODE: " + String.join(" and ", open) + ". Set "
        + (config.adminToken() == null ? config.pbWebhookSecret() == null ? "ADMIN_TOKEN and PB_WEBHOOK_SECRET" : "ADMIN_TOKEN"
            : "PB_WEBHOOK_SECRET")
        + " (or DEMO_MODE=false) before exposing this server.";
  }

  public int port() { return http.actualPort(); }

  public AppConfig config() { return config; }

  public RecordStore store() { return store; }

  public Inbox inbox() { return inbox; }

  public HttpVerticle http() { return http; }

  /**
   * SIGTERM: refuse new requests (503 with Retry-After), give deliveries already sent and runs under way up to
   * {@code timeout} to finish (undelivered webhooks stay journaled for the next start; an unfinished run ends
   * failed with its log entry), then stop.
   */
  public Future<Void> shutdown(Duration timeout) {
    inbox.stopAccepting();
    long deadline = System.nanoTime() + timeout.toNanos();
    log.info("shutting down: no new webhooks accepted; waiting up to {} s for deliveries and runs in flight",
        timeout.toSeconds());
    return delivery.drain(timeout)
        .eventually(() -> registry.runsEnded(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))))
        .eventually(this::stop);
  }

  /**
   * Undeploys everything, the Execution Log writer last (workers stopping mid-run still write their entries),
   * flushes and closes the inbox journal and run history, and closes the store.
   */
  public Future<Void> stop() {
    inbox.stopAccepting();
    List<Future<Void>> undeploys = vertx.deploymentIDs().stream().filter(id -> !id.equals(execLogDeployment))
        .map(vertx::undeploy).toList();
    return Future.join(undeploys)
        .transform(ar -> vertx.deploymentIDs().contains(execLogDeployment) ? vertx.undeploy(execLogDeployment)
            : Future.<Void>succeededFuture())
        .transform(ar -> Future.fromCompletionStage(inbox.close()))
        .transform(ar -> Future.fromCompletionStage(messages.close()))
        .transform(ar -> vertx.executeBlocking(() -> {
          closeQuietly(history);
          return null;
        }))
        .transform(ar -> store.close());
  }

  private static void closeQuietly(RunHistory history) {
    try {
      history.close();
    } catch (Exception e) {
      log.warn("run history did not close: {}", e.getMessage());
    }
  }
}
