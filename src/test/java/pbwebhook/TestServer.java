package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import pbwebhook.clients.DemoBootstrap;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.ExecutionSummary;
import pbwebhook.store.schema.Leads;
import pbwebhook.store.embedded.EmbeddedStore;

/**
 * The real server (all verticles, the embedded store in a temp dir) with a scripted AI, or with the configured
 * scorer ({@link #startConfigured}), plus what pipeline tests need around it: leads and clients put straight into
 * the store, run triggers, bounded waits. Blocking calls here run on the test thread only, each bounded by
 * {@link #AWAIT_LIMIT}. Stopping one and starting another on the same data dir is a restart.
 */
public final class TestServer implements AutoCloseable {

  public static final String DEMO = DemoBootstrap.DEMO_CLIENT_ID;
  public static final String DEMO_BASE = DemoBootstrap.DEMO_BASE_ID;
  public static final Duration RUN_DEADLINE = Duration.ofSeconds(30);
  /** The longest any single store, event-bus or start/stop call may take before the test fails. */
  public static final Duration AWAIT_LIMIT = Duration.ofSeconds(30);
  /** An About text long enough to be scored (the thin-profile limit is 40 characters). */
  public static final String LONG_ABOUT = "Founder of a funded startup that builds AI tools for clinics and hospitals.";

  private final Vertx vertx;
  private final Server server;
  private final TestHttp http;
  private final ScriptedScorer scorer;

  private TestServer(Vertx vertx, Server server, ScriptedScorer scorer) {
    this.vertx = vertx;
    this.server = server;
    this.scorer = scorer;
    this.http = new TestHttp(server.port());
  }

  /**
   * The server exactly as {@code Server.start(vertx, config)} builds it, with the scorer its settings configure
   * (the offline heuristic unless {@code settings} name an AI provider); {@link #scorer()} is then null.
   * {@code settings} override the defaults by their config keys.
   */
  public static TestServer startConfigured(Path dataDir, JsonObject settings) {
    return start(dataDir, null, settings, IDENTITY);
  }

  public static TestServer start(Path dataDir, ScriptedScorer scorer) {
    return start(dataDir, scorer, new JsonObject());
  }

  /** {@code settings} override the defaults by their config keys, e.g. {@code BATCH_CHUNK_SIZE}. */
  public static TestServer start(Path dataDir, ScriptedScorer scorer, JsonObject settings) {
    return start(dataDir, scorer, settings, IDENTITY);
  }

  private static final UnaryOperator<RecordStore> IDENTITY = UnaryOperator.identity();

  /** As above, on the embedded store as {@code wrapStore} wraps it (e.g. a {@code FlakyStore} refusing some writes). */
  public static TestServer start(Path dataDir, ScriptedScorer scorer, JsonObject settings,
                                 UnaryOperator<RecordStore> wrapStore) {
    Vertx vertx = Vertx.vertx();
    JsonObject config = new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("DATA_DIR", dataDir.toString()).mergeIn(settings);
    try {
      AppConfig appConfig = AppConfig.from(config);
      RecordStore store = wrapStore == IDENTITY ? null : wrapStore.apply(new EmbeddedStore(vertx, appConfig.dataDir()));
      Future<Server> started = scorer == null
          ? (store == null ? Server.start(vertx, appConfig) : Server.start(vertx, appConfig, store))
          : (store == null ? Server.start(vertx, appConfig, scorer) : Server.start(vertx, appConfig, store, scorer));
      return new TestServer(vertx, await(started), scorer);
    } catch (RuntimeException | Error e) {
      await(vertx.close());
      throw e;
    }
  }

  public Vertx vertx() { return vertx; }

  public int port() { return server.port(); }

  public TestHttp http() { return http; }

  /** The scripted scorer this server was started with; null for {@link #startConfigured}. */
  public ScriptedScorer scorer() { return scorer; }

  public RecordStore store() { return server.store(); }

  public String masterBase() { return server.config().masterClientsBaseId(); }

  /** A lead as the webhook leaves it: {@code To Be Scored}, with a Profile Full JSON whose about is {@code about}. */
  public String addLead(String baseId, String slug, String about) {
    JsonObject profile = new JsonObject().put("headline", "Founder at " + slug).put("about", about)
        .put("experience", new JsonArray().add(new JsonObject().put("title", "Founder").put("company", slug)))
        .put("_experienceCount", 1).put("_originalId", "");
    return addLead(baseId, new JsonObject()
        .put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/" + slug)
        .put(Leads.FIRST_NAME, slug)
        .put(Leads.PROFILE_FULL_JSON, profile.encode())
        .put(Leads.SCORING_STATUS, Leads.TO_BE_SCORED));
  }

  public String addLead(String baseId, JsonObject fields) {
    return await(store().create(baseId, Leads.TABLE, List.of(fields))).get(0).id();
  }

  public JsonObject lead(String baseId, String recordId) {
    return await(store().get(baseId, Leads.TABLE, recordId)).fields();
  }

  public List<Record> leads(String baseId) {
    return await(store().listAll(baseId, Leads.TABLE, ListQuery.all()));
  }

  /** Adds a client row (base id = {@code clientId + "-base"}) with the given rubric rows, and refreshes the registry. */
  public String addClient(String clientId, String status, List<JsonObject> rubricRows) {
    String baseId = clientId + "-base";
    for (List<JsonObject> batch : RecordStore.batches(rubricRows)) {
      await(store().create(baseId, server.config().attrTableName(), batch));
    }
    await(store().create(masterBase(), Clients.TABLE, List.of(new JsonObject()
        .put(Clients.CLIENT_ID, clientId).put(Clients.CLIENT_NAME, "Client " + clientId)
        .put(Clients.STATUS, status).put(Clients.AIRTABLE_BASE_ID, baseId).put(Clients.EXECUTION_LOG, ""))));
    refreshClients();
    return baseId;
  }

  /** Changes a client's Status in the Clients table; the registry sees it after {@link #refreshClients()}. */
  public void setClientStatus(String clientId, String status) {
    Record row = clientRow(clientId);
    await(store().update(masterBase(), Clients.TABLE,
        List.of(new Record(row.id(), null, new JsonObject().put(Clients.STATUS, status)))));
  }

  public Record clientRow(String clientId) {
    List<Record> rows = await(store().listAll(masterBase(), Clients.TABLE,
        ListQuery.where(Filter.eq(Clients.CLIENT_ID, clientId))));
    assertThat(rows).as("Clients rows for " + clientId).hasSize(1);
    return rows.get(0);
  }

  public JsonObject refreshClients() {
    return await(vertx.eventBus().<JsonObject>request(Addresses.CLIENTS_REFRESH, new JsonObject())).body();
  }

  /** Triggers one client's run over HTTP and returns its entry of the 202 reply. */
  public JsonObject startRun(String clientId) {
    TestHttp.Reply r = http.get("/run-batch-score?clientId=" + clientId);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    JsonArray runs = r.json().getJsonArray("runs");
    assertThat(runs).hasSize(1);
    assertThat(runs.getJsonObject(0).getString("status")).isEqualTo("running");
    return runs.getJsonObject(0);
  }

  /** Runs one client's batch to its end and returns the finished run. */
  public JsonObject runToEnd(String clientId) {
    return waitForRun(startRun(clientId).getString("runId"));
  }

  public JsonObject waitForRun(String runId) {
    return waitForRun(runId, Map.of());
  }

  /** As {@link #waitForRun(String)}, reading the run with {@code headers} (e.g. the admin bearer token). */
  public JsonObject waitForRun(String runId, Map<String, String> headers) {
    JsonObject[] last = new JsonObject[1];
    awaitCondition("run " + runId + " finished", RUN_DEADLINE, () -> {
      last[0] = http.get("/api/runs/" + runId, headers).json();
      return !"running".equals(last[0].getString("status"));
    });
    return last[0];
  }

  public String executionLog(String clientId) {
    return http.get("/api/clients/" + clientId).json().getString("executionLog");
  }

  public List<Record> executionSummaries() {
    return await(store().listAll(masterBase(), ExecutionSummary.TABLE, ListQuery.all()));
  }

  /** Polls {@code condition} until it holds, failing the test at the deadline. */
  public static void awaitCondition(String what, Duration deadline, BooleanSupplier condition) {
    long end = System.nanoTime() + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) throw new AssertionError("not within " + deadline.toSeconds() + " s: " + what);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for: " + what);
      }
    }
  }

  /** {@code future}'s result, failing the test if it takes longer than {@link #AWAIT_LIMIT}. */
  private static <T> T await(Future<T> future) {
    try {
      return future.await(AWAIT_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("not within " + AWAIT_LIMIT.toSeconds() + " s: " + future, e);
    }
  }

  @Override
  public void close() {
    try {
      await(server.stop());
    } finally {
      await(vertx.close());
    }
  }
}
