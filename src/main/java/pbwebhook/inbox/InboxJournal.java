package pbwebhook.inbox;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox's append-only segment files ({@code seg-<n>.log} under DATA_DIR/inbox) and their one writer
 * thread. Appends queue up while the previous fsync runs and are then written and fsync'd together
 * (group commit), so a burst of concurrent webhooks shares one {@code FileChannel.force}. Nothing here
 * runs on an event loop: callers get a {@link CompletableFuture} that completes once their record is
 * durable.
 */
final class InboxJournal {

  private static final Logger log = LoggerFactory.getLogger(InboxJournal.class);
  private static final Pattern SEGMENT = Pattern.compile("seg-(\\d{12})\\.log");
  static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
  /**
   * The active segment is grown with real zeros this much at a time, so an fsync only has data to flush:
   * appending to a growing file would also commit the file system's journal on every fsync, which is
   * several times slower and queues behind every other writer on the disk.
   */
  static final int PREALLOCATE_BYTES = 4 * 1024 * 1024;
  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(PREALLOCATE_BYTES).asReadOnlyBuffer();

  /** A recovered record and the segment it was read from. */
  record Located(JournalRecord record, long segment) {}

  private sealed interface Op permits Append, Task, Stop {}
  private record Append(byte[] bytes, CompletableFuture<Long> done) implements Op {}
  private record Task(Runnable work, CompletableFuture<Void> done) implements Op {}
  private record Stop(CompletableFuture<Void> done) implements Op {}

  private final Path dir;
  private final boolean fsync;
  private final long segmentMaxBytes;
  private final JournalDisk disk;
  private final List<Damage> damage = new ArrayList<>();
  private final LinkedBlockingQueue<Op> queue = new LinkedBlockingQueue<>();
  private volatile boolean stopped;
  private volatile long writes;
  private volatile long syncs;
  private Thread writer;
  private FileChannel active;
  private long activeSegment;
  private volatile long activeSegmentNo;
  private volatile long activeSize;
  private long allocated;

  InboxJournal(Path dir, boolean fsync, long segmentMaxBytes) {
    this(dir, fsync, segmentMaxBytes, JournalDisk.SYSTEM);
  }

  InboxJournal(Path dir, boolean fsync, long segmentMaxBytes, JournalDisk disk) {
    this.dir = dir;
    this.fsync = fsync;
    this.segmentMaxBytes = segmentMaxBytes;
    this.disk = disk;
  }

  Path dir() { return dir; }

  boolean fsync() { return fsync; }

  /**
   * Reads every segment in order. A damaged stretch (a flipped bit, a record torn by the disk) with valid
   * records after it is skipped and reported ({@link #damage()}), never the records after it; only the
   * torn tail of the last segment (a crash mid-write, never acknowledged) is cut off.
   */
  List<Located> recover() throws IOException {
    Files.createDirectories(dir);
    List<Long> segments = segments();
    List<Located> out = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      long seg = segments.get(i);
      Path file = file(seg);
      long good = readSegment(file, seg, out);
      long size = Files.size(file);
      if (good >= size) continue;
      boolean unwritten = zerosFrom(file, good);
      if (i == segments.size() - 1) {
        if (!unwritten) {
          log.warn("inbox: {} ends with {} bytes of an unfinished write (never acknowledged); cut off",
              file.getFileName(), size - good);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
          ch.truncate(good);
          disk.force(ch, true);
        }
      } else if (!unwritten) {
        damage.add(new Damage(seg, good, size - good));
        log.error("inbox: {} ends with {} unreadable bytes after byte {}; kept on disk, the segment is never compacted",
            file.getFileName(), size - good, good);
      }
    }
    activeSegment = segments.isEmpty() ? 0 : segments.get(segments.size() - 1);
    return out;
  }

  /** An unreadable stretch of a segment that recovery skipped: where it starts and how long it is. */
  record Damage(long segment, long offset, long bytes) {}

  /** What recovery skipped; such segments stay on disk for an operator and are never compacted. */
  List<Damage> damage() {
    return List.copyOf(damage);
  }

  /** True when the file holds only zeros (preallocated, never written) from {@code offset} on. */
  private static boolean zerosFrom(Path file, long offset) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      in.skipNBytes(offset);
      for (int b; (b = in.read()) != -1; ) if (b != 0) return false;
      return true;
    }
  }

  /**
   * Reads every valid frame of a segment. A frame that fails its length, checksum or decoding is skipped
   * up to the next valid frame, found by trying each later offset; a stretch with no valid frame after it
   * is the segment's tail. Returns the offset after the last valid frame.
   */
  private long readSegment(Path file, long seg, List<Located> out) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) return 0;
      if (size > Integer.MAX_VALUE) throw new IOException(file.getFileName() + " is larger than any segment can be");
      ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
      int pos = 0;
      int goodEnd = 0;
      while (pos < size) {
        JournalRecord r = frameAt(buf, pos);
        if (r != null) {
          out.add(new Located(r, seg));
          pos += JournalRecord.HEADER_BYTES + buf.getInt(pos);
          goodEnd = pos;
          continue;
        }
        int next = pos + 1;
        while (next < size && frameAt(buf, next) == null) next++;
        if (next >= size) break;
        damage.add(new Damage(seg, pos, next - pos));
        log.error("inbox: {} bytes {}..{} of {} are unreadable (a damaged record); skipped, the records after them are kept",
            next - pos, pos, next, file.getFileName());
        pos = next;
      }
      return goodEnd;
    }
  }

  /** The record framed at {@code pos}, or null when the bytes there are not a whole, intact record. */
  private static JournalRecord frameAt(ByteBuffer buf, int pos) {
    int limit = buf.limit();
    if (pos + JournalRecord.HEADER_BYTES >= limit) return null;
    int len = buf.getInt(pos);
    if (len <= 0 || len > JournalRecord.MAX_PAYLOAD || len > limit - pos - JournalRecord.HEADER_BYTES) return null;
    if (!JournalRecord.knownType(buf.get(pos + JournalRecord.HEADER_BYTES))) return null;
    ByteBuffer payload = buf.duplicate().position(pos + JournalRecord.HEADER_BYTES).limit(pos + JournalRecord.HEADER_BYTES + len);
    CRC32C crc = new CRC32C();
    crc.update(payload.duplicate());
    if ((int) crc.getValue() != buf.getInt(pos + 4)) return null;
    byte[] bytes = new byte[len];
    payload.get(bytes);
    try {
      return JournalRecord.decode(bytes);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Opens a fresh segment after the recovered ones and starts the writer thread. */
  void start() throws IOException {
    openSegment(activeSegment + 1);
    writer = new Thread(this::loop, "inbox-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Completes with the segment number once the record is written (and fsync'd when INBOX_FSYNC is on). */
  CompletableFuture<Long> append(byte[] record) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    if (stopped) {
      done.completeExceptionally(new InboxClosedException());
      return done;
    }
    queue.add(new Append(record, done));
    return done;
  }

  /** Runs work on the writer thread after every earlier append is durable (compaction uses this). */
  CompletableFuture<Void> onWriter(Runnable work) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (stopped) {
      done.completeExceptionally(new InboxClosedException());
      return done;
    }
    queue.add(new Task(work, done));
    return done;
  }

  /** Flushes everything queued, fsyncs and closes; later appends fail. */
  CompletableFuture<Void> close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    if (writer == null) {
      done.complete(null);
      return done;
    }
    stopped = true;
    queue.add(new Stop(done));
    return done;
  }

  private void loop() {
    List<Op> batch = new ArrayList<>();
    List<Append> appends = new ArrayList<>();
    while (true) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        continue;
      }
      queue.drainTo(batch);
      Stop stop = null;
      for (Op op : batch) {
        if (op instanceof Append a) {
          appends.add(a);
        } else if (op instanceof Task t) {
          flush(appends);
          try {
            t.work().run();
            t.done().complete(null);
          } catch (RuntimeException e) {
            t.done().completeExceptionally(e);
          }
        } else if (op instanceof Stop s) {
          stop = s;
        }
      }
      flush(appends);
      batch.clear();
      if (stop != null) {
        closeActive();
        // Anything that slipped in after the stop flag is refused, never silently dropped.
        for (Op late; (late = queue.poll()) != null; ) {
          if (late instanceof Append a) a.done().completeExceptionally(new IllegalStateException("the inbox is closed"));
          if (late instanceof Task t) t.done().completeExceptionally(new IllegalStateException("the inbox is closed"));
        }
        stop.done().complete(null);
        return;
      }
    }
  }

  /**
   * Writes the batch and fsyncs once: the group commit. When a write, a rotation or the fsync fails, the
   * whole batch is refused (the senders get 503 and retry) and the segment is given up: the next batch
   * opens a fresh one, so one bad moment of the disk does not refuse every later webhook.
   */
  private void flush(List<Append> appends) {
    if (appends.isEmpty()) return;
    long[] landed = new long[appends.size()];
    long startSegment = -1;
    long startSize = 0;
    try {
      for (int i = 0; i < appends.size(); i++) {
        byte[] bytes = appends.get(i).bytes();
        makeRoomFor(bytes.length);
        if (i == 0) {
          startSegment = activeSegment;
          startSize = activeSize;
        }
        writeAtEnd(bytes);
        landed[i] = activeSegment;
      }
      if (fsync) {
        disk.force(active, false);
        syncs++;
      }
      writes += appends.size();
      for (int i = 0; i < appends.size(); i++) appends.get(i).done().complete(landed[i]);
    } catch (IOException | RuntimeException e) {
      log.error("inbox: write failed: {}", e.getMessage());
      // What this batch put in the active segment is cut off: nobody was told it is stored.
      giveUpActive(startSegment == activeSegment ? startSize : activeSize);
      for (Append a : appends) a.done().completeExceptionally(new IOException("inbox write failed: " + e.getMessage(), e));
    }
    appends.clear();
  }

  /** Writes records and fsyncs them now; only for work already running on the writer thread. */
  long writeNow(List<byte[]> records) throws IOException {
    try {
      for (byte[] bytes : records) {
        makeRoomFor(bytes.length);
        writeAtEnd(bytes);
      }
      disk.force(active, false);
      return activeSegment;
    } catch (IOException | RuntimeException e) {
      giveUpActive(activeSize);
      throw e;
    }
  }

  /** Opens a segment if the last one was given up, and rotates when the record would overflow the active one. */
  private void makeRoomFor(int bytes) throws IOException {
    if (active == null) {
      openSegment(activeSegment + 1);
    } else if (activeSize > 0 && activeSize + bytes > segmentMaxBytes) {
      sealActive();
      openSegment(activeSegment + 1);
    }
  }

  /**
   * Closed segments that compaction may rewrite: before the active one (or the one given up after a
   * failure), and never one that recovery found damaged.
   */
  List<Long> sealedSegments() throws IOException {
    long closedUpTo = active == null ? activeSegment : activeSegment - 1;
    List<Long> damaged = damage.stream().map(Damage::segment).toList();
    return segments().stream().filter(s -> s <= closedUpTo && !damaged.contains(s)).toList();
  }

  long activeSegment() { return activeSegment; }

  /** Records appended and fsyncs done since start: their ratio is the group-commit factor. */
  long writes() { return writes; }

  long syncs() { return syncs; }

  void deleteSegment(long seg) throws IOException {
    Files.deleteIfExists(file(seg));
  }

  /** Bytes of records on disk (the active segment's preallocated zeros not counted). */
  long diskBytes() {
    try {
      long active = activeSegmentNo;
      return segments().stream().filter(seg -> seg != active).mapToLong(seg -> file(seg).toFile().length()).sum() + activeSize;
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * A sealed segment ends at its last record: the unused preallocated zeros are cut off. The channel is
   * closed (and the segment given up) even when sealing fails; its records were fsync'd when written.
   */
  private void sealActive() throws IOException {
    FileChannel ch = active;
    active = null;
    try (ch) {
      ch.truncate(activeSize);
      disk.force(ch, true);
    }
  }

  /** After a failure: cuts the segment back to {@code keepBytes} (best effort) and closes it. */
  private void giveUpActive(long keepBytes) {
    if (active == null) return;
    try {
      activeSize = Math.min(activeSize, keepBytes);
      sealActive();
    } catch (IOException | RuntimeException e) {
      log.warn("inbox: giving up {} failed: {}", file(activeSegment).getFileName(), e.getMessage());
    } finally {
      active = null;
    }
  }

  private void writeAtEnd(byte[] bytes) throws IOException {
    while (activeSize + bytes.length > allocated) {
      ByteBuffer zeros = ZEROS.duplicate();
      long at = allocated;
      while (zeros.hasRemaining()) at += active.write(zeros, at);
      allocated = at;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    long at = activeSize;
    while (b.hasRemaining()) at += active.write(b, at);
    activeSize = at;
  }

  /**
   * Creates the next segment file: {@code seg}, or the first number after it whose file does not exist yet
   * (a file left behind by something else is never overwritten).
   */
  private void openSegment(long seg) throws IOException {
    while (Files.exists(file(seg))) seg++;
    active = disk.create(file(seg));
    activeSegment = seg;
    activeSegmentNo = seg;
    activeSize = 0;
    allocated = 0;
    // The new file's directory entry must be durable too, or a crash could lose the whole segment.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      disk.force(d, true);
    } catch (IOException e) {
      log.debug("inbox: directory fsync not supported here: {}", e.getMessage());
    }
  }

  private void closeActive() {
    if (active == null) return;
    try {
      sealActive();
    } catch (IOException e) {
      log.warn("inbox: closing {} failed: {}", file(activeSegment).getFileName(), e.getMessage());
    }
  }

  private List<Long> segments() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> SEGMENT.matcher(p.getFileName().toString())).filter(Matcher::matches)
          .map(m -> Long.parseLong(m.group(1))).sorted().toList();
    }
  }

  private Path file(long seg) {
    return dir.resolve(String.format("seg-%012d.log", seg));
  }
}
