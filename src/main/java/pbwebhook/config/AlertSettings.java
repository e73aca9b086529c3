package pbwebhook.config;

import io.vertx.core.json.JsonObject;

/**
 * Where alert digests go: Mailgun (the old server's variables: all four of {@code MAILGUN_API_KEY},
 * {@code MAILGUN_DOMAIN}, {@code ALERT_EMAIL}, {@code FROM_EMAIL} set) and/or a generic JSON webhook
 * ({@code ALERT_WEBHOOK_URL}, Slack-compatible {@code {"text": …}}), at most one message per event kind and client
 * every {@code ALERT_INTERVAL_S}.
 */
public record AlertSettings(String mailgunApiKey, String mailgunDomain, String alertEmail, String fromEmail,
                            String mailgunBaseUrl, String webhookUrl, int intervalS) {

  public static final String DEFAULT_MAILGUN_BASE_URL = "https://api.mailgun.net";
  public static final int DEFAULT_INTERVAL_S = 900;

  static AlertSettings from(JsonObject c) {
    int interval = AppConfig.intOr(c, "ALERT_INTERVAL_S", DEFAULT_INTERVAL_S);
    if (interval < 1) throw new IllegalArgumentException("ALERT_INTERVAL_S must be at least 1, not: " + interval);
    return new AlertSettings(AppConfig.text(c, "MAILGUN_API_KEY"), AppConfig.text(c, "MAILGUN_DOMAIN"),
        AppConfig.text(c, "ALERT_EMAIL"), AppConfig.text(c, "FROM_EMAIL"),
        AppConfig.textOr(c, "MAILGUN_BASE_URL", DEFAULT_MAILGUN_BASE_URL), AppConfig.text(c, "ALERT_WEBHOOK_URL"),
        interval);
  }

  /** Mailgun is used only when all four of its settings are there, as in the old server. */
  public boolean mailgunEnabled() {
    return mailgunApiKey != null && mailgunDomain != null && alertEmail != null && fromEmail != null;
  }

  public boolean webhookEnabled() {
    return webhookUrl != null;
  }

  @Override
  public String toString() {
    return "AlertSettings{mailgun=" + mailgunEnabled() + ", webhook=" + webhookEnabled() + ", intervalS=" + intervalS + "}";
  }
}
