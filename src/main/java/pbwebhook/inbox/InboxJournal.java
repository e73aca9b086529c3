package pbwebhook.inbox;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
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
    this.dir = dir;
    this.fsync = fsync;
    this.segmentMaxBytes = segmentMaxBytes;
  }

  Path dir() { return dir; }

  boolean fsync() { return fsync; }

  /** Reads every segment in order. A torn tail of the last segment (a crash mid-write) is cut off. */
  List<Located> recover() throws IOException {
    Files.createDirectories(dir);
    List<Long> segments = segments();
    List<Located> out = new ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      long seg = segments.get(i);
      Path file = file(seg);
      long good = readSegment(file, seg, out);
      long size = Files.size(file);
      if (good < size) {
        if (i == segments.size() - 1) {
          if (!zerosFrom(file, good)) {
            log.warn("inbox: {} ends with {} bytes of an unfinished write (never acknowledged); cut off",
                file.getFileName(), size - good);
          }
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(good);
            ch.force(true);
          }
        } else {
          log.error("inbox: {} is corrupt after byte {}; the rest of that segment is skipped", file.getFileName(), good);
        }
      }
    }
    activeSegment = segments.isEmpty() ? 0 : segments.get(segments.size() - 1);
    return out;
  }

  /** True when the file holds only zeros (preallocated, never written) from {@code offset} on. */
  private static boolean zerosFrom(Path file, long offset) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      in.skipNBytes(offset);
      for (int b; (b = in.read()) != -1; ) if (b != 0) return false;
      return true;
    }
  }

  /** Returns the offset after the last good record (a zero length is the preallocated, unwritten tail). */
  private static long readSegment(Path file, long seg, List<Located> out) throws IOException {
    long pos = 0;
    try (InputStream raw = Files.newInputStream(file);
         DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      while (true) {
        int len;
        int crc;
        try {
          len = in.readInt();
          crc = in.readInt();
        } catch (EOFException e) {
          return pos;
        }
        if (len <= 0 || len > JournalRecord.MAX_PAYLOAD) return pos;
        byte[] payload = new byte[len];
        try {
          in.readFully(payload);
        } catch (EOFException e) {
          return pos;
        }
        if (!JournalRecord.checksumMatches(payload, crc)) return pos;
        try {
          out.add(new Located(JournalRecord.decode(payload), seg));
        } catch (RuntimeException e) {
          return pos;
        }
        pos += JournalRecord.HEADER_BYTES + len;
      }
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

  /** Writes the batch and fsyncs once: the group commit. */
  private void flush(List<Append> appends) {
    if (appends.isEmpty()) return;
    long[] landed = new long[appends.size()];
    try {
      for (int i = 0; i < appends.size(); i++) {
        byte[] bytes = appends.get(i).bytes();
        if (activeSize > 0 && activeSize + bytes.length > segmentMaxBytes) rotate();
        writeAtEnd(bytes);
        landed[i] = activeSegment;
      }
      if (fsync) {
        active.force(false);
        syncs++;
      }
      writes += appends.size();
      for (int i = 0; i < appends.size(); i++) appends.get(i).done().complete(landed[i]);
    } catch (IOException | RuntimeException e) {
      log.error("inbox: write failed: {}", e.getMessage());
      for (Append a : appends) a.done().completeExceptionally(new IOException("inbox write failed: " + e.getMessage(), e));
    }
    appends.clear();
  }

  /** Writes records and fsyncs them now; only for work already running on the writer thread. */
  long writeNow(List<byte[]> records) throws IOException {
    for (byte[] bytes : records) {
      if (activeSize > 0 && activeSize + bytes.length > segmentMaxBytes) rotate();
      writeAtEnd(bytes);
    }
    active.force(false);
    return activeSegment;
  }

  /** Segments before the active one: closed, and candidates for compaction. */
  List<Long> sealedSegments() throws IOException {
    return segments().stream().filter(s -> s < activeSegment).toList();
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

  private void rotate() throws IOException {
    sealActive();
    openSegment(activeSegment + 1);
  }

  /** A sealed segment ends at its last record: the unused preallocated zeros are cut off. */
  private void sealActive() throws IOException {
    active.truncate(activeSize);
    active.force(true);
    active.close();
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

  private void openSegment(long seg) throws IOException {
    active = FileChannel.open(file(seg), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    activeSegment = seg;
    activeSegmentNo = seg;
    activeSize = 0;
    allocated = 0;
    // The new file's directory entry must be durable too, or a crash could lose the whole segment.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      log.debug("inbox: directory fsync not supported here: {}", e.getMessage());
    }
  }

  private void closeActive() {
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
