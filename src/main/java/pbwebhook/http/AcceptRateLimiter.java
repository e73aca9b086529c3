package pbwebhook.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optional token bucket per client for accepted webhooks (WEBHOOK_RATE_PER_S, WEBHOOK_RATE_BURST), off by
 * default (rate 0): a fixed rate refuses real senders, so the default protection is {@link InboxBacklogLimit}.
 * At most {@link #DEFAULT_MAX_KEYS} buckets are kept; past that the least recently used one is forgotten (it
 * starts full again if that client comes back), so a spray of client ids never resets everyone's bucket.
 */
public final class AcceptRateLimiter {

  public static final int DEFAULT_MAX_KEYS = 10_000;

  private final double ratePerNano;
  private final double burst;
  private final Map<String, double[]> buckets;

  public AcceptRateLimiter(int ratePerSecond, int burst) {
    this(ratePerSecond, burst, DEFAULT_MAX_KEYS);
  }

  AcceptRateLimiter(int ratePerSecond, int burst, int maxKeys) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = Math.max(1, burst);
    this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, double[]> eldest) {
        return size() > maxKeys;
      }
    };
  }

  public boolean enabled() {
    return ratePerNano > 0;
  }

  /** Takes a token for the client: 0 when allowed, else the whole seconds to wait before one is free. */
  public synchronized long tryAcquire(String clientId, long nowNanos) {
    if (!enabled()) return 0;
    double[] b = buckets.computeIfAbsent(clientId, k -> new double[] {burst, nowNanos});
    b[0] = Math.min(burst, b[0] + (nowNanos - b[1]) * ratePerNano);
    b[1] = nowNanos;
    if (b[0] >= 1) {
      b[0] -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - b[0]) / ratePerNano / 1e9));
  }

  synchronized int size() {
    return buckets.size();
  }
}
