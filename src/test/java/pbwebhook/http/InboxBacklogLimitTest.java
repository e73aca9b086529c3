package pbwebhook.http;

import pbwebhook.Await;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.inbox.Inbox;

/** The accept limit against a real inbox whose entries are not being delivered (nothing is deployed to take them). */
class InboxBacklogLimitTest {

  static final long KB = 1024;

  @TempDir
  Path dir;

  private static void accept(Inbox inbox, String client, int i) {
    // 3 KB bodies: each counts 4 KB with the entry's bookkeeping.
    String body = String.format("%06d", i) + "x".repeat((int) (3 * KB) - 6);
    Await.within(inbox.accept(client, "lh-profiles", new JsonObject(), null, Buffer.buffer(body),
        Instant.now()));
  }

  @Test
  void aClientIsRefused429OnlyOnceItsOwnBacklogReachesTheBound() throws IOException {
    Inbox inbox = Inbox.open(Inbox.Settings.of(dir, true, 72));
    try {
      InboxBacklogLimit limit = new InboxBacklogLimit(inbox, 40 * KB, 0);
      for (int i = 0; i < 10; i++) {
        assertThat(limit.refusal("flood")).as("entry " + i).isNull();
        accept(inbox, "flood", i);
      }
      ApiError refused = limit.refusal("flood");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.getMessage()).isEqualTo("too many webhooks waiting to be stored for client flood: 10 (40 KB), "
          + "the limit is 40 KB (WEBHOOK_BACKLOG_MB); retry after 10 s");
      assertThat(limit.refusal("quiet")).as("another client is not held back by the flood").isNull();
    } finally {
      inbox.close().join();
    }
  }

  @Test
  void everyClientIsRefused503OnceAllBacklogsTogetherReachTheInboxBound() throws IOException {
    Inbox inbox = Inbox.open(Inbox.Settings.of(dir, true, 72));
    try {
      InboxBacklogLimit limit = new InboxBacklogLimit(inbox, 1024 * KB, 4 * 1024 * KB);
      for (int i = 0; i < 1024; i++) accept(inbox, i % 2 == 0 ? "a" : "b", i);
      ApiError refused = limit.refusal("c");
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.getMessage()).isEqualTo("the inbox is full: 4.0 MB of webhooks (1024) are waiting to be stored, "
          + "the limit is 4.0 MB (INBOX_BACKLOG_MB); retry after 10 s");
    } finally {
      inbox.close().join();
    }
  }

  @Test
  void zeroTurnsTheClientBoundOffAndTheDefaultInboxBoundIsAQuarterOfTheHeap() throws IOException {
    Inbox inbox = Inbox.open(Inbox.Settings.of(dir, true, 72));
    try {
      for (int i = 0; i < 20; i++) accept(inbox, "flood", i);
      assertThat(new InboxBacklogLimit(inbox, 0, 0).refusal("flood")).isNull();
      pbwebhook.config.AppConfig defaults = pbwebhook.config.AppConfig.from(new JsonObject());
      assertThat(defaults.webhookBacklogMb()).isEqualTo(256);
      assertThat(defaults.webhookRatePerS()).as("no fixed rate by default").isZero();
      assertThat(InboxBacklogLimit.from(inbox, defaults).refusal("flood")).isNull();
    } finally {
      inbox.close().join();
    }
  }
}
