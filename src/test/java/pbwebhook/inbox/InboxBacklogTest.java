package pbwebhook.inbox;

import pbwebhook.Await;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the accept limit reads: undelivered entries and bytes per client, kept exact through delivery and restarts. */
class InboxBacklogTest {

  static final int PER = Inbox.BACKLOG_BYTES_PER_ENTRY;

  @TempDir
  Path dir;

  private Inbox open() throws IOException {
    return Inbox.open(new Inbox.Settings(dir, true, Duration.ofHours(72), InboxJournal.DEFAULT_SEGMENT_BYTES));
  }

  private static void accept(Inbox inbox, String client, String body) {
    Await.within(inbox.accept(client, "lh-profiles", new JsonObject(), null, Buffer.buffer(body), Instant.now()));
  }

  @Test
  void pendingEntriesAreCountedPerClientUntilDeliveredOrDeadAndAgainAfterARestart() throws IOException {
    Inbox inbox = open();
    try {
      accept(inbox, "acme", "a".repeat(100));
      accept(inbox, "acme", "b".repeat(300));
      accept(inbox, "acme", "b".repeat(300)); // a repeat of the same body: not a second entry
      accept(inbox, "zeta", "z".repeat(50));
      assertThat(inbox.backlog("acme")).isEqualTo(new Inbox.Backlog(2, 400 + 2 * PER, 3, 450 + 3 * PER));
      assertThat(inbox.backlog("nobody")).isEqualTo(new Inbox.Backlog(0, 0, 3, 450 + 3 * PER));

      List<Inbox.State> due = inbox.takeDue(Long.MAX_VALUE, 10, 10, 0);
      Inbox.State acmeFirst = due.stream().filter(s -> s.bytes == 100).findFirst().orElseThrow();
      Inbox.State zeta = due.stream().filter(s -> s.clientId().equals("zeta")).findFirst().orElseThrow();
      inbox.markRetry(acmeFirst, "store unavailable", 0);
      assertThat(inbox.backlog("acme").clientEntries()).as("a retry is still pending").isEqualTo(2);
      inbox.markDelivered(acmeFirst, new JsonObject());
      inbox.markDelivered(acmeFirst, new JsonObject()); // a late second acknowledgement changes nothing
      inbox.markDead(zeta, "refused");
      assertThat(inbox.backlog("acme")).isEqualTo(new Inbox.Backlog(1, 300 + PER, 1, 300 + PER));
      assertThat(inbox.backlog("zeta")).isEqualTo(new Inbox.Backlog(0, 0, 1, 300 + PER));

      assertThat(Await.within(inbox.replay(zeta.id()))).isEqualTo(Inbox.ReplayResult.REPLAYED);
      assertThat(inbox.backlog("zeta")).isEqualTo(new Inbox.Backlog(1, 50 + PER, 2, 350 + 2 * PER));
    } finally {
      inbox.close().join();
    }
    Inbox again = open();
    try {
      assertThat(again.backlog("acme")).isEqualTo(new Inbox.Backlog(1, 300 + PER, 2, 350 + 2 * PER));
      assertThat(again.backlog("zeta")).isEqualTo(new Inbox.Backlog(1, 50 + PER, 2, 350 + 2 * PER));
    } finally {
      again.close().join();
    }
  }
}
