package pbwebhook.messaging;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.net.ConnectException;
import java.net.UnknownHostException;
import pbwebhook.alerts.SecretRedactor;

/**
 * The two PhantomBuster API v2 calls the dispatcher makes (system.md §1 Messaging): the phantom's state
 * ({@code GET /api/v2/agents/fetch?id=}) and a launch ({@code POST /api/v2/agents/launch}), both with the client's
 * key in {@code X-Phantombuster-Key-1}. Failure messages never carry the key or the cookie.
 */
public final class PhantomBusterClient {

  static final String KEY_HEADER = "X-Phantombuster-Key-1";
  private static final int MAX_QUOTED = 300;

  private final WebClient client;
  private final String apiUrl;
  private final long timeoutMs;

  public PhantomBusterClient(WebClient client, String apiUrl, long timeoutMs) {
    this.client = client;
    this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
    this.timeoutMs = timeoutMs;
  }

  /**
   * A call that failed. {@code maybeLaunched}: a launch request was sent but no answer came back, so the phantom may
   * be running it; every other failure (no connection, an answer without a container id) certainly launched nothing.
   */
  public static final class PhantomBusterException extends RuntimeException {
    private final boolean maybeLaunched;

    PhantomBusterException(String message, boolean maybeLaunched) {
      super(message, null, false, false);
      this.maybeLaunched = maybeLaunched;
    }

    public boolean maybeLaunched() { return maybeLaunched; }
  }

  /** The status of the phantom's last run ({@code lastExec.status}: "running", "success", "error"…), or null if none. */
  public Future<String> lastRunStatus(String agentId, String apiKey, SecretRedactor redactor) {
    return client.getAbs(apiUrl + "/api/v2/agents/fetch").addQueryParam("id", agentId).putHeader(KEY_HEADER, apiKey)
        .timeout(timeoutMs).send()
        .recover(e -> Future.failedFuture(new PhantomBusterException(
            "PhantomBuster could not be reached: " + redactor.redact(String.valueOf(e.getMessage())), false)))
        .compose(r -> {
          JsonObject body = json(r);
          if (r.statusCode() / 100 != 2 || body == null) return Future.failedFuture(answerFailure("agent check", r, redactor));
          // The agent itself, or wrapped in {agent: …}.
          JsonObject agent = body.getValue("agent") instanceof JsonObject a ? a : body;
          Object last = agent.getValue("lastExec");
          return Future.succeededFuture(last instanceof JsonObject l && l.getValue("status") != null
              ? String.valueOf(l.getValue("status")) : null);
        });
  }

  /** Launches the phantom with {@code argument}; the container id of the run it started. */
  public Future<String> launch(String agentId, String apiKey, JsonObject argument, SecretRedactor redactor) {
    return client.postAbs(apiUrl + "/api/v2/agents/launch").putHeader(KEY_HEADER, apiKey).timeout(timeoutMs)
        .sendJsonObject(new JsonObject().put("id", agentId).put("argument", argument))
        .recover(e -> {
          boolean notSent = e instanceof ConnectException || e instanceof UnknownHostException;
          return Future.failedFuture(new PhantomBusterException((notSent ? "PhantomBuster could not be reached: "
              : "no answer from PhantomBuster to the launch request: ") + redactor.redact(String.valueOf(e.getMessage())),
              !notSent));
        })
        .compose(r -> {
          JsonObject body = json(r);
          Object id = body == null ? null : body.getValue("containerId");
          if (r.statusCode() / 100 == 2 && id != null && !String.valueOf(id).isBlank()) {
            return Future.succeededFuture(String.valueOf(id));
          }
          return Future.failedFuture(answerFailure("launch", r, redactor));
        });
  }

  private static PhantomBusterException answerFailure(String what, HttpResponse<Buffer> r, SecretRedactor redactor) {
    String text = r.bodyAsString() == null ? "" : redactor.redact(r.bodyAsString()).strip();
    if (text.length() > MAX_QUOTED) text = text.substring(0, MAX_QUOTED) + "…";
    String why = r.statusCode() / 100 == 2 ? "no containerId in the answer" : "HTTP " + r.statusCode();
    return new PhantomBusterException("PhantomBuster " + what + " failed (" + why + ")" + (text.isEmpty() ? "" : ": " + text),
        false);
  }

  private static JsonObject json(HttpResponse<Buffer> r) {
    try {
      return r.body() == null ? null : new JsonObject(r.body());
    } catch (RuntimeException e) {
      return null;
    }
  }
}
