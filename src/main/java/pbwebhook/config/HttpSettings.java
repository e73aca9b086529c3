package pbwebhook.config;

import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the HTTP front allows a caller on the open internet: bytes of request bodies held at once, time to
 * send headers and a body, idle time, open connections, and the Host names it answers to.
 *
 * @param maxInflightBodyBytes bodies being read or held at once, across every request; past it 503 + Retry-After
 * @param headerTimeoutS a connection must complete a request's headers this long after it opened or after its
 *     previous response, or it is closed
 * @param bodyTimeoutS a webhook body must arrive within this, or 408 and the connection is closed
 * @param idleTimeoutS a connection with no bytes either way for this long is closed
 * @param maxConnections open connections; past it the oldest one still sending headers is closed, or if none is,
 *     the new one
 * @param allowedHosts extra Host names (ALLOWED_HOSTS), lower case, beside the loopback names
 */
public record HttpSettings(long maxInflightBodyBytes, int headerTimeoutS, int bodyTimeoutS, int idleTimeoutS,
                           int maxConnections, List<String> allowedHosts) {

  /** A quarter of the heap: the rest stays for the inbox, the workers and the stores. */
  public static final double DEFAULT_INFLIGHT_BODY_HEAP_FRACTION = 0.25;
  public static final int DEFAULT_HEADER_TIMEOUT_S = 10;
  public static final int DEFAULT_BODY_TIMEOUT_S = 60;
  public static final int DEFAULT_IDLE_TIMEOUT_S = 30;
  /** Open connections when MAX_CONNECTIONS is 0 (auto): half the file descriptors, at most this. */
  public static final int DEFAULT_MAX_CONNECTIONS_CEILING = 10_000;

  static HttpSettings from(JsonObject c) {
    long inflight = longOr(c, "MAX_INFLIGHT_BODY_BYTES", 0);
    int maxConnections = AppConfig.intOr(c, "MAX_CONNECTIONS", 0);
    String hosts = AppConfig.textOr(c, "ALLOWED_HOSTS", "");
    return new HttpSettings(
        inflight > 0 ? inflight : (long) (Runtime.getRuntime().maxMemory() * DEFAULT_INFLIGHT_BODY_HEAP_FRACTION),
        positive(c, "HTTP_HEADER_TIMEOUT_S", DEFAULT_HEADER_TIMEOUT_S),
        positive(c, "HTTP_BODY_TIMEOUT_S", DEFAULT_BODY_TIMEOUT_S),
        positive(c, "HTTP_IDLE_TIMEOUT_S", DEFAULT_IDLE_TIMEOUT_S),
        maxConnections > 0 ? maxConnections : autoMaxConnections(),
        Arrays.stream(hosts.split(",")).map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty()).toList());
  }

  /** Half the process's file descriptors (the rest are for the journal, the stores and outgoing calls). */
  static int autoMaxConnections() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long half = unix.getMaxFileDescriptorCount() / 2;
      return (int) Math.max(64, Math.min(DEFAULT_MAX_CONNECTIONS_CEILING, half));
    }
    return DEFAULT_MAX_CONNECTIONS_CEILING;
  }

  private static int positive(JsonObject c, String key, int def) {
    int v = AppConfig.intOr(c, key, def);
    if (v < 1) throw new IllegalArgumentException(key + " must be at least 1, not: " + v);
    return v;
  }

  private static long longOr(JsonObject c, String key, long def) {
    String v = AppConfig.text(c, key);
    if (v == null) return def;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number of bytes, not: " + v);
    }
  }
}
