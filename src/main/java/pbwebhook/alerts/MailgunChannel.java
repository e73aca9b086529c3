package pbwebhook.alerts;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import pbwebhook.config.AlertSettings;

/** Mailgun's messages API, as the old server used it: basic auth {@code api:<key>}, a form post. */
public final class MailgunChannel implements AlertChannel {

  private final WebClient client;
  private final AlertSettings settings;
  private final String authorization;

  public MailgunChannel(WebClient client, AlertSettings settings) {
    this.client = client;
    this.settings = settings;
    this.authorization = "Basic " + Base64.getEncoder()
        .encodeToString(("api:" + settings.mailgunApiKey()).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String name() { return "mailgun"; }

  @Override
  public Future<Void> send(String subject, String text) {
    String url = settings.mailgunBaseUrl().replaceAll("/+$", "") + "/v3/" + settings.mailgunDomain() + "/messages";
    MultiMap form = MultiMap.caseInsensitiveMultiMap()
        .add("from", settings.fromEmail()).add("to", settings.alertEmail())
        .add("subject", subject).add("text", text);
    return client.postAbs(url).putHeader("Authorization", authorization).timeout(AlertDigestVerticle.SEND_TIMEOUT_MS)
        .sendForm(form)
        .compose(r -> r.statusCode() / 100 == 2 ? Future.<Void>succeededFuture()
            : Future.failedFuture("Mailgun answered " + r.statusCode()));
  }
}
