package pbwebhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** HTTP/1.1 over a plain socket, for what an HTTP client will not send: any Host, a body that never ends. */
public final class RawHttp {

  private RawHttp() {}

  public static Socket open(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    s.setSoTimeout(10_000);
    return s;
  }

  public static void write(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    s.getOutputStream().flush();
  }

  /** Sends a whole request (with {@code Connection: close}) and returns the whole response. */
  public static String exchange(int port, String method, String path, String host, String extraHeaders, String body)
      throws IOException {
    try (Socket s = open(port)) {
      byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
      write(s, method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n" + extraHeaders
          + (b.length > 0 || !method.equals("GET") ? "Content-Length: " + b.length + "\r\n" : "") + "\r\n");
      s.getOutputStream().write(b);
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  public static int status(String response) {
    return Integer.parseInt(response.substring(9, 12));
  }

  /** Reads up to the end of the response headers (or what came before the peer closed). */
  public static String readHead(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    while (matched < 4) {
      int c = in.read();
      if (c < 0) break;
      out.write(c);
      matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Whether the peer closed the connection within {@code timeoutMs} (end of stream or reset). */
  public static boolean closedByPeer(Socket s, int timeoutMs) throws IOException {
    s.setSoTimeout(timeoutMs);
    try {
      InputStream in = s.getInputStream();
      byte[] buf = new byte[8192];
      while (true) {
        if (in.read(buf) < 0) return true;
      }
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
