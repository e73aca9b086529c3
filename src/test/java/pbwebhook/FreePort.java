package pbwebhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A free loopback port for a process that binds it later (a child server, a cluster member). Taken below the
 * system's ephemeral range: a port the kernel hands out for {@code bind(0)} is also the local end of outgoing
 * connections, so between picking it and the child binding it seconds later, a connection of another member could
 * take it ("Address already in use" at start-up). A port below that range is only taken by a listener.
 */
public final class FreePort {

  private static final int LOWEST = 10_000;

  private FreePort() {}

  public static int pick() {
    int below = ephemeralLow();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200 && below > LOWEST; attempt++) {
      int port = random.nextInt(LOWEST, below);
      try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The low end of the kernel's ephemeral port range (Linux), or 32768 where it cannot be read. */
  static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return 32_768;
    }
  }
}
