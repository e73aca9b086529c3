package pbwebhook.inbox;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable webhook inbox. {@link #accept} appends the raw webhook to the journal and completes only
 * once it is on disk, so a 2xx is never sent for something a crash could lose. Each entry stays pending
 * until its client's worker acknowledges the store write ({@link InboxDelivery}); delivered and dead
 * states are journaled too, so a restart resumes exactly where the last run stopped.
 *
 * <p>Thread-safe: HTTP event loops accept, the delivery verticle marks outcomes, the journal's writer
 * thread compacts. Every lock section is a few map operations; disk I/O never happens under the lock or
 * on an event loop.
 */
public final class Inbox {

  private static final Logger log = LoggerFactory.getLogger(Inbox.class);

  public enum Status { PENDING, DELIVERED, DEAD }

  /** The answer to an accepted webhook: its inbox id, and whether it repeated one already accepted. */
  public record Acceptance(String inboxId, boolean duplicate) {}

  public enum ReplayResult { REPLAYED, NOT_FOUND, NOT_DEAD }

  /** Where and how the journal is kept; {@code disk} is the real file system except in tests. */
  public record Settings(Path dir, boolean fsync, Duration retention, long segmentBytes, JournalDisk disk) {
    public Settings(Path dir, boolean fsync, Duration retention, long segmentBytes) {
      this(dir, fsync, retention, segmentBytes, JournalDisk.SYSTEM);
    }

    public static Settings of(Path dataDir, boolean fsync, int retentionHours) {
      return new Settings(dataDir.resolve("inbox"), fsync, Duration.ofHours(retentionHours), InboxJournal.DEFAULT_SEGMENT_BYTES);
    }

    public Settings withDisk(JournalDisk other) {
      return new Settings(dir, fsync, retention, segmentBytes, other);
    }
  }

  /** What the inbox knows of one entry. Mutable, guarded by the inbox's lock. */
  static final class State {
    final InboxEntry entry;
    final String dedupKey;
    Buffer body;
    Status status = Status.PENDING;
    /** Attempts since the last progress (an acknowledged slice counts as progress). */
    int attempts;
    long nextAttemptAt;
    boolean inFlight;
    String lastError;
    String deadReason;
    Instant finishedAt;
    JsonObject reply;
    /** The segment holding the entry record, and the one holding its latest state record (or -1). */
    long segment = -1;
    long stateSegment = -1;
    /** Delivery progress of a body delivered in slices (kept across retries, not across restarts). */
    int slicesDone;
    JsonObject sliceReplies;
    /** Replays so far: a replay is a new delivery, never answered from an earlier one's replies. */
    int round;
    /** Consecutive attempts that found the entry's client gone from the Clients table. */
    int clientMissing;
    CompletableFuture<Long> durable;
    List<Runnable> watchers;

    final int bytes;

    State(InboxEntry entry, String dedupKey) {
      // The body lives in one place only, so dropping it after delivery really frees it.
      this.entry = new InboxEntry(entry.id(), entry.clientId(), entry.kind(), entry.receivedAt(), entry.headers(),
          entry.idempotencyKey(), entry.bodyHash(), null);
      this.dedupKey = dedupKey;
      this.body = entry.body();
      this.bytes = entry.body() == null ? 0 : entry.body().length();
    }

    /** The entry with its body (null once delivered). */
    InboxEntry full() {
      return new InboxEntry(entry.id(), entry.clientId(), entry.kind(), entry.receivedAt(), entry.headers(),
          entry.idempotencyKey(), entry.bodyHash(), body);
    }

    String id() { return entry.id(); }

    String clientId() { return entry.clientId(); }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final InboxJournal journal;
  private final Settings settings;
  private final Map<String, State> byId = new HashMap<>();
  /** Pending and dead entries by id, which sorts by receipt time: oldest first, without a scan. */
  private final TreeMap<String, State> pending = new TreeMap<>();
  private final TreeMap<String, State> dead = new TreeMap<>();
  /** Delivered entries, the one to expire first at the head. */
  private final PriorityQueue<State> deliveredByAge =
      new PriorityQueue<>(Comparator.comparing((State x) -> x.entry.receivedAt()));
  /** Per client: pending, delivered, dead. Kept current at every change, so counting is not a scan. */
  private final Map<String, int[]> perClient = new TreeMap<>();
  /** The entries whose entry record or latest state record lives in a segment: what compaction must look at. */
  private final Map<Long, Set<State>> bySegment = new HashMap<>();
  private final Map<String, State> byDedupKey = new HashMap<>();
  private final Map<String, Integer> inFlightByClient = new HashMap<>();
  /** What pending entries hold, per client and in all: {entries, bytes}. Kept as they come and go, never counted. */
  private final Map<String, long[]> backlogByClient = new HashMap<>();
  private final long[] backlogTotal = new long[2];
  /** Pending entries ready to send, per client, oldest first; and those waiting for a retry time. */
  private final Map<String, ArrayDeque<State>> ready = new LinkedHashMap<>();
  private final PriorityQueue<State> waiting = new PriorityQueue<>(Comparator.comparingLong((State x) -> x.nextAttemptAt));
  private volatile boolean accepting = true;
  private volatile Runnable arrivals = () -> {};

  private Inbox(InboxJournal journal, Settings settings) {
    this.journal = journal;
    this.settings = settings;
  }

  /** Recovers the journal (blocking: call it off the event loop) and starts the writer thread. */
  public static Inbox open(Settings settings) throws IOException {
    InboxJournal journal = new InboxJournal(settings.dir(), settings.fsync(), settings.segmentBytes(), settings.disk());
    Inbox inbox = new Inbox(journal, settings);
    List<InboxJournal.Located> records = journal.recover();
    synchronized (inbox) {
      records.forEach(inbox::apply);
      inbox.pruneExpired(Instant.now(), Integer.MAX_VALUE);
      inbox.pending.values().forEach(inbox::enqueue);
    }
    journal.start();
    JsonObject c = inbox.counts();
    log.info("inbox: {} ({} pending, {} delivered, {} dead; fsync {})", settings.dir(), c.getInteger("pending"),
        c.getInteger("delivered"), c.getInteger("dead"), settings.fsync() ? "on" : "OFF");
    return inbox;
  }

  private void apply(InboxJournal.Located l) {
    if (l.record() instanceof JournalRecord.Entry e) {
      InboxEntry entry = e.entry();
      // A later copy (compaction carries live entries forward) replaces the earlier one, with its state.
      State earlier = byId.get(entry.id());
      if (earlier != null) forget(earlier);
      State s = new State(entry, dedupKey(entry.clientId(), entry.kind(), entry.idempotencyKey(), entry.bodyHash()));
      s.segment = l.segment();
      track(s);
      byDedupKey.put(s.dedupKey, s);
      return;
    }
    JournalRecord.StateChange c = (JournalRecord.StateChange) l.record();
    State s = byId.get(c.id());
    if (s == null) return;
    moveStateRecord(s, l.segment());
    switch (c.type()) {
      case JournalRecord.DELIVERED -> {
        s.body = null;
        s.finishedAt = c.at();
        setStatus(s, Status.DELIVERED);
      }
      case JournalRecord.DEAD -> {
        s.deadReason = c.reason();
        s.finishedAt = c.at();
        setStatus(s, Status.DEAD);
      }
      default -> {
        s.deadReason = null;
        setStatus(s, Status.PENDING);
      }
    }
  }

  // ---- bookkeeping: every change of an entry's status or segment goes through these (under the lock) ----

  /** Starts counting and indexing an entry (pending, as it arrives). */
  private void track(State s) {
    byId.put(s.id(), s);
    counters(s)[0]++;
    addPending(s);
    index(s);
  }

  /** Stops knowing an entry: expired, or replaced by a later copy at recovery. */
  private void forget(State s) {
    byId.remove(s.id(), s);
    byDedupKey.remove(s.dedupKey, s);
    counters(s)[s.status.ordinal()]--;
    if (s.status == Status.DELIVERED && deliveredByAge.peek() == s) deliveredByAge.poll();
    else if (s.status == Status.DELIVERED) deliveredByAge.remove(s);
    if (pending.remove(s.id(), s)) countBacklog(s, -1);
    dead.remove(s.id(), s);
    unindex(s);
  }

  private void setStatus(State s, Status to) {
    if (s.status == to) return;
    int[] c = counters(s);
    c[s.status.ordinal()]--;
    c[to.ordinal()]++;
    switch (s.status) {
      case PENDING -> removePending(s);
      case DEAD -> dead.remove(s.id(), s);
      case DELIVERED -> deliveredByAge.remove(s);
    }
    s.status = to;
    switch (to) {
      case PENDING -> addPending(s);
      case DEAD -> dead.put(s.id(), s);
      case DELIVERED -> deliveredByAge.add(s);
    }
  }

  private int[] counters(State s) {
    return perClient.computeIfAbsent(s.clientId(), k -> new int[Status.values().length]);
  }

  private void moveStateRecord(State s, long seg) {
    unindex(s);
    s.stateSegment = seg;
    index(s);
  }

  private void index(State s) {
    if (s.segment >= 0) bySegment.computeIfAbsent(s.segment, k -> new HashSet<>()).add(s);
    if (s.stateSegment >= 0) bySegment.computeIfAbsent(s.stateSegment, k -> new HashSet<>()).add(s);
  }

  private void unindex(State s) {
    for (long seg : new long[] {s.segment, s.stateSegment}) {
      Set<State> in = bySegment.get(seg);
      if (in != null && in.remove(s) && in.isEmpty()) bySegment.remove(seg);
    }
  }

  /** Called (from any thread) whenever an entry becomes ready for delivery. */
  public void onArrival(Runnable listener) {
    this.arrivals = listener;
  }

  public boolean accepting() {
    return accepting;
  }

  /** Refuses new webhooks from now on (shutdown); entries already accepted stay journaled. */
  public void stopAccepting() {
    accepting = false;
  }

  public boolean fsync() {
    return settings.fsync();
  }

  /**
   * Makes one webhook durable. A repeat (same idempotency key, or with none the same body, for the same
   * client and kind within the retention period) is not written again: it answers the first one's id
   * once that one is durable. Completes on the caller's context.
   */
  public Future<Acceptance> accept(String clientId, String kind, JsonObject headers, String idempotencyKey, Buffer body,
                                   Instant receivedAt) {
    if (!accepting) return Future.failedFuture(new InboxClosedException());
    String hash = sha256(body);
    String dedup = dedupKey(clientId, kind, idempotencyKey, hash);
    InboxEntry entry = new InboxEntry(newId(receivedAt), clientId, kind, receivedAt, headers, idempotencyKey, hash, body);
    State s;
    // Set before the entry is visible to a repeat, so a repeat waits for this copy to be on disk.
    CompletableFuture<Long> durable = new CompletableFuture<>();
    synchronized (this) {
      State earlier = byDedupKey.get(dedup);
      if (earlier != null && !expired(earlier, receivedAt)) {
        CompletableFuture<Long> first = earlier.durable != null ? earlier.durable : CompletableFuture.completedFuture(earlier.segment);
        return onCallerContext(first).map(seg -> new Acceptance(earlier.id(), true));
      }
      s = new State(entry, dedup);
      s.durable = durable;
      byDedupKey.put(dedup, s);
    }
    // The entry is queued for delivery before anyone (the sender, a duplicate) hears it was accepted.
    journal.append(JournalRecord.encode(new JournalRecord.Entry(entry))).whenComplete((seg, err) -> {
      synchronized (this) {
        if (err == null) {
          s.segment = seg;
          track(s);
          enqueue(s);
        } else {
          byDedupKey.remove(dedup, s);
        }
      }
      if (err == null) {
        try {
          arrivals.run();
        } finally {
          durable.complete(seg);
        }
      } else {
        // The journal's own error (an IOException), unwrapped, so the sender gets 503 and Retry-After.
        durable.completeExceptionally(err);
      }
    });
    return onCallerContext(durable).map(seg -> new Acceptance(s.id(), false));
  }

  /**
   * Completes when the entry is delivered or dead (or at once if it already is), with {@code {status,
   * reply, reason}}; for senders that asked to wait. Completes on the caller's context.
   */
  public Future<JsonObject> outcome(String id) {
    CompletableFuture<JsonObject> done = new CompletableFuture<>();
    synchronized (this) {
      State s = byId.get(id);
      if (s == null) {
        done.complete(new JsonObject().put("status", "unknown"));
      } else if (s.status != Status.PENDING) {
        done.complete(outcomeJson(s));
      } else {
        if (s.watchers == null) s.watchers = new ArrayList<>();
        s.watchers.add(() -> done.complete(outcomeJson(s)));
      }
    }
    return onCallerContext(done);
  }

  private static JsonObject outcomeJson(State s) {
    // A dead entry has no reply: an empty one, so waiting callers can read it like any other.
    return new JsonObject().put("status", s.status.name().toLowerCase())
        .put("reply", s.reply == null ? new JsonObject() : s.reply).put("reason", s.deadReason);
  }

  // ---- delivery (InboxDelivery) ----

  private void enqueue(State s) {
    ready.computeIfAbsent(s.clientId(), k -> new ArrayDeque<>()).add(s);
  }

  /**
   * Pending entries whose time has come, oldest first per client, within the in-flight limits; marked in
   * flight. Costs what it takes, not the size of the backlog: a large backlog must not slow accepting.
   */
  synchronized List<State> takeDue(long nowMs, int maxPerClient, int maxTotal, int alreadyInFlight) {
    while (!waiting.isEmpty() && waiting.peek().nextAttemptAt <= nowMs) enqueue(waiting.poll());
    List<State> out = new ArrayList<>();
    int room = maxTotal - alreadyInFlight;
    for (var it = ready.entrySet().iterator(); it.hasNext() && out.size() < room; ) {
      var e = it.next();
      ArrayDeque<State> queue = e.getValue();
      int busy = inFlightByClient.getOrDefault(e.getKey(), 0);
      while (busy < maxPerClient && out.size() < room && !queue.isEmpty()) {
        State s = queue.poll();
        if (s.status != Status.PENDING || s.inFlight) continue;
        busy++;
        s.inFlight = true;
        s.attempts++;
        out.add(s);
      }
      if (busy > 0) inFlightByClient.put(e.getKey(), busy);
      if (queue.isEmpty()) it.remove();
    }
    return out;
  }

  /** The worker acknowledged the store write. */
  void markDelivered(State s, JsonObject reply) {
    List<Runnable> watchers;
    synchronized (this) {
      release(s);
      if (s.status != Status.PENDING) return;
      s.finishedAt = Instant.now();
      s.body = null;
      s.reply = reply;
      s.lastError = null;
      s.sliceReplies = null;
      setStatus(s, Status.DELIVERED);
      watchers = takeWatchers(s);
    }
    journalState(JournalRecord.DELIVERED, s, null);
    watchers.forEach(Runnable::run);
  }

  /** The data itself was refused: kept, with the reason, on the dead-letter list. */
  void markDead(State s, String reason) {
    List<Runnable> watchers;
    synchronized (this) {
      release(s);
      if (s.status != Status.PENDING) return;
      s.finishedAt = Instant.now();
      s.deadReason = reason;
      s.sliceReplies = null;
      setStatus(s, Status.DEAD);
      watchers = takeWatchers(s);
    }
    log.warn("inbox: {} for client {} ({}) dead-lettered: {}", s.id(), s.clientId(), s.entry.kind(), reason);
    journalState(JournalRecord.DEAD, s, reason);
    watchers.forEach(Runnable::run);
  }

  /** A transient failure: tried again at {@code retryAtMs}. */
  synchronized void markRetry(State s, String error, long retryAtMs) {
    release(s);
    s.lastError = error;
    s.nextAttemptAt = retryAtMs;
    if (s.status == Status.PENDING) waiting.add(s);
  }

  private void release(State s) {
    if (!s.inFlight) return;
    s.inFlight = false;
    inFlightByClient.merge(s.clientId(), -1, (a, b) -> a + b == 0 ? null : a + b);
  }

  private static List<Runnable> takeWatchers(State s) {
    List<Runnable> w = s.watchers == null ? List.of() : s.watchers;
    s.watchers = null;
    return w;
  }

  private CompletableFuture<Long> journalState(byte type, State s, String reason) {
    return journal.append(JournalRecord.encode(new JournalRecord.StateChange(type, s.id(), Instant.now(), reason)))
        .whenComplete((seg, err) -> {
          // Not fatal: the entry is simply delivered again after a restart, which the idempotent upsert absorbs.
          if (err != null) log.warn("inbox: state of {} not journaled: {}", s.id(), err.getMessage());
          else synchronized (this) {
            if (byId.get(s.id()) == s && seg > s.stateSegment) moveStateRecord(s, seg);
          }
        });
  }

  /** Puts a dead entry back in the delivery queue. */
  public Future<ReplayResult> replay(String id) {
    State s;
    synchronized (this) {
      s = byId.get(id);
      if (s == null) return Future.succeededFuture(ReplayResult.NOT_FOUND);
      if (s.status != Status.DEAD) return Future.succeededFuture(ReplayResult.NOT_DEAD);
      s.deadReason = null;
      s.attempts = 0;
      s.nextAttemptAt = 0;
      s.slicesDone = 0;
      s.round++;
      s.clientMissing = 0;
      setStatus(s, Status.PENDING);
      enqueue(s);
    }
    log.info("inbox: {} for client {} replayed", s.id(), s.clientId());
    CompletableFuture<Long> written = journalState(JournalRecord.REPLAYED, s, null);
    arrivals.run();
    return onCallerContext(written).map(seg -> ReplayResult.REPLAYED);
  }

  /** A pending entry counts its body and this much for its bookkeeping, so a flood of tiny bodies is counted too. */
  public static final int BACKLOG_BYTES_PER_ENTRY = 1024;

  /** Entries and bytes not yet delivered, for one client and for the whole inbox. */
  public record Backlog(long clientEntries, long clientBytes, long totalEntries, long totalBytes) {}

  public synchronized Backlog backlog(String clientId) {
    long[] c = backlogByClient.getOrDefault(clientId, new long[2]);
    return new Backlog(c[0], c[1], backlogTotal[0], backlogTotal[1]);
  }

  private void addPending(State s) {
    if (pending.put(s.id(), s) == null) countBacklog(s, 1);
  }

  private void removePending(State s) {
    if (pending.remove(s.id(), s)) countBacklog(s, -1);
  }

  private void countBacklog(State s, int sign) {
    long bytes = (long) sign * (s.bytes + BACKLOG_BYTES_PER_ENTRY);
    long[] c = backlogByClient.computeIfAbsent(s.clientId(), k -> new long[2]);
    c[0] += sign;
    c[1] += bytes;
    if (c[0] == 0) backlogByClient.remove(s.clientId());
    backlogTotal[0] += sign;
    backlogTotal[1] += bytes;
  }

  // ---- operators ----

  /**
   * {@code {pending, inFlight, delivered, dead, oldestPendingAt, clients:{id:{pending,delivered,dead}}, journal, ...}}.
   * Reads counters kept current at every change: the cost is the number of clients, never the backlog.
   */
  public JsonObject counts() {
    int p = 0, d = 0, x = 0, f = 0;
    JsonObject clients = new JsonObject();
    Instant oldest;
    synchronized (this) {
      for (var e : perClient.entrySet()) {
        int[] c = e.getValue();
        p += c[0];
        d += c[1];
        x += c[2];
        if (c[0] + c[1] + c[2] > 0) clients.put(e.getKey(), new JsonObject().put("pending", c[0]).put("delivered", c[1]).put("dead", c[2]));
      }
      for (int n : inFlightByClient.values()) f += n;
      oldest = pending.isEmpty() ? null : pending.firstEntry().getValue().entry.receivedAt();
    }
    List<InboxJournal.Damage> damage = journal.damage();
    return new JsonObject().put("pending", p).put("inFlight", f).put("delivered", d).put("dead", x)
        .put("oldestPendingAt", oldest == null ? null : oldest.toString()).put("clients", clients)
        .put("fsync", settings.fsync()).put("retentionHours", settings.retention().toHours())
        .put("accepting", accepting)
        .put("journal", new JsonObject().put("writes", journal.writes()).put("fsyncs", journal.syncs())
            .put("corruptFrames", damage.size()).put("corruptBytes", damage.stream().mapToLong(InboxJournal.Damage::bytes).sum())
            .put("damagedSegments", new JsonArray(damage.stream().map(InboxJournal.Damage::segment).distinct().toList())));
  }

  /** Dead entries, oldest first, optionally for one client. */
  public synchronized JsonArray dead(String clientId, int limit) {
    JsonArray out = new JsonArray();
    for (State s : dead.values()) {
      if (out.size() >= limit) break;
      if (clientId != null && !clientId.equals(s.clientId())) continue;
      out.add(describe(s).put("deadAt", s.finishedAt == null ? null : s.finishedAt.toString()).put("reason", s.deadReason));
    }
    return out;
  }

  /** Pending entries that failed at least once, oldest first: what an operator looks at during an outage. */
  public synchronized JsonArray retrying(int limit) {
    JsonArray out = new JsonArray();
    for (State s : pending.values()) {
      if (out.size() >= limit) break;
      if (s.lastError == null) continue;
      out.add(describe(s).put("lastError", s.lastError).put("nextAttemptAt", Instant.ofEpochMilli(s.nextAttemptAt).toString()));
    }
    return out;
  }

  private static JsonObject describe(State s) {
    return new JsonObject().put("inboxId", s.id()).put("clientId", s.clientId()).put("kind", s.entry.kind())
        .put("receivedAt", s.entry.receivedAt().toString()).put("attempts", s.attempts)
        .put("bytes", s.bytes);
  }

  // ---- retention and compaction ----

  /**
   * Forgets delivered entries older than the retention period and rewrites the journal without them: a
   * sealed segment is deleted once it holds no delivered entry still inside the retention period; the
   * pending and dead entries it still holds are first copied forward into the active segment.
   */
  public CompletableFuture<Void> compact() {
    return journal.onWriter(() -> {
      try {
        compactNow(Instant.now());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Entries a sealed segment still has to keep: copies of the live ones, taken under the lock. */
  private record Live(State state, InboxEntry entry, Status status, Instant finishedAt, String deadReason) {}

  /** Entries forgotten per lock hold, so expiring a large backlog never holds up accepts for long. */
  private static final int PRUNE_CHUNK = 1000;

  private void compactNow(Instant now) throws IOException {
    while (true) {
      synchronized (this) {
        if (pruneExpired(now, PRUNE_CHUNK) < PRUNE_CHUNK) break;
      }
    }
    for (long seg : journal.sealedSegments()) {
      List<Live> live = new ArrayList<>();
      // Only this segment's own entries are looked at under the lock; encoding and writing happen outside it.
      synchronized (this) {
        Set<State> members = bySegment.getOrDefault(seg, Set.of());
        if (members.stream().anyMatch(s -> s.status == Status.DELIVERED)) continue;
        for (State s : members) live.add(new Live(s, s.full(), s.status, s.finishedAt, s.deadReason));
      }
      List<byte[]> records = new ArrayList<>();
      for (Live l : live) {
        records.add(JournalRecord.encode(new JournalRecord.Entry(l.entry())));
        if (l.status() == Status.DEAD) {
          records.add(JournalRecord.encode(new JournalRecord.StateChange(JournalRecord.DEAD, l.entry().id(), l.finishedAt(), l.deadReason())));
        }
      }
      if (!records.isEmpty()) {
        long to = journal.writeNow(records);
        synchronized (this) {
          for (Live l : live) {
            State s = l.state();
            if (byId.get(s.id()) != s) continue;
            unindex(s);
            s.segment = to;
            // A state record written after the copy (it is queued behind this work) is still the latest.
            if (s.stateSegment <= seg) s.stateSegment = l.status() == Status.DEAD ? to : -1;
            index(s);
          }
        }
      }
      journal.deleteSegment(seg);
      log.info("inbox: segment {} compacted ({} live entries carried forward)", seg, live.size());
    }
  }

  /** Forgets up to {@code max} delivered entries past the retention period; returns how many. */
  private int pruneExpired(Instant now, int max) {
    int n = 0;
    while (n < max && !deliveredByAge.isEmpty() && expired(deliveredByAge.peek(), now)) {
      forget(deliveredByAge.peek());
      n++;
    }
    return n;
  }

  private boolean expired(State s, Instant now) {
    return s.status == Status.DELIVERED && s.entry.receivedAt().plus(settings.retention()).isBefore(now);
  }

  /** Flushes and closes the journal; later accepts fail. */
  public CompletableFuture<Void> close() {
    accepting = false;
    return journal.close();
  }

  public long diskBytes() {
    return journal.diskBytes();
  }

  // ---- helpers ----

  private static String dedupKey(String clientId, String kind, String idempotencyKey, String hash) {
    return clientId + '\u0000' + kind + '\u0000' + (idempotencyKey != null ? "k:" + idempotencyKey : "h:" + hash);
  }

  static String sha256(Buffer body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Time-ordered and unique across restarts: {@code ib_<ms base36>-<seq>-<random>}. */
  private static String newId(Instant at) {
    return "ib_" + Long.toString(at.toEpochMilli(), 36) + "-" + Long.toString(SEQUENCE.incrementAndGet(), 36) + "-"
        + Integer.toString(1296 + RANDOM.nextInt(46656 - 1296), 36);
  }

  /** Adapts a future completed on another thread back onto the calling Vert.x context. */
  static <T> Future<T> onCallerContext(CompletableFuture<T> cf) {
    Context ctx = Vertx.currentContext();
    Promise<T> p = Promise.promise();
    cf.whenComplete((v, e) -> {
      if (ctx == null) {
        if (e != null) p.fail(e); else p.complete(v);
      } else {
        ctx.runOnContext(x -> {
          if (e != null) p.fail(e); else p.complete(v);
        });
      }
    });
    return p.future();
  }
}
