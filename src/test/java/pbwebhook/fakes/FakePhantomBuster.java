package pbwebhook.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake PhantomBuster API v2 with one phantom: {@code GET /api/v2/agents/fetch?id=} answers the agent with a
 * scripted {@code lastExec.status}, {@code POST /api/v2/agents/launch} answers {@code {containerId}} and records
 * what it was sent. Both need the phantom's key in {@code X-Phantombuster-Key-1} (401 otherwise). Listens on a free
 * loopback port.
 */
public final class FakePhantomBuster implements AutoCloseable {

  /** A launch as received: the body and the key header. */
  public record Launch(JsonObject body, String key, int fetchesBefore) {}

  private final String agentId;
  private final String apiKey;
  private final HttpServer server;
  /** Statuses the checks answer in turn; the last one is repeated. A null entry: no lastExec at all. */
  private volatile List<String> statuses = java.util.Collections.singletonList("success");
  private final AtomicInteger statusIndex = new AtomicInteger();
  /** Launches refused (HTTP 500, no containerId) before one is accepted. */
  public final AtomicInteger launchFailuresLeft = new AtomicInteger();
  /** Text the refused launches answer with (e.g. quoting the key, as a careless API might). */
  public volatile String launchFailureText = "{\"error\":\"Agent could not be launched\"}";
  /** Launches are recorded but never answered (a PhantomBuster that took the request and went silent). */
  public volatile boolean launchesHang;
  public final AtomicInteger fetches = new AtomicInteger();
  public final AtomicInteger launchRequests = new AtomicInteger();
  public final List<Launch> launches = new CopyOnWriteArrayList<>();

  public FakePhantomBuster(Vertx vertx, String agentId, String apiKey) {
    this.agentId = agentId;
    this.apiKey = apiKey;
    try {
      this.server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
          .await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("fake PhantomBuster did not start", e);
    }
  }

  /** The PHANTOMBUSTER_API_URL to point the server at. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  /** The checks answer these statuses in turn, then the last one for ever. */
  public void statuses(String... sequence) {
    statuses = java.util.Arrays.asList(sequence);
    statusIndex.set(0);
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(body -> {
      if (!apiKey.equals(req.getHeader("X-Phantombuster-Key-1"))) {
        reply(req, 401, new JsonObject().put("error", "invalid API key"));
        return;
      }
      if (req.path().equals("/api/v2/agents/fetch") && req.method().name().equals("GET")) {
        if (!agentId.equals(req.getParam("id"))) {
          reply(req, 404, new JsonObject().put("error", "Agent not found"));
          return;
        }
        fetches.incrementAndGet();
        List<String> s = statuses;
        String status = s.get(Math.min(statusIndex.getAndIncrement(), s.size() - 1));
        JsonObject agent = new JsonObject().put("id", agentId).put("name", "LinkedIn Message Sender");
        if (status != null) agent.put("lastExec", new JsonObject().put("status", status));
        reply(req, 200, agent);
      } else if (req.path().equals("/api/v2/agents/launch") && req.method().name().equals("POST")) {
        launchRequests.incrementAndGet();
        JsonObject launch = new JsonObject(body);
        if (!agentId.equals(launch.getString("id"))) {
          reply(req, 404, new JsonObject().put("error", "Agent not found"));
          return;
        }
        if (launchesHang) {
          launches.add(new Launch(launch, req.getHeader("X-Phantombuster-Key-1"), fetches.get()));
          return;
        }
        if (launchFailuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          req.response().setStatusCode(500).putHeader("content-type", "application/json").end(launchFailureText);
          return;
        }
        launches.add(new Launch(launch, req.getHeader("X-Phantombuster-Key-1"), fetches.get()));
        reply(req, 200, new JsonObject().put("containerId", "cont-" + launches.size()));
      } else {
        reply(req, 404, new JsonObject().put("error", "not found"));
      }
    });
  }

  private static void reply(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  @Override
  public void close() {
    try {
      server.close().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
