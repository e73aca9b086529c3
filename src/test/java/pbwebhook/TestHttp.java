package pbwebhook;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A tiny blocking HTTP client for tests (runs on the test thread, never on an event loop). */
public final class TestHttp {

  public record Reply(int status, String body, Map<String, List<String>> headers) {
    public Reply(int status, String body) { this(status, body, Map.of()); }
    public JsonObject json() { return new JsonObject(body); }
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0))
          .findFirst().orElse(null);
    }
    public Object jsonValue() { return Json.decodeValue(body); }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final int port;

  public TestHttp(int port) {
    this.base = "http://127.0.0.1:" + port;
    this.port = port;
  }

  public int port() { return port; }

  public Reply get(String path) { return get(path, Map.of()); }

  public Reply get(String path, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET();
    headers.forEach(b::header);
    return send(b.build());
  }

  public Reply post(String path, String body) { return post(path, body, Map.of("Content-Type", "application/json")); }

  public Reply post(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return send(b.build());
  }

  public Reply patch(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .method("PATCH", HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return send(b.build());
  }

  /** Raw bytes, e.g. a body that is not valid UTF-8. */
  public Reply postBytes(String path, byte[] body, Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    return send(b.build());
  }

  /** Polls {@code GET /api/runs/{runId}} until the run is no longer running; fails after {@code limit}. */
  public JsonObject finishedRun(String runId, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      JsonObject run = get("/api/runs/" + runId).json();
      if (!"running".equals(run.getString("status"))) return run;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("run " + runId + " still running after " + limit.toSeconds() + " s");
  }

  private Reply send(HttpRequest req) {
    try {
      HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new IllegalStateException(req.method() + " " + req.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
