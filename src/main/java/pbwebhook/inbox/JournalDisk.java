package pbwebhook.inbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The two journal operations a disk can make slow or fail: creating a segment file and forcing written
 * bytes to stable storage. {@link #SYSTEM} is the real file system; tests inject a slow or failing one to
 * prove that nothing is acknowledged before its force completes and that a failed one is refused.
 */
public interface JournalDisk {

  /** Creates a new, empty segment file for writing; fails if the file exists. */
  FileChannel create(Path file) throws IOException;

  /** {@link FileChannel#force}: returns once the channel's written bytes are on stable storage. */
  void force(FileChannel channel, boolean metadata) throws IOException;

  JournalDisk SYSTEM = new JournalDisk() {
    @Override
    public FileChannel create(Path file) throws IOException {
      return FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public void force(FileChannel channel, boolean metadata) throws IOException {
      channel.force(metadata);
    }
  };
}
