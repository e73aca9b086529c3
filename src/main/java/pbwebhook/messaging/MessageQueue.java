package pbwebhook.messaging;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.inbox.Inbox;
import pbwebhook.inbox.InboxJournal;
import pbwebhook.inbox.JournalDisk;

/**
 * The durable message queue of every client (DATA_DIR/messages), on the inbox's journal: each state change of a
 * job is journaled (fsync'd) as the whole job, the last record of a job wins at recovery, and a start or
 * {@link #compact()} rewrites the live jobs and drops the older segments. Jobs of a client keep the order they
 * were queued in.
 *
 * <p>A job found {@code LAUNCHING} at start-up was cut off between the launch request and the record of its
 * answer: PhantomBuster may or may not have sent the message. It is never launched again blindly; it fails with
 * a reason saying so, for an operator to check the phantom's console and queue it again if it was not sent.
 *
 * <p>Thread-safe; disk I/O happens on the journal's writer thread, never on the caller's.
 */
public final class MessageQueue {

  private static final Logger log = LoggerFactory.getLogger(MessageQueue.class);
  private static final byte JOB = 'J';
  /** Small segments: a job is a few hundred bytes, and sealed segments are what compaction can delete. */
  static final long SEGMENT_BYTES = 1024 * 1024;
  /** Finished jobs are listed this long, then forgotten by the next compaction. */
  static final Duration RETENTION = Duration.ofDays(7);
  static final String IN_DOUBT = "the server stopped while launching the phantom, so PhantomBuster may or may not "
      + "have sent this message; it is not launched again automatically: check the phantom's runs and queue it again "
      + "if it was not sent";
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final InboxJournal.Codec<MessageJob> CODEC = new InboxJournal.Codec<>() {
    @Override
    public boolean knownType(byte type) { return type == JOB; }

    @Override
    public MessageJob decode(byte[] payload) {
      return MessageJob.fromJson(new JsonObject(new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8)));
    }
  };

  /** A job asked for: the new one, or the open job of the same lead that it joined. */
  public record Enqueued(MessageJob job, boolean duplicate) {}

  private final InboxJournal<MessageJob> journal;
  /** Every job by id, in the order first queued (re-putting a job keeps its place). */
  private final Map<String, MessageJob> jobs = new LinkedHashMap<>();

  private MessageQueue(InboxJournal<MessageJob> journal) {
    this.journal = journal;
  }

  /** Recovers the queue (blocking: call it off the event loop), settles jobs cut off mid-launch, and compacts. */
  public static MessageQueue open(Path dataDir, boolean fsync) throws IOException {
    InboxJournal<MessageJob> journal = new InboxJournal<>(dataDir.resolve("messages"), fsync, SEGMENT_BYTES,
        JournalDisk.SYSTEM, CODEC, "messages");
    MessageQueue queue = new MessageQueue(journal);
    int inDoubt = 0;
    synchronized (queue) {
      for (InboxJournal.Located<MessageJob> l : journal.recover()) queue.jobs.put(l.record().jobId(), l.record());
      Instant now = Instant.now();
      for (MessageJob j : List.copyOf(queue.jobs.values())) {
        if (j.status() != MessageJob.Status.LAUNCHING) continue;
        queue.jobs.put(j.jobId(), j.failed(IN_DOUBT, now));
        inDoubt++;
        log.warn("messages: job {} of client {} was being launched when the server stopped; not launched again",
            j.jobId(), j.clientId());
      }
    }
    journal.start();
    // The compaction writes every job as it now stands, the in-doubt ones included, before anything else happens.
    queue.compact().join();
    log.info("messages: {} ({} open jobs{})", dataDir.resolve("messages"), queue.openCount(), inDoubt > 0 ? ", " + inDoubt + " in doubt" : "");
    return queue;
  }

  /**
   * Queues a message to the lead, unless one to it is still open (queued or being launched), which it joins.
   * Completes once the job is on disk.
   */
  public Future<Enqueued> enqueue(String clientId, String recordId, Instant sendAt) {
    MessageJob job;
    CompletableFuture<Long> durable;
    synchronized (this) {
      for (MessageJob j : jobs.values()) {
        if (j.open() && j.clientId().equals(clientId) && j.recordId().equals(recordId)) {
          return Future.succeededFuture(new Enqueued(j, true));
        }
      }
      Instant now = Instant.now();
      job = MessageJob.queued(newId(now), clientId, recordId, now, sendAt);
      jobs.put(job.jobId(), job);
      durable = journal.append(encode(job));
    }
    return settle(durable, job, null).map(j -> new Enqueued(j, false));
  }

  /** Records a job's new state; completes once it is on disk (on failure the previous state is put back). */
  public Future<MessageJob> save(MessageJob next) {
    MessageJob before;
    CompletableFuture<Long> durable;
    synchronized (this) {
      before = jobs.put(next.jobId(), next);
      durable = journal.append(encode(next));
    }
    return settle(durable, next, before);
  }

  private Future<MessageJob> settle(CompletableFuture<Long> durable, MessageJob job, MessageJob before) {
    return Inbox.onCallerContext(durable).transform(ar -> {
      if (ar.succeeded()) return Future.succeededFuture(job);
      synchronized (this) {
        if (jobs.get(job.jobId()) == job) {
          if (before == null) jobs.remove(job.jobId());
          else jobs.put(job.jobId(), before);
        }
      }
      return Future.failedFuture(ar.cause());
    });
  }

  /** A client's jobs in queue order. */
  public synchronized List<MessageJob> jobs(String clientId) {
    return jobs.values().stream().filter(j -> j.clientId().equals(clientId)).toList();
  }

  public synchronized MessageJob get(String jobId) {
    return jobs.get(jobId);
  }

  /** The client's first job ready to go at {@code now}, in queue order, but for the leads {@code held}; null if none. */
  public synchronized MessageJob nextDue(String clientId, Instant now, java.util.Set<String> heldRecordIds) {
    for (MessageJob j : jobs.values()) {
      if (j.clientId().equals(clientId) && j.due(now) && !heldRecordIds.contains(j.recordId())) return j;
    }
    return null;
  }

  /** The client's finished jobs whose outcome is not yet on the lead. */
  public synchronized List<MessageJob> unrecorded(String clientId) {
    return jobs.values().stream().filter(j -> j.clientId().equals(clientId) && j.finished() && !j.recorded()).toList();
  }

  /** Open jobs of one client. */
  public synchronized int openCount(String clientId) {
    return (int) jobs.values().stream().filter(j -> j.open() && j.clientId().equals(clientId)).count();
  }

  private synchronized int openCount() {
    return (int) jobs.values().stream().filter(MessageJob::open).count();
  }

  /**
   * Forgets finished jobs past {@link #RETENTION} (once recorded on the lead), writes every other job afresh and
   * deletes the segments sealed before: they hold nothing the new copies do not.
   */
  public CompletableFuture<Void> compact() {
    return journal.onWriter(() -> {
      try {
        List<byte[]> records = new ArrayList<>();
        List<Long> sealed = journal.sealedSegments();
        synchronized (this) {
          Instant cutoff = Instant.now().minus(RETENTION);
          jobs.values().removeIf(j -> j.finished() && j.recorded() && j.updatedAt().isBefore(cutoff));
          for (MessageJob j : jobs.values()) records.add(encode(j));
        }
        if (!records.isEmpty()) journal.writeNow(records);
        for (long seg : sealed) journal.deleteSegment(seg);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  public CompletableFuture<Void> close() {
    return journal.close();
  }

  private static byte[] encode(MessageJob job) {
    byte[] json = job.toJson().encode().getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[json.length + 1];
    payload[0] = JOB;
    System.arraycopy(json, 0, payload, 1, json.length);
    return InboxJournal.frame(payload);
  }

  /** Time-ordered and unique across restarts: {@code msg_<ms base36>-<random>}. */
  private static String newId(Instant at) {
    return "msg_" + Long.toString(at.toEpochMilli(), 36) + "-" + Long.toString(1_679_616L + RANDOM.nextLong(58_786_560L), 36);
  }
}
