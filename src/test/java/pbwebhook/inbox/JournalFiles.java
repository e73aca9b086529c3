package pbwebhook.inbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Test access to journal segment files: where their records start, and damaging one byte. */
public final class JournalFiles {

  private JournalFiles() {}

  /** Offsets of the records of a segment file, read through the framing, plus the end of the last one. */
  public static List<Integer> recordBounds(Path segment) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
    List<Integer> out = new ArrayList<>();
    while (b.remaining() >= JournalRecord.HEADER_BYTES) {
      int len = b.getInt(b.position());
      if (len <= 0) break;
      out.add(b.position());
      b.position(b.position() + JournalRecord.HEADER_BYTES + len);
    }
    out.add(b.position());
    return out;
  }

  /** Flips one bit of the byte at {@code offset}, as a bad sector or a stray write would. */
  public static void flipByte(Path file, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      ch.read(one, offset);
      one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
      ch.write(one, offset);
    }
  }
}
