package pbwebhook.inbox;

import pbwebhook.Await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.fakes.FaultyDisk;

/** The inbox on its own: durability across restarts, torn writes, idempotency, group commit, compaction. */
class InboxTest {

  @TempDir
  Path dir;

  private final List<Inbox> opened = new ArrayList<>();

  @AfterEach
  void closeAll() {
    opened.forEach(i -> i.close().join());
  }

  private Inbox open(Duration retention, long segmentBytes) throws IOException {
    Inbox inbox = Inbox.open(new Inbox.Settings(dir, true, retention, segmentBytes));
    opened.add(inbox);
    return inbox;
  }

  private Inbox open() throws IOException {
    return open(Duration.ofHours(72), InboxJournal.DEFAULT_SEGMENT_BYTES);
  }

  private void close(Inbox inbox) {
    inbox.close().join();
    opened.remove(inbox);
  }

  private static Inbox.Acceptance accept(Inbox inbox, String client, String key, String body) {
    return Await.within(inbox.accept(client, "lh-profiles", new JsonObject().put("user-agent", "test"), key, Buffer.buffer(body),
        Instant.now()));
  }

  private static java.util.Map<String, Inbox.State> takeAll(Inbox inbox) {
    java.util.Map<String, Inbox.State> due = new java.util.HashMap<>();
    inbox.takeDue(Long.MAX_VALUE, 1000, 1000, 0).forEach(s -> due.put(s.id(), s));
    return due;
  }

  @Test
  void everyAcceptedEntryAndItsOutcomeSurviveARestart() throws IOException {
    Inbox inbox = open();
    String a = accept(inbox, "demo", null, "{\"n\":1}").inboxId();
    String b = accept(inbox, "demo", null, "{\"n\":2}").inboxId();
    String c = accept(inbox, "acme", null, "{\"n\":3}").inboxId();
    close(inbox);

    inbox = open();
    assertThat(inbox.counts().getInteger("pending")).isEqualTo(3);
    var due = takeAll(inbox);
    Inbox.State sa = due.get(a);
    assertThat(sa.full().body().toString()).isEqualTo("{\"n\":1}");
    assertThat(sa.full().headers().getString("user-agent")).isEqualTo("test");
    inbox.markDelivered(sa, new JsonObject().put("upserted", 1));
    inbox.markDead(due.get(b), "the store refused 1 item(s): Unknown field name: \"Nope\"");
    close(inbox);

    inbox = open();
    JsonObject counts = inbox.counts();
    assertThat(counts.getInteger("pending")).isEqualTo(1);
    assertThat(counts.getInteger("delivered")).isEqualTo(1);
    assertThat(counts.getInteger("dead")).isEqualTo(1);
    assertThat(counts.getJsonObject("clients").getJsonObject("acme").getInteger("pending")).isEqualTo(1);
    assertThat(inbox.dead(null, 10).getJsonObject(0).getString("reason")).contains("Unknown field name");
    assertThat(Await.within(inbox.replay(b))).isEqualTo(Inbox.ReplayResult.REPLAYED);
    assertThat(Await.within(inbox.replay(b))).isEqualTo(Inbox.ReplayResult.NOT_DEAD);
    assertThat(Await.within(inbox.replay("ib_nope"))).isEqualTo(Inbox.ReplayResult.NOT_FOUND);
    close(inbox);

    inbox = open();
    assertThat(inbox.counts().getInteger("pending")).isEqualTo(2);
    assertThat(inbox.takeDue(Long.MAX_VALUE, 10, 10, 0)).extracting(Inbox.State::id).containsExactlyInAnyOrder(b, c);
  }

  @Test
  void aWriteTornByACrashIsCutOffAndEverythingBeforeItKept() throws IOException {
    Inbox inbox = open();
    accept(inbox, "demo", null, "{\"n\":1}");
    accept(inbox, "demo", null, "{\"n\":2}");
    close(inbox);
    Path last;
    try (Stream<Path> files = Files.list(dir)) {
      last = files.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().reduce((x, y) -> y).orElseThrow();
    }
    long goodSize = Files.size(last);
    // Half a record: a length promising 500 bytes and a few of them.
    Files.write(last, new byte[] {0, 0, 1, (byte) 0xf4, 1, 2, 3, 4, 'E', 0, 0}, StandardOpenOption.APPEND);

    inbox = open();
    assertThat(Files.size(last)).isEqualTo(goodSize);
    assertThat(inbox.counts().getInteger("pending")).isEqualTo(2);
    accept(inbox, "demo", null, "{\"n\":3}");
    close(inbox);
    assertThat(open().counts().getInteger("pending")).isEqualTo(3);
  }

  @Test
  void aRepeatedWebhookIsAcknowledgedWithTheFirstIdAndNotWrittenAgain() throws IOException {
    Inbox inbox = open();
    Inbox.Acceptance first = accept(inbox, "demo", "evt-1", "{\"a\":1}");
    assertThat(first.duplicate()).isFalse();
    record Case(String name, String client, String key, String body, boolean duplicate) {}
    List<Case> cases = List.of(
        new Case("same key, other body", "demo", "evt-1", "{\"a\":2}", true),
        new Case("other key, same body", "demo", "evt-2", "{\"a\":1}", false),
        new Case("same key, other client", "acme", "evt-1", "{\"a\":1}", false));
    for (Case c : cases) {
      Inbox.Acceptance a = accept(inbox, c.client(), c.key(), c.body());
      assertThat(a.duplicate()).as(c.name()).isEqualTo(c.duplicate());
      assertThat(a.inboxId().equals(first.inboxId())).as(c.name()).isEqualTo(c.duplicate());
    }
    Inbox.Acceptance noKey = accept(inbox, "demo", null, "{\"b\":1}");
    assertThat(accept(inbox, "demo", null, "{\"b\":1}")).isEqualTo(new Inbox.Acceptance(noKey.inboxId(), true));
    long writes = inbox.counts().getJsonObject("journal").getLong("writes");
    close(inbox);

    inbox = open();
    assertThat(accept(inbox, "demo", null, "{\"b\":1}")).isEqualTo(new Inbox.Acceptance(noKey.inboxId(), true));
    assertThat(accept(inbox, "demo", "evt-1", "{}").inboxId()).isEqualTo(first.inboxId());
    assertThat(inbox.counts().getInteger("pending")).isEqualTo(4);
    assertThat(writes).isEqualTo(4);
  }

  @Test
  void appendsWaitingWhileTheWriterIsBusyShareOneFsync() throws Exception {
    InboxJournal journal = new InboxJournal(dir, true, InboxJournal.DEFAULT_SEGMENT_BYTES);
    journal.recover();
    journal.start();
    try {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      CompletableFuture<Void> busy = journal.onWriter(() -> {
        started.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<Long>> appends = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        appends.add(journal.append(JournalRecord.encode(new JournalRecord.StateChange(JournalRecord.DELIVERED, "ib_" + i,
            Instant.now(), null))));
      }
      long syncsBefore = journal.syncs();
      release.countDown();
      busy.get(10, TimeUnit.SECONDS);
      CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(journal.writes()).isEqualTo(100);
      assertThat(journal.syncs() - syncsBefore).isEqualTo(1);
    } finally {
      journal.close().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void compactionDropsExpiredDeliveredEntriesAndCarriesLiveOnesForward() throws Exception {
    // Tiny segments and no retention: every delivered entry is prunable at once.
    Inbox inbox = open(Duration.ZERO, 600);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) ids.add(accept(inbox, "demo", null, "{\"profile\":" + i + ",\"pad\":\"" + "x".repeat(100) + "\"}").inboxId());
    List<Inbox.State> due = inbox.takeDue(Long.MAX_VALUE, 100, 100, 0);
    for (Inbox.State s : due) {
      if (s.id().equals(ids.get(3))) inbox.markDead(s, "refused");
      else if (s.id().equals(ids.get(7))) inbox.markRetry(s, "store unavailable", 0);
      else inbox.markDelivered(s, new JsonObject());
    }
    long before = inbox.diskBytes();
    Thread.sleep(5);
    inbox.compact().get(10, TimeUnit.SECONDS);
    assertThat(inbox.diskBytes()).isLessThan(before / 2);
    close(inbox);

    inbox = open(Duration.ZERO, 600);
    JsonObject counts = inbox.counts();
    assertThat(counts.getInteger("pending")).isEqualTo(1);
    assertThat(counts.getInteger("dead")).isEqualTo(1);
    assertThat(counts.getInteger("delivered")).isZero();
    assertThat(takeAll(inbox).get(ids.get(7)).full().body().toString()).contains("\"profile\":7");
    assertThat(inbox.dead(null, 10).getJsonObject(0).getString("inboxId")).isEqualTo(ids.get(3));
  }

  /** Waits (bounded) for a future completed on another thread; test thread only. */
  private static <T> io.vertx.core.Future<T> settled(io.vertx.core.Future<T> f) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!f.isComplete() && System.nanoTime() < deadline) Thread.sleep(5);
    assertThat(f.isComplete()).as("future completed in time").isTrue();
    return f;
  }

  private Inbox open(FaultyDisk disk, long segmentBytes) throws IOException {
    Inbox inbox = Inbox.open(new Inbox.Settings(dir, true, Duration.ofHours(72), segmentBytes, disk));
    opened.add(inbox);
    return inbox;
  }

  private static io.vertx.core.Future<Inbox.Acceptance> acceptLater(Inbox inbox, String body) {
    return inbox.accept("demo", "lh-profiles", new JsonObject(), null, Buffer.buffer(body), Instant.now());
  }

  @Test
  void aFailedSegmentRotationIsRetriedSoOnlyTheWebhookCaughtInItIsRefused() throws Exception {
    // Tiny segments: every entry needs a new segment. The disk refuses to create one, once.
    FaultyDisk disk = new FaultyDisk();
    Inbox inbox = open(disk, 64);
    String first = accept(inbox, "demo", null, "{\"n\":1,\"pad\":\"" + "x".repeat(100) + "\"}").inboxId();
    disk.failNextCreates(1);

    var refused = settled(acceptLater(inbox, "{\"n\":2}"));
    // An IOException is what the HTTP layer answers with 503 and Retry-After (not a 500).
    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).isInstanceOf(IOException.class).hasMessageContaining("No space left on device");

    List<String> later = new ArrayList<>();
    for (int i = 3; i <= 6; i++) later.add(accept(inbox, "demo", null, "{\"n\":" + i + "}").inboxId());
    close(inbox);

    inbox = open();
    assertThat(takeAll(inbox).keySet()).containsExactlyInAnyOrder(first, later.get(0), later.get(1), later.get(2), later.get(3));
  }

  @Test
  void noWebhookIsAcknowledgedBeforeItsFsyncReturns() throws Exception {
    FaultyDisk disk = new FaultyDisk();
    Inbox inbox = open(disk, InboxJournal.DEFAULT_SEGMENT_BYTES);
    CountDownLatch release = disk.holdForces();

    var pending = acceptLater(inbox, "{\"n\":1}");
    assertThat(disk.awaitForceHeld(10, TimeUnit.SECONDS)).as("the writer reached the fsync").isTrue();
    long returnedBefore = disk.forcesReturned();
    // The fsync is in progress (held): the webhook must not be acknowledged yet, however long it takes.
    assertThat(pending.isComplete()).isFalse();
    java.util.concurrent.atomic.AtomicLong returnedWhenAcknowledged = new java.util.concurrent.atomic.AtomicLong(-1);
    pending.onSuccess(a -> returnedWhenAcknowledged.set(disk.forcesReturned()));

    release.countDown();
    assertThat(settled(pending).succeeded()).isTrue();
    assertThat(returnedWhenAcknowledged.get()).as("fsyncs returned when the 200 could go out").isEqualTo(returnedBefore + 1);
  }

  @Test
  void aFailedFsyncRefusesTheWebhookAndTheNextOneIsAcceptedInAFreshSegment() throws Exception {
    FaultyDisk disk = new FaultyDisk();
    Inbox inbox = open(disk, InboxJournal.DEFAULT_SEGMENT_BYTES);
    String before = accept(inbox, "demo", null, "{\"n\":1}").inboxId();
    disk.failNextForces(1);

    var refused = settled(acceptLater(inbox, "{\"n\":2}"));
    assertThat(refused.failed()).isTrue();
    assertThat(refused.cause()).isInstanceOf(IOException.class).hasMessageContaining("injected fsync failure");
    // Not acknowledged, so not kept either: a retry by the sender is a new webhook, not a duplicate.
    assertThat(inbox.counts().getInteger("pending")).isEqualTo(1);

    String after = accept(inbox, "demo", null, "{\"n\":3}").inboxId();
    String retried = accept(inbox, "demo", null, "{\"n\":2}").inboxId();
    close(inbox);

    inbox = open();
    var recovered = takeAll(inbox);
    assertThat(recovered.keySet()).containsExactlyInAnyOrder(before, after, retried);
    assertThat(inbox.counts().getJsonObject("journal").getInteger("corruptFrames")).isZero();
  }

  private Path onlySegment() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> segs = files.filter(p -> p.getFileName().toString().startsWith("seg-")).sorted().toList();
      assertThat(segs).hasSize(1);
      return segs.get(0);
    }
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "byte flipped in the {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"body", "length"})
  void aDamagedRecordInTheMiddleIsSkippedAndReportedAndEveryOtherWebhookKept(String where) throws Exception {
    Inbox inbox = open();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 512; i++) ids.add(accept(inbox, "demo", null, "{\"profile\":" + i + ",\"pad\":\"" + "y".repeat(i % 50) + "\"}").inboxId());
    close(inbox);
    Path seg = onlySegment();
    List<Integer> offsets = JournalFiles.recordBounds(seg);
    assertThat(offsets).hasSize(513);
    int at = offsets.get(256);
    int length = offsets.get(257) - at;
    JournalFiles.flipByte(seg, where.equals("body") ? at + length - 3 : at + 2);

    // No retention: once delivered, an entry's segment is due for deletion, unless it is damaged.
    inbox = open(Duration.ZERO, InboxJournal.DEFAULT_SEGMENT_BYTES);
    JsonObject counts = inbox.counts();
    assertThat(counts.getInteger("pending")).isEqualTo(511);
    JsonObject journal = counts.getJsonObject("journal");
    assertThat(journal.getInteger("corruptFrames")).isEqualTo(1);
    assertThat(journal.getLong("corruptBytes")).isEqualTo(length);
    assertThat(journal.getJsonArray("damagedSegments").getList()).containsExactly(1L);
    var recovered = takeAll(inbox);
    List<String> expected = new ArrayList<>(ids);
    expected.remove(256);
    assertThat(recovered.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(recovered.get(ids.get(511)).full().body().toString()).startsWith("{\"profile\":511,");

    // Compaction (it also runs at start-up) never deletes the damaged segment, even once all is delivered.
    Inbox reopened = inbox;
    recovered.values().forEach(s -> reopened.markDelivered(s, new JsonObject()));
    long sizeBefore = Files.size(seg);
    reopened.compact().get(10, TimeUnit.SECONDS);
    assertThat(reopened.counts().getInteger("delivered")).as("delivered entries forgotten").isZero();
    assertThat(seg).exists();
    assertThat(Files.size(seg)).isEqualTo(sizeBefore);
  }

  @Test
  void aRepeatIsAcknowledgedOnlyOnceTheFirstCopyIsDurable() throws Exception {
    // Two copies of one large webhook at the same moment: the repeat must not be answered while the
    // first copy is still on its way to the disk (a failed write would then lose an acknowledged webhook).
    Inbox inbox = open();
    String pad = "x".repeat(4 * 1024 * 1024);
    for (int round = 0; round < 10; round++) {
      Buffer body = Buffer.buffer("{\"round\":" + round + ",\"pad\":\"" + pad + "\"}");
      CountDownLatch go = new CountDownLatch(1);
      List<CompletableFuture<String>> seen = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        seen.add(CompletableFuture.supplyAsync(() -> {
          try {
            if (!go.await(30, TimeUnit.SECONDS)) throw new AssertionError("not released within 30 s");
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          var f = inbox.accept("demo", "lh-profiles", new JsonObject(), null, body, Instant.now());
          CompletableFuture<String> state = new CompletableFuture<>();
          // What the inbox knows of the entry at the very moment this copy is acknowledged.
          f.onComplete(ar -> {
            if (ar.failed()) state.completeExceptionally(ar.cause());
            else {
              // outcome() answers at once only for an entry it does not know; a known pending one waits.
              var o = inbox.outcome(ar.result().inboxId());
              state.complete(o.isComplete() ? o.result().getString("status") : "pending");
            }
          });
          return state;
        }).thenCompose(x -> x));
      }
      go.countDown();
      for (CompletableFuture<String> s : seen) {
        assertThat(s.get(20, TimeUnit.SECONDS)).as("round " + round).isEqualTo("pending");
      }
    }
  }
}
