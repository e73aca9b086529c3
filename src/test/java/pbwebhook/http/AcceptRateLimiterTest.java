package pbwebhook.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AcceptRateLimiterTest {

  static final long T = 1_000_000_000_000L;

  @Test
  void offByDefaultSettingsAndAtRateZero() {
    AcceptRateLimiter off = new AcceptRateLimiter(pbwebhook.config.AppConfig.DEFAULT_WEBHOOK_RATE_PER_S,
        pbwebhook.config.AppConfig.DEFAULT_WEBHOOK_RATE_BURST);
    assertThat(off.enabled()).isFalse();
    for (int i = 0; i < 10_000; i++) assertThat(off.tryAcquire("acme", T)).isZero();
  }

  @Test
  void aDrainedBucketWaitsForItsRate() {
    AcceptRateLimiter l = new AcceptRateLimiter(2, 3);
    assertThat(l.tryAcquire("acme", T)).isZero();
    assertThat(l.tryAcquire("acme", T)).isZero();
    assertThat(l.tryAcquire("acme", T)).isZero();
    assertThat(l.tryAcquire("acme", T)).isEqualTo(1);
    assertThat(l.tryAcquire("other", T)).as("another client has its own bucket").isZero();
    assertThat(l.tryAcquire("acme", T + 500_000_000L)).as("half a second at 2/s frees one token").isZero();
  }

  @Test
  void atTheKeyLimitOnlyTheLeastRecentlyUsedBucketIsForgotten() {
    AcceptRateLimiter l = new AcceptRateLimiter(1, 1);
    // "hot" drains its bucket, then 9,999 other clients each take their one token: 10,000 buckets.
    assertThat(l.tryAcquire("hot", T)).isZero();
    for (int i = 0; i < AcceptRateLimiter.DEFAULT_MAX_KEYS - 1; i++) assertThat(l.tryAcquire("k" + i, T)).isZero();
    assertThat(l.size()).isEqualTo(AcceptRateLimiter.DEFAULT_MAX_KEYS);
    assertThat(l.tryAcquire("hot", T)).as("hot is still drained, and now the most recently used").isEqualTo(1);
    // One more client: the least recently used bucket (k0) goes, nobody else's.
    assertThat(l.tryAcquire("newcomer", T)).isZero();
    assertThat(l.size()).isEqualTo(AcceptRateLimiter.DEFAULT_MAX_KEYS);
    assertThat(l.tryAcquire("hot", T)).as("hot's bucket survived").isEqualTo(1);
    assertThat(l.tryAcquire("k1", T)).as("k1's bucket survived").isEqualTo(1);
    assertThat(l.tryAcquire("k9998", T)).as("the newest other bucket survived").isEqualTo(1);
    assertThat(l.tryAcquire("k0", T)).as("k0 was forgotten, so it starts full").isZero();
  }
}
