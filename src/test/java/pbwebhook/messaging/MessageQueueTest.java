package pbwebhook.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Await;

/** The message queue's journal: what a restart gives back, and what it does with a job cut off mid-launch. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MessageQueueTest {

  @TempDir
  Path dataDir;

  @Test
  void aReopenedQueueHasEveryJobInItsLatestStateAndOrderAndOneSegment() throws Exception {
    MessageQueue q = MessageQueue.open(dataDir, true);
    MessageJob a = Await.within(q.enqueue("acme", "recA", null)).job();
    MessageJob b = Await.within(q.enqueue("acme", "recB", Instant.parse("2030-01-01T09:00:00Z"))).job();
    MessageJob c = Await.within(q.enqueue("zeta", "recC", null)).job();
    Instant now = Instant.now();
    Await.within(q.save(a.launching(now)));
    Await.within(q.save(a.launching(now).sent("cont-7", now).recordedNow(now)));
    Await.within(q.save(c.failedTry("HTTP 500", now.plusSeconds(60), now)));
    q.close().get(10, TimeUnit.SECONDS);

    MessageQueue again = MessageQueue.open(dataDir, true);
    try {
      List<MessageJob> acme = again.jobs("acme");
      assertThat(acme).extracting(MessageJob::jobId).containsExactly(a.jobId(), b.jobId());
      assertThat(acme.get(0).status()).isEqualTo(MessageJob.Status.SENT);
      assertThat(acme.get(0).runId()).isEqualTo("cont-7");
      assertThat(acme.get(0).recorded()).isTrue();
      assertThat(acme.get(1).status()).isEqualTo(MessageJob.Status.QUEUED);
      assertThat(acme.get(1).sendAt()).isEqualTo(Instant.parse("2030-01-01T09:00:00Z"));
      assertThat(again.jobs("zeta").get(0).tries()).isEqualTo(1);
      assertThat(again.jobs("zeta").get(0).lastError()).isEqualTo("HTTP 500");
      // B waits for its Send At, C for its retry time: nothing is due now.
      assertThat(again.nextDue("acme", Instant.now(), Set.of())).isNull();
      assertThat(again.nextDue("zeta", Instant.now().plusSeconds(61), Set.of()).jobId()).isEqualTo(c.jobId());
      assertThat(segments()).as("the start-up compaction left only the segment holding the fresh copies").hasSize(1);
      // A lead with an open job gets that job back, not a second one.
      MessageQueue.Enqueued repeat = Await.within(again.enqueue("acme", "recB", null));
      assertThat(repeat.duplicate()).isTrue();
      assertThat(repeat.job().jobId()).isEqualTo(b.jobId());
    } finally {
      again.close().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aJobCutOffWhileLaunchingIsFailedInDoubtAndNeverDueAgain() throws Exception {
    MessageQueue q = MessageQueue.open(dataDir, true);
    MessageJob a = Await.within(q.enqueue("acme", "recA", null)).job();
    Await.within(q.save(a.launching(Instant.now())));
    // No close: the journal is left as a kill -9 leaves it (each state change was fsync'd when saved).

    MessageQueue again = MessageQueue.open(dataDir, true);
    try {
      MessageJob after = again.get(a.jobId());
      assertThat(after.status()).isEqualTo(MessageJob.Status.FAILED);
      assertThat(after.reason()).isEqualTo(MessageQueue.IN_DOUBT);
      assertThat(after.recorded()).as("still to be written to the lead").isFalse();
      assertThat(again.unrecorded("acme")).extracting(MessageJob::jobId).containsExactly(a.jobId());
      assertThat(again.nextDue("acme", Instant.now().plusSeconds(3600), Set.of())).isNull();
    } finally {
      again.close().get(10, TimeUnit.SECONDS);
      q.close().get(10, TimeUnit.SECONDS);
    }
  }

  private List<Path> segments() throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("messages"))) {
      return files.filter(p -> p.getFileName().toString().startsWith("seg-")).toList();
    }
  }
}
