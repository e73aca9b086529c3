package pbwebhook;

import java.io.PrintStream;

/**
 * One log record, one line. The logger (slf4j-simple) prints each record, and each line of a stack trace,
 * with one {@code println} on standard error; values in records come from webhooks and callers (profile
 * URLs, names, error messages quoting them), so a newline in one could forge a whole log line. Standard
 * error is wrapped so that every control character inside a printed line is escaped ({@code \n},
 * {@code \r}, {@code \t}, else a backslash, {@code u} and the four hex digits of the character), whatever logged it.
 */
public final class LogLines {

  private LogLines() {}

  /** Wraps the current standard error, once. */
  public static synchronized void install() {
    if (!(System.err instanceof EscapingStream)) System.setErr(new EscapingStream(System.err));
  }

  /** {@code s} with its control characters (C0, DEL, C1, and the Unicode line and paragraph separators) escaped. */
  public static String escape(String s) {
    if (s == null) return null;
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
      if (!control) {
        if (out != null) out.append(c);
        continue;
      }
      if (out == null) out = new StringBuilder(s.length() + 16).append(s, 0, i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out == null ? s : out.toString();
  }

  private static final class EscapingStream extends PrintStream {
    EscapingStream(PrintStream target) {
      super(target, true);
    }

    @Override
    public void println(String line) {
      super.println(escape(line));
    }

    @Override
    public void println(Object line) {
      super.println(escape(String.valueOf(line)));
    }
  }
}
