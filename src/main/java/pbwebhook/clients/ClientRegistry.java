package pbwebhook.clients;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.Addresses;
import pbwebhook.ai.AiScorer;
import pbwebhook.cluster.FencedStore;
import pbwebhook.cluster.Ownership;
import pbwebhook.config.AppConfig;
import pbwebhook.messaging.MessageQueue;
import pbwebhook.runs.RunHistory;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.Clients;

/**
 * Knows the clients (the master base's Clients table, cached for CLIENT_CACHE_TTL_S) and keeps one
 * {@link ClientWorker} deployed per client: scoring-enabled for Active clients, ingest-only for paused
 * ones so their webhooks are still stored, for the clients this member owns ({@link Ownership}). Answers
 * {@code clients.list}, {@code clients.get} and {@code clients.refresh} from its own cache, on every member.
 */
public class ClientRegistry extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ClientRegistry.class);

  private static final long INITIAL_RETRY_MS = 5_000;
  private static final long MAX_RETRY_MS = 60_000;

  private final AppConfig config;
  private final RecordStore store;
  private final AiScorer scorer;
  private final RunHistory history;
  private Map<String, Client> clients = new LinkedHashMap<>();
  /** Clients of the table that are not served, with why (a shared secret variable). */
  private Map<String, String> refused = Map.of();
  private final Map<String, Deployed> workers = new HashMap<>();
  private Ownership ownership;
  private long loadedAt;
  private Future<Void> loading;
  private Future<Void> reloadAfter;

  /** A worker this member runs for a client it owns. */
  private record Deployed(String deploymentId, Client client, ClientWorker worker) {}

  private final MessageQueue messages;

  /** {@code history}: where the workers keep their runs on disk (null: in memory only). */
  public ClientRegistry(AppConfig config, RecordStore store, AiScorer scorer, RunHistory history) {
    this(config, store, scorer, history, null);
  }

  /** {@code messages}: the durable PhantomBuster message queue the workers dispatch (null: no messaging). */
  public ClientRegistry(AppConfig config, RecordStore store, AiScorer scorer, RunHistory history, MessageQueue messages) {
    this.messages = messages;
    this.history = history;
    this.config = config;
    this.store = store;
    this.scorer = scorer;
  }

  @Override
  public Future<?> start() {
    var bus = vertx.eventBus();
    long ttlMs = config.clientCacheTtlS() * 1000L;
    vertx.setPeriodic(ttlMs, ttlMs, id -> reload().onFailure(e -> log.warn("client refresh failed: {}", e.getMessage())));
    // Who owns which client: leases renewed every tick, taken over when an owner leaves, freezes or is outvoted.
    ownership = Ownership.create(vertx, config.cluster(), new Ownership.Owner() {
      @Override public Future<Void> take(String clientId) { return deploy(clientId); }
      @Override public Future<Void> drop(String clientId, String reason) { return undeploy(clientId, reason); }
      @Override public boolean busy(String clientId) {
        Deployed d = workers.get(clientId);
        return d != null && d.worker().busy();
      }
    });
    ownership.start(config.cluster());
    // Local consumers: every member answers client lookups from its own cached list, never waiting on another.
    return Future.join(
            bus.<JsonObject>localConsumer(Addresses.CLIENTS_LIST, this::onList).completion(),
            bus.<JsonObject>localConsumer(Addresses.CLIENTS_GET, this::onGet).completion(),
            // Published by the member where a client was added or changed: every member reloads at once.
            bus.<JsonObject>consumer(Addresses.CLIENTS_CHANGED, m -> reload()
                .onFailure(e -> log.warn("client reload after a change failed", e))).completion(),
            bus.<JsonObject>localConsumer(Addresses.CLIENTS_REFRESH, m -> reload()
                .compose(v -> listJson())
                .onSuccess(m::reply)
                .onFailure(e -> m.fail(503, e.getMessage()))).completion())
        .compose(v -> reload().compose(loaded -> refused.isEmpty() ? Future.succeededFuture()
            : Future.failedFuture(new IllegalStateException("refusing to start: " + String.join("; ",
                new java.util.LinkedHashSet<>(refused.values())))), e -> {
          // The server still starts (webhooks still reach the durable inbox); clients come when the base answers.
          log.error("could not read the Clients table: {}; retrying", e.getMessage());
          retryLoad(INITIAL_RETRY_MS);
          return Future.succeededFuture();
        }));
  }

  private void retryLoad(long delayMs) {
    vertx.setTimer(delayMs, t -> {
      if (loadedAt > 0) return;
      reload().onFailure(e -> {
        log.warn("Clients table still unreadable: {}; next try in {} s", e.getMessage(), Math.min(MAX_RETRY_MS, delayMs * 2) / 1000);
        retryLoad(Math.min(MAX_RETRY_MS, delayMs * 2));
      });
    });
  }

  private void onList(Message<JsonObject> m) {
    fresh().compose(v -> listJson()).onSuccess(m::reply).onFailure(e -> m.fail(503, "clients unavailable: " + e.getMessage()));
  }

  private void onGet(Message<JsonObject> m) {
    String id = m.body() == null ? null : m.body().getString("clientId");
    fresh().onSuccess(v -> {
      Client c = resolve(id);
      if (c == null) {
        String target = id != null ? id : config.defaultClientId();
        if (target != null && refused.containsKey(target)) {
          // The other client's id stays in the log: this caller holds the shared secret, not the right to know.
          m.fail(409, "client " + target + " is refused: its " + AppConfig.CLIENT_SECRET_PREFIX
              + AppConfig.clientSecretKey(target) + " is also another client's secret; the operator must rename one of them");
        } else if (id == null) {
          // Never the list of clients: webhook callers see this (authenticated, but perhaps for one client only).
          m.fail(400, "no client given: pass ?clientId=, the X-Client-Id header, or set DEFAULT_CLIENT_ID");
        } else {
          m.fail(404, "unknown client: " + id);
        }
      } else {
        m.reply(c.toJson());
      }
    }).onFailure(e -> m.fail(503, "clients unavailable: " + e.getMessage()));
  }

  /**
   * The client asked for, or the default one: DEFAULT_CLIENT_ID, else the (first) client whose base is
   * AIRTABLE_BASE_ID (the old server's single base, so its senders need no client id), else the only client.
   */
  private Client resolve(String id) {
    if (id != null) return clients.get(id);
    if (config.defaultClientId() != null) return clients.get(config.defaultClientId());
    if (config.airtableBaseId() != null) {
      for (Client c : clients.values()) {
        if (config.airtableBaseId().equals(c.baseId())) return c;
      }
    }
    return clients.size() == 1 ? clients.values().iterator().next() : null;
  }

  /** The clients, each with its owner (a member's node id) as the cluster's leases name it. */
  private Future<JsonObject> listJson() {
    Map<String, Client> now = clients;
    return ownership.holders(now.keySet()).otherwise(e -> Map.of()).map(holders -> {
      JsonArray arr = new JsonArray();
      now.values().forEach(c -> {
        String token = holders.get(c.clientId());
        arr.add(c.toJson().put("owner", token == null ? null : token.substring(0, token.indexOf('/'))));
      });
      // ownedHere: the clients this member may write for right now (a valid lease), not just the workers it runs.
      return new JsonObject().put("clients", arr).put("member", ownership.self())
          .put("clusterMembers", ownership.members())
          .put("ownedHere", new JsonArray(workers.keySet().stream().filter(ownership::valid).sorted().toList()));
    });
  }

  /** Gives up this member's clients (their runs end first), so another member can take them over at once. */
  @Override
  public Future<?> stop() {
    return ownership.releaseAll();
  }

  /** The cached clients, reloaded when older than the TTL; a failed reload keeps serving the last good list. */
  private Future<Void> fresh() {
    if (System.currentTimeMillis() - loadedAt < config.clientCacheTtlS() * 1000L) return Future.succeededFuture();
    return reload().recover(e -> {
      if (loadedAt == 0) return Future.failedFuture(e);
      log.warn("client refresh failed, serving the list from {} s ago: {}", (System.currentTimeMillis() - loadedAt) / 1000,
          e.getMessage());
      return Future.succeededFuture();
    });
  }

  /**
   * Reads the Clients table and brings the deployed workers in line with it. One load at a time; a reload
   * asked for during a load runs after it (that load may have read the table before the caller's change).
   */
  private Future<Void> reload() {
    // A finished load counts as none: waiting on it would call back at once, and again, without end.
    if (loading == null || loading.isComplete()) {
      loading = readClients()
          .compose(latest -> {
            Map<String, String> clashes = SecretVariableClashes.refused(latest.keySet(), clients.keySet(), config);
            clashes.forEach((id, why) -> {
              if (!refused.containsKey(id)) log.error("client {} refused: {}", id, why);
            });
            clashes.keySet().forEach(latest::remove);
            refused = clashes;
            clients = latest;
            loadedAt = System.currentTimeMillis();
            return reconcile(latest);
          })
          .onComplete(ar -> loading = null);
      return loading;
    }
    if (reloadAfter == null) {
      reloadAfter = loading.transform(ar -> {
        reloadAfter = null;
        return reload();
      });
    }
    return reloadAfter;
  }

  private Future<Map<String, Client>> readClients() {
    if (config.singleTenant()) {
      Map<String, Client> one = new LinkedHashMap<>();
      one.put("default", new Client(null, "default", "Default", Clients.STATUS_ACTIVE, config.airtableBaseId()));
      return Future.succeededFuture(one);
    }
    return store.listAll(config.masterClientsBaseId(), Clients.TABLE, ListQuery.all()).map(records -> {
      Map<String, Client> byId = new LinkedHashMap<>();
      for (Record r : records) {
        Client c = Client.fromRecord(r);
        if (c.clientId() == null || c.clientId().isEmpty()) continue;
        if (c.baseId() == null || c.baseId().isBlank()) {
          log.warn("client {} has no Airtable Base ID; skipped", c.clientId());
          continue;
        }
        byId.putIfAbsent(c.clientId(), c);
      }
      return byId;
    });
  }

  private Future<Void> reconcile(Map<String, Client> latest) {
    List<Future<?>> changes = new ArrayList<>();
    for (var e : new ArrayList<>(workers.entrySet())) {
      Client now = latest.get(e.getKey());
      Client was = e.getValue().client();
      // Only what the worker works with: a renamed client keeps its worker (and any run under way).
      if (now != null && !Objects.equals(now.status(), was.status()) && Objects.equals(now.baseId(), was.baseId())) {
        // Still this member's client: a new worker for its new status, under the same lease.
        changes.add(undeploy(e.getKey(), "now " + now.status()).compose(v -> deploy(e.getKey())));
      } else if (now != null && !Objects.equals(now.baseId(), was.baseId())) {
        changes.add(undeploy(e.getKey(), "moved to base " + now.baseId()).compose(v -> deploy(e.getKey())));
      }
    }
    // Removed clients are given up by the ownership tick, which stops their workers first.
    return Future.join(changes).recover(e -> Future.succeededFuture())
        .compose(v -> ownership.want(latest.keySet()));
  }

  private Future<Void> deploy(String clientId) {
    Client c = clients.get(clientId);
    if (c == null) return Future.failedFuture("unknown client " + clientId);
    if (workers.containsKey(clientId)) return Future.succeededFuture();
    // Every write of the worker first checks that this member still holds the client's lease.
    ClientWorker worker = new ClientWorker(c, config, new FencedStore(store, () -> ownership.check(clientId)), scorer,
        () -> ownership.valid(clientId), history, messages);
    return vertx.deployVerticle(worker, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
        .onSuccess(id -> {
          workers.put(clientId, new Deployed(id, c, worker));
          log.info("client {}: worker deployed ({})", clientId, c.active() ? "scoring" : "ingest only, " + c.status());
        })
        .onFailure(e -> log.error("client {}: worker failed to deploy: {}", clientId, e.getMessage()))
        .mapEmpty();
  }

  /**
   * Waits (at most {@code timeout}) for the runs under way on this member to end, checking every 200 ms:
   * at SIGTERM a run gets the time to complete before its worker stops.
   */
  public Future<Void> runsEnded(java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    context.runOnContext(v -> awaitIdle(deadline, done));
    return done.future();
  }

  private void awaitIdle(long deadline, io.vertx.core.Promise<Void> done) {
    List<String> busy = workers.entrySet().stream().filter(e -> e.getValue().worker().busy()).map(Map.Entry::getKey).toList();
    if (busy.isEmpty()) {
      done.tryComplete();
    } else if (System.nanoTime() - deadline >= 0) {
      log.warn("shutting down with runs still under way for {}: they end as failed", busy);
      done.tryComplete();
    } else {
      vertx.setTimer(200, t -> awaitIdle(deadline, done));
    }
  }

  private Future<Void> undeploy(String clientId, String reason) {
    Deployed d = workers.remove(clientId);
    if (d == null) return Future.succeededFuture();
    d.worker().stopReason(reason);
    log.info("client {}: worker undeployed ({})", clientId, reason);
    return vertx.undeploy(d.deploymentId()).recover(e -> Future.succeededFuture());
  }
}
