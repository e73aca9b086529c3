package pbwebhook.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import pbwebhook.ai.AiException;
import pbwebhook.ai.LeadScoringReply;
import pbwebhook.ai.PostScoringReply;
import pbwebhook.ai.TokenUsage;

/**
 * The server's own meters ({@code pbwebhook_*}), one facade per Vert.x instance over its Prometheus registry, which
 * also holds Vert.x's HTTP server and JVM meters when the instance was built by {@link MeteredVertx}. Components
 * find it with {@link #of(Vertx)}; without one (a unit test's bare Vert.x) every call here does nothing.
 *
 * <p>Labels stay few-valued: client ids, webhook and run kinds, HTTP statuses, Airtable base ids. Never a lead,
 * a URL, a message or a secret.
 */
public final class ServerMetrics implements Shareable {

  /** The value of a label not known, e.g. the client of a webhook refused before its client was resolved. */
  public static final String UNKNOWN = "unknown";

  private static final String MAP = "pbwebhook.metrics";
  private static final String KEY = "facade";
  private static final ServerMetrics NOOP = new ServerMetrics(null);

  private final PrometheusMeterRegistry registry;
  /** What the inbox gauges read, refreshed just before each scrape: {pending, dead} per client. */
  private final Map<String, long[]> inboxByClient = new ConcurrentHashMap<>();
  private volatile Supplier<JsonObject> inboxCounts;

  private ServerMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
  }

  static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** The facade of this Vert.x instance, or one that records nothing. */
  public static ServerMetrics of(Vertx vertx) {
    ServerMetrics m = vertx == null ? null : map(vertx).get(KEY);
    return m == null ? NOOP : m;
  }

  /** The facade of this instance, made (over a registry of its own, without Vert.x's meters) when it has none. */
  public static ServerMetrics install(Vertx vertx) {
    return attach(vertx, null);
  }

  /** Binds {@code registry} (or a new one when null) to the instance, unless it already has a facade. */
  static synchronized ServerMetrics attach(Vertx vertx, PrometheusMeterRegistry registry) {
    LocalMap<String, ServerMetrics> map = map(vertx);
    ServerMetrics had = map.get(KEY);
    if (had != null) return had;
    ServerMetrics made = new ServerMetrics(registry == null ? newRegistry() : registry);
    map.put(KEY, made);
    return made;
  }

  private static LocalMap<String, ServerMetrics> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  /** Null for the facade that records nothing. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Brings the scrape-time gauges up to date; the scraping handler runs right after. */
  public synchronized void refresh() {
    readInbox();
  }

  // ---- webhooks ----

  /** A webhook answered 2xx: taken into the inbox (or, for a note, written). */
  public void webhookAccepted(String clientId, String kind) {
    count("pbwebhook.webhooks.accepted", "Webhooks accepted", "client", clientId, "kind", kind);
  }

  /** A webhook answered with an error status. */
  public void webhookRefused(String clientId, String kind, String status) {
    count("pbwebhook.webhooks.refused", "Webhooks refused, by HTTP status", "client", clientId, "kind", kind,
        "status", status);
  }

  // ---- inbox ----

  /**
   * Gauges of pending and dead-lettered entries per client, read from {@code counts} (the shape of
   * {@code Inbox.counts()}: {@code {clients: {id: {pending, dead}}}}) at each scrape. A client seen once keeps its
   * rows, at 0 once it has nothing left. A server started again on the same Vert.x instance replaces the source.
   */
  public void inboxGauges(Supplier<JsonObject> counts) {
    inboxCounts = counts;
  }

  private void readInbox() {
    Supplier<JsonObject> counts = inboxCounts;
    if (counts == null || registry == null) return;
    JsonObject clients = counts.get().getJsonObject("clients", new JsonObject());
    inboxByClient.forEach((id, v) -> {
      if (!clients.containsKey(id)) {
        v[0] = 0;
        v[1] = 0;
      }
    });
    for (String id : clients.fieldNames()) {
      JsonObject c = clients.getJsonObject(id);
      long[] v = inboxByClient.computeIfAbsent(id, k -> {
        long[] fresh = new long[2];
        Gauge.builder("pbwebhook.inbox.pending", fresh, a -> a[0]).description("Webhooks in the inbox not yet delivered")
            .tag("client", k).register(registry);
        Gauge.builder("pbwebhook.inbox.dead", fresh, a -> a[1]).description("Webhooks on the dead-letter list")
            .tag("client", k).register(registry);
        return fresh;
      });
      v[0] = c.getLong("pending", 0L);
      v[1] = c.getLong("dead", 0L);
    }
  }

  /** An inbox entry's delivery ended: {@code delivered} (the worker stored it) or {@code dead} (dead-lettered). */
  public void delivery(String clientId, String kind, String outcome) {
    count("pbwebhook.inbox.deliveries", "Inbox deliveries ended, by outcome", "client", clientId, "kind", kind,
        "outcome", outcome);
  }

  /** A delivery attempt failed for a passing reason and is tried again later. */
  public void deliveryRetry(String clientId, String kind) {
    count("pbwebhook.inbox.retries", "Inbox delivery attempts to be tried again", "client", clientId, "kind", kind);
  }

  // ---- Airtable ----

  /** One Airtable HTTP request answered with {@code status} ({@code "error"}: no answer, e.g. a timeout). */
  public void airtableRequest(String baseId, String status) {
    count("pbwebhook.airtable.requests", "Airtable HTTP requests, by base and answer status", "base", baseId,
        "status", status);
  }

  // ---- AI ----

  /**
   * One AI call (each retry is a call) for a client's {@code leads} or {@code posts} scoring: its outcome
   * ({@code ok}/{@code failed}), the tokens it used (a failed call's, when the provider reported them) and their
   * estimated cost.
   */
  public void aiCall(String clientId, String kind, AsyncResult<?> call, Function<TokenUsage, Double> costUsd) {
    if (registry == null) return;
    TokenUsage t = call.succeeded()
        ? call.result() instanceof LeadScoringReply l ? l.tokens() : call.result() instanceof PostScoringReply p ? p.tokens() : null
        : call.cause() instanceof AiException ai ? ai.tokens() : null;
    if (t == null) t = TokenUsage.NONE;
    count("pbwebhook.ai.calls", "AI calls, by outcome", "client", clientId, "kind", kind,
        "outcome", call.succeeded() ? "ok" : "failed");
    add("pbwebhook.ai.tokens", "AI tokens used, by type", t.prompt(), "client", clientId, "kind", kind, "type", "input");
    add("pbwebhook.ai.tokens", "AI tokens used, by type", t.output(), "client", clientId, "kind", kind, "type", "output");
    add("pbwebhook.ai.tokens", "AI tokens used, by type", t.thinking(), "client", clientId, "kind", kind, "type", "thinking");
    add("pbwebhook.ai.cost.usd", "Estimated AI cost in US dollars (AI_PRICES)", costUsd.apply(t), "client", clientId,
        "kind", kind);
  }

  // ---- runs ----

  /** A scoring run ended with {@code status} after {@code duration}. */
  public void runFinished(String clientId, String kind, String status, Duration duration) {
    if (registry == null) return;
    count("pbwebhook.runs", "Scoring runs ended, by status", "client", clientId, "kind", kind, "status", status);
    Timer.builder("pbwebhook.run.duration").description("Scoring run duration")
        .tags("client", label(clientId), "kind", label(kind)).register(registry).record(duration);
  }

  private void count(String name, String help, String... tags) {
    add(name, help, 1, tags);
  }

  private void add(String name, String help, double amount, String... tags) {
    if (registry == null) return;
    for (int i = 1; i < tags.length; i += 2) tags[i] = label(tags[i]);
    Counter.builder(name).description(help).tags(tags).register(registry).increment(amount);
  }

  private static String label(String value) {
    return value == null || value.isEmpty() ? UNKNOWN : value;
  }
}
