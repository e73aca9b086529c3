package pbwebhook.alerts;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/** A generic JSON webhook, Slack-compatible: {@code {"text": "<subject>\n<text>"}}. */
public final class WebhookChannel implements AlertChannel {

  private final WebClient client;
  private final String url;

  public WebhookChannel(WebClient client, String url) {
    this.client = client;
    this.url = url;
  }

  @Override
  public String name() { return "webhook"; }

  @Override
  public Future<Void> send(String subject, String text) {
    return client.postAbs(url).timeout(AlertDigestVerticle.SEND_TIMEOUT_MS)
        .sendJsonObject(new JsonObject().put("text", subject + "\n" + text))
        .compose(r -> r.statusCode() / 100 == 2 ? Future.<Void>succeededFuture()
            : Future.failedFuture("alert webhook answered " + r.statusCode()));
  }
}
