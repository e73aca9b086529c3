package pbwebhook.config;

import io.vertx.core.json.JsonObject;

/**
 * Outbound LinkedIn messages through PhantomBuster: where its API is, and how often each client's dispatcher looks
 * at its queue (PB_DISPATCH_INTERVAL_S, whole or decimal seconds; tests use a fraction of a second).
 */
public record MessagingSettings(String phantomBusterApiUrl, long dispatchIntervalMs) {

  public static final String DEFAULT_PHANTOMBUSTER_API_URL = "https://api.phantombuster.com";
  public static final double DEFAULT_PB_DISPATCH_INTERVAL_S = 60;

  static MessagingSettings from(JsonObject c) {
    String v = AppConfig.text(c, "PB_DISPATCH_INTERVAL_S");
    double seconds;
    try {
      seconds = v == null ? DEFAULT_PB_DISPATCH_INTERVAL_S : Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("PB_DISPATCH_INTERVAL_S must be a number of seconds, not: " + v);
    }
    if (!(seconds >= 0.01 && seconds <= 86_400)) {
      throw new IllegalArgumentException("PB_DISPATCH_INTERVAL_S must be between 0.01 and 86400 seconds, not: " + v);
    }
    return new MessagingSettings(AppConfig.textOr(c, "PHANTOMBUSTER_API_URL", DEFAULT_PHANTOMBUSTER_API_URL),
        Math.round(seconds * 1000));
  }
}
