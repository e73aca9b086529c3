package pbwebhook.alerts;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.config.AlertSettings;

/**
 * Turns alerts into messages an operator can bear: at most one message per event kind and client per interval.
 * The first event of a kind and client goes out at once; later ones within the interval wait and go out together
 * as one digest when the interval ends. Every message is passed through the {@link SecretRedactor}. With no
 * channel configured, alerts are only logged (at info level).
 */
public class AlertDigestVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(AlertDigestVerticle.class);
  static final int SEND_TIMEOUT_MS = 10_000;
  /** The old server's subject prefix, kept so operators' mail filters still match. */
  static final String SUBJECT_PREFIX = "[LeadScorer-GeminiApp] ";
  /** Lines of detail in one message; the rest are counted. */
  static final int MAX_DETAIL_LINES = 20;
  /** Events kept per kind and client while waiting for the interval; older ones are counted, not kept. */
  static final int MAX_PENDING = 200;

  private final AlertSettings settings;
  private final SecretRedactor redactor;
  private final List<AlertChannel> channels = new ArrayList<>();
  private final Map<String, Group> groups = new HashMap<>();
  private WebClient client;
  private long sent;
  private long failed;

  public AlertDigestVerticle(AlertSettings settings, SecretRedactor redactor) {
    this.settings = settings;
    this.redactor = redactor;
  }

  @Override
  public Future<?> start() {
    client = WebClient.create(vertx);
    if (settings.mailgunEnabled()) channels.add(new MailgunChannel(client, settings));
    if (settings.webhookEnabled()) channels.add(new WebhookChannel(client, settings.webhookUrl()));
    return vertx.eventBus().<JsonObject>localConsumer(Alert.ADDRESS, this::onAlert).completion();
  }

  @Override
  public Future<?> stop() {
    if (client != null) client.close();
    return Future.succeededFuture();
  }

  private void onAlert(Message<JsonObject> m) {
    Alert alert;
    try {
      alert = Alert.fromJson(m.body());
    } catch (RuntimeException e) {
      log.warn("malformed alert ignored: {}", e.getMessage());
      return;
    }
    String key = alert.kind() + "|" + alert.clientId();
    Group g = groups.computeIfAbsent(key, k -> new Group());
    long now = System.currentTimeMillis();
    long intervalMs = settings.intervalS() * 1000L;
    if (g.pending.isEmpty() && g.timer < 0 && (g.lastSentAt == 0 || now - g.lastSentAt >= intervalMs)) {
      g.lastSentAt = now;
      deliver(alert.kind(), alert.clientId(), List.of(alert), 0);
      return;
    }
    if (g.pending.size() < MAX_PENDING) g.pending.add(alert);
    else g.dropped++;
    if (g.timer < 0) {
      long delay = Math.max(1, g.lastSentAt + intervalMs - now);
      g.timer = vertx.setTimer(delay, id -> flush(key, alert.kind(), alert.clientId()));
    }
  }

  private void flush(String key, AlertKind kind, String clientId) {
    Group g = groups.get(key);
    if (g == null) return;
    g.timer = -1;
    if (g.pending.isEmpty()) return;
    List<Alert> batch = g.pending;
    int dropped = g.dropped;
    g.pending = new ArrayList<>();
    g.dropped = 0;
    g.lastSentAt = System.currentTimeMillis();
    deliver(kind, clientId, batch, dropped);
  }

  private void deliver(AlertKind kind, String clientId, List<Alert> alerts, int dropped) {
    int total = alerts.size() + dropped;
    String subject = redactor.redact(SUBJECT_PREFIX + (clientId == null ? "server" : "client " + clientId) + ": "
        + kind.title + (total > 1 ? " (" + total + " events)" : ""));
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < alerts.size() && i < MAX_DETAIL_LINES; i++) {
      Alert a = alerts.get(i);
      text.append(a.at()).append("  ").append(a.detail()).append('\n');
    }
    if (total > MAX_DETAIL_LINES) text.append("… and ").append(total - MAX_DETAIL_LINES).append(" more\n");
    String body = redactor.redact(text.toString());
    if (channels.isEmpty()) {
      log.info("alert (no channel configured): {}\n{}", subject, body);
      return;
    }
    for (AlertChannel channel : channels) {
      channel.send(subject, body).onComplete(ar -> {
        if (ar.succeeded()) {
          sent++;
        } else {
          failed++;
          log.warn("alert not sent through {}: {}", channel.name(), redactor.redact(ar.cause().getMessage()));
        }
      });
    }
  }

  /** Messages sent and failed since start, per channel summed. */
  public JsonObject status() {
    return new JsonObject().put("channels", channels.stream().map(AlertChannel::name).toList())
        .put("sent", sent).put("failed", failed);
  }

  private static final class Group {
    long lastSentAt;
    long timer = -1;
    List<Alert> pending = new ArrayList<>();
    int dropped;
  }
}
