package pbwebhook.fakes;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import pbwebhook.inbox.JournalDisk;

/**
 * The real file system under the inbox journal, with faults on demand: the next n segment creations or
 * data fsyncs fail, or data fsyncs are held until released (a slow disk). Directory and seal fsyncs
 * (with metadata) pass through.
 */
public final class FaultyDisk implements JournalDisk {

  private final AtomicInteger failCreates = new AtomicInteger();
  private final AtomicInteger failForces = new AtomicInteger();
  private final AtomicLong forcesReturned = new AtomicLong();
  private volatile CountDownLatch hold;
  private volatile CountDownLatch entered = new CountDownLatch(1);

  public void failNextCreates(int n) { failCreates.set(n); }

  public void failNextForces(int n) { failForces.set(n); }

  /** Holds every data fsync from now on until the returned latch is counted down (at most 30 s). */
  public CountDownLatch holdForces() {
    entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    hold = release;
    return release;
  }

  /** Waits until a held fsync has started. */
  public boolean awaitForceHeld(long timeout, TimeUnit unit) throws InterruptedException {
    return entered.await(timeout, unit);
  }

  /** Data fsyncs that returned successfully so far. */
  public long forcesReturned() { return forcesReturned.get(); }

  @Override
  public FileChannel create(Path file) throws IOException {
    if (failCreates.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw new IOException("No space left on device (injected)");
    return JournalDisk.SYSTEM.create(file);
  }

  @Override
  public void force(FileChannel channel, boolean metadata) throws IOException {
    if (metadata) {
      JournalDisk.SYSTEM.force(channel, true);
      return;
    }
    CountDownLatch release = hold;
    if (release != null) {
      entered.countDown();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (failForces.getAndUpdate(n -> Math.max(0, n - 1)) > 0) throw new IOException("Input/output error (injected fsync failure)");
    JournalDisk.SYSTEM.force(channel, false);
    forcesReturned.incrementAndGet();
  }
}
