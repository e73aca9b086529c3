package pbwebhook.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The common part of the fake AI servers: an in-process HTTP server on 127.0.0.1 and a random port whose lead
 * answers are derived from the prompt ({@link FakeLeadAnswers}), with switches for the ways real models and
 * gateways misbehave, and counters a test can read. Switches are set from the test thread before a run.
 *
 * <p>Markers in a lead's headline: {@code [drop]} — its result is always left out; {@code [drop-once]} — left out
 * the first time it is asked for; {@code [unsafe]} — any call carrying it is blocked by the safety filter.
 */
public abstract class FakeAiServer {

  public enum Malformed { NONE, FENCES, TRAILING_COMMAS, CUT_OFF, GARBAGE, EMPTY }

  public enum RetryHint { HEADER, RETRY_INFO }

  protected final Vertx vertx;
  private HttpServer server;

  // switches
  public volatile long latencyMs;
  public volatile long slowLatencyMs;
  public final AtomicInteger slowCalls = new AtomicInteger();
  public final AtomicInteger rateLimitBursts = new AtomicInteger();
  public final AtomicInteger unavailableBursts = new AtomicInteger();
  public volatile double retryAfterSeconds = 1;
  public volatile RetryHint retryHint = RetryHint.HEADER;
  public volatile Malformed malformed = Malformed.NONE;
  public final AtomicInteger malformedCalls = new AtomicInteger();
  public volatile boolean reorder;
  public volatile boolean unknownIds;
  /**
   * More than this many leads in one call ends in an output-limit stop: the reply holds this many complete
   * results, then half of the next one. -1 = never, 0 = every call.
   */
  public volatile int maxLeadsBeforeOutputLimit = -1;

  // counters
  public final AtomicInteger calls = new AtomicInteger();
  public final AtomicInteger leadCalls = new AtomicInteger();
  public final List<Integer> promptChars = new CopyOnWriteArrayList<>();
  public final List<Integer> leadsPerCall = new CopyOnWriteArrayList<>();
  /** Nano times of every request received, in order. */
  public final List<Long> callTimes = new CopyOnWriteArrayList<>();
  public final AtomicInteger inFlight = new AtomicInteger();
  public final AtomicInteger maxInFlight = new AtomicInteger();
  /** Tokens reported in the usage of every answered call: prompt, output (thinking excluded) and thinking. */
  public final java.util.concurrent.atomic.AtomicLong promptTokensReported = new java.util.concurrent.atomic.AtomicLong();
  public final java.util.concurrent.atomic.AtomicLong outputTokensReported = new java.util.concurrent.atomic.AtomicLong();
  public final java.util.concurrent.atomic.AtomicLong thinkingTokensReported = new java.util.concurrent.atomic.AtomicLong();
  private final Set<String> droppedOnce = Collections.synchronizedSet(new HashSet<>());

  protected FakeAiServer(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Integer> start() {
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      callTimes.add(System.nanoTime());
      int now = inFlight.incrementAndGet();
      maxInFlight.accumulateAndGet(now, Math::max);
      try {
        handle(req, b.toString());
      } catch (RuntimeException e) {
        reply(req, 500, new JsonObject().put("error", new JsonObject().put("code", 500).put("message", "fake failed: " + e)),
            java.util.Map.of());
      }
    }));
    return server.listen(0, "127.0.0.1").map(HttpServer::actualPort);
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int port() { return server.actualPort(); }

  public String baseUrl() { return "http://127.0.0.1:" + port(); }

  protected abstract void handle(HttpServerRequest req, String body);

  protected void reply(HttpServerRequest req, int status, JsonObject body, java.util.Map<String, String> headers) {
    inFlight.decrementAndGet();
    var resp = req.response().setStatusCode(status).putHeader("Content-Type", "application/json");
    headers.forEach(resp::putHeader);
    resp.end(body.encode());
  }

  /** The JSON error body of a burst failure, in Google's shape (OpenAI-compatible servers read the same fields). */
  protected java.util.Map<String, String> burstHeaders(int status) {
    if (status == 429 && retryHint == RetryHint.HEADER) {
      return java.util.Map.of("Retry-After", String.valueOf((long) Math.ceil(retryAfterSeconds)));
    }
    return java.util.Map.of();
  }

  protected JsonObject burstBody(int status) {
    JsonObject error = new JsonObject().put("code", status)
        .put("message", status == 429 ? "Resource has been exhausted (e.g. check quota)." : "The model is overloaded.")
        .put("status", status == 429 ? "RESOURCE_EXHAUSTED" : "UNAVAILABLE");
    if (status == 429 && retryHint == RetryHint.RETRY_INFO) {
      error.put("details", new JsonArray().add(new JsonObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo")
          .put("retryDelay", retryAfterSeconds + "s")));
    }
    return new JsonObject().put("error", error);
  }

  /** Answers after the configured latency (longer for the first {@code slowCalls} calls). */
  protected void later(Runnable answer) {
    long delay = slowCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? slowLatencyMs : latencyMs;
    if (delay <= 0) answer.run();
    else vertx.setTimer(delay, t -> answer.run());
  }

  /** A burst failure to answer instead of the real reply, or null. */
  protected Integer burstStatus() {
    if (rateLimitBursts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return 429;
    if (unavailableBursts.getAndUpdate(n -> Math.max(0, n - 1)) > 0) return 503;
    return null;
  }

  /** The outcome of scoring the leads of one prompt. */
  protected record LeadOutcome(String text, int leads, boolean unsafe, boolean outputLimit) {}

  protected LeadOutcome leadReply(String system, String user, boolean wrapInResults) {
    calls.incrementAndGet();
    promptChars.add(system.length() + user.length());
    int start = user.indexOf("{\"leads\"");
    if (start < 0) return null;
    leadCalls.incrementAndGet();
    JsonArray leads = objectAt(user, start).getJsonArray("leads");
    leadsPerCall.add(leads.size());
    boolean unsafe = false;
    List<JsonObject> out = new ArrayList<>();
    for (Object o : leads) {
      JsonObject lead = (JsonObject) o;
      String id = lead.getString("id");
      String headline = FakeLeadAnswers.headline(lead);
      if (headline.contains("[unsafe]")) unsafe = true;
      if (headline.contains("[drop]")) continue;
      if (headline.contains("[drop-once]") && droppedOnce.add(id)) continue;
      out.add(FakeLeadAnswers.answer(id, lead));
    }
    if (reorder) Collections.reverse(out);
    if (unknownIds) {
      out.add(0, FakeLeadAnswers.answer("recUNKNOWN0000001", new JsonObject().put("headline", "x".repeat(5))
          .put("about", "y".repeat(5))));
    }
    int limit = maxLeadsBeforeOutputLimit;
    boolean outputLimit = limit >= 0 && leads.size() > limit;
    String json;
    if (outputLimit) {
      String complete = new JsonArray(out.subList(0, Math.min(limit, out.size()))).encode();
      String next = out.size() > limit ? out.get(limit).encode() : "";
      json = complete.substring(0, complete.length() - 1) + (limit > 0 && !next.isEmpty() ? "," : "")
          + next.substring(0, next.length() / 2);
      if (wrapInResults) json = "{\"results\":" + json;
    } else {
      JsonArray array = new JsonArray(out);
      json = wrapInResults ? new JsonObject().put("results", array).encode() : array.encode();
    }
    return new LeadOutcome(malform(json), leads.size(), unsafe, outputLimit);
  }

  protected String postReply(String user, boolean wrapInResults) {
    calls.incrementAndGet();
    promptChars.add(user.length());
    JsonArray posts = objectAt(user, user.indexOf("\n\n{") + 2).getJsonArray("posts", new JsonArray());
    JsonArray out = new JsonArray();
    for (Object o : posts) {
      JsonObject p = (JsonObject) o;
      String content = p.getString("postContent", "");
      out.add(new JsonObject().put("post_url", p.getString("postUrl")).put("post_score", content.length() % 101)
          .put("scoring_rationale", "fake rationale"));
    }
    return malform(wrapInResults ? new JsonObject().put("results", out).encode() : out.encode());
  }

  private String malform(String json) {
    Malformed mode = malformedCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? malformed : Malformed.NONE;
    return switch (mode) {
      case NONE -> json;
      case FENCES -> "Here are the scores:\n```json\n" + json + "\n```\n";
      case TRAILING_COMMAS -> json.replace("\"exclude_details\":\"\"}", "\"exclude_details\":\"\",}")
          .replaceFirst("}]", "},]");
      case CUT_OFF -> json.substring(0, lastElementStart(json) + 25);
      case GARBAGE -> "I am sorry, I cannot score these profiles today.";
      case EMPTY -> "";
    };
  }

  /** The JSON object that starts at {@code start}, up to its matching brace. */
  static JsonObject objectAt(String text, int start) {
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return new JsonObject(text.substring(start, i + 1));
      }
    }
    throw new IllegalArgumentException("no complete JSON object in the prompt");
  }

  /** Where the last object of the reply's array begins. */
  private static int lastElementStart(String json) {
    int depth = 0;
    int last = 0;
    boolean inString = false;
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (c == '{' && i > 0 && depth >= 1 && json.charAt(i - 1) != ':') last = i;
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
    return last;
  }

  /** Counts the usage a reply reports. */
  protected void reported(int prompt, int output, int thinking) {
    promptTokensReported.addAndGet(prompt);
    outputTokensReported.addAndGet(output);
    thinkingTokensReported.addAndGet(thinking);
  }

  /** Estimated tokens, the same rule the server uses when it plans calls. */
  protected static int tokens(int chars) {
    return (chars + 3) / 4;
  }
}
