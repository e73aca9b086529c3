package pbwebhook.http;

import java.util.HashMap;
import java.util.Map;

/**
 * A token bucket per client for accepted webhooks (WEBHOOK_RATE_PER_S, WEBHOOK_RATE_BURST): a flood from
 * one source is answered 429 with Retry-After instead of filling the disk or starving other clients.
 * A rate of 0 turns it off.
 */
public final class AcceptRateLimiter {

  private static final int MAX_BUCKETS = 10_000;

  private final double ratePerNano;
  private final double burst;
  private final Map<String, double[]> buckets = new HashMap<>();

  public AcceptRateLimiter(int ratePerSecond, int burst) {
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = Math.max(1, burst);
  }

  public boolean enabled() {
    return ratePerNano > 0;
  }

  /** Takes a token for the client: 0 when allowed, else the whole seconds to wait before one is free. */
  public synchronized long tryAcquire(String clientId, long nowNanos) {
    if (!enabled()) return 0;
    if (buckets.size() > MAX_BUCKETS) buckets.clear();
    double[] b = buckets.computeIfAbsent(clientId, k -> new double[] {burst, nowNanos});
    b[0] = Math.min(burst, b[0] + (nowNanos - b[1]) * ratePerNano);
    b[1] = nowNanos;
    if (b[0] >= 1) {
      b[0] -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - b[0]) / ratePerNano / 1e9));
  }
}
