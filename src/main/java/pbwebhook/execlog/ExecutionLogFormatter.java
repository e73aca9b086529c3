package pbwebhook.execlog;


import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import pbwebhook.runs.RunProgress;

/** The Execution Log entry text of system.md §6.3, and newest-first prepending with trimming. */
public final class ExecutionLogFormatter {

  static final String ENTRY_MARKER = "=== EXECUTION:";
  private static final String SEPARATOR = "\n\n";
  /**
   * Error lines written per entry: a run names every failed lead in its errors (all of them in the run's
   * record), and a failed chunk must not push older entries out of the log.
   */
  static final int MAX_ERROR_LINES = 20;
  /** Like JavaScript's toISOString: always three millisecond digits, UTC with Z. */
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private ExecutionLogFormatter() {}

  public static String format(LogEntry e) {
    StringBuilder out = new StringBuilder()
        .append(ENTRY_MARKER).append(' ').append(ISO_MILLIS.format(e.startedAt())).append(" ===\n")
        .append("STATUS: ").append(e.status()).append('\n')
        .append("LEADS PROCESSED: ").append(e.successful()).append('/').append(e.total()).append(" successful\n");
    if (e.postRun()) {
      out.append("POST SCORING: ").append(nz(e.postsScored())).append('/').append(nz(e.postsTotal()))
          .append(" successful\n");
    }
    out.append("DURATION: ").append(e.durationSeconds()).append(nothingProcessed(e) ? " seconds" : "s").append('\n')
        .append("TOKENS USED: ").append(e.tokensUsed());
    // An addition to the old format, only when there is something to say: the split and the estimated cost.
    if (e.tokens() != null && e.tokens().total() > 0) {
      out.append("\nTOKENS: prompt ").append(e.tokens().prompt()).append(", output ").append(e.tokens().output())
          .append(", thinking ").append(e.tokens().thinking());
    }
    if (e.costUsd() != null && e.costUsd() > 0) {
      out.append("\nESTIMATED COST: $").append(String.format(java.util.Locale.ROOT, "%.4f", e.costUsd()));
    }
    if (!e.errors().isEmpty()) {
      out.append("\n\nERRORS:");
      e.errors().stream().limit(MAX_ERROR_LINES).forEach(msg -> out.append("\n- ").append(msg));
      int more = e.errors().size() - MAX_ERROR_LINES;
      if (more > 0) out.append("\n- … and ").append(more).append(more == 1 ? " more error" : " more errors");
    }
    return out.toString();
  }

  /** The old server wrote "<n> seconds" only for the entry of a client that had nothing to do. */
  private static boolean nothingProcessed(LogEntry e) {
    return e.total() == 0 && nz(e.postsTotal()) == 0;
  }

  /**
   * Puts {@code entry} in front of the existing log and drops whole oldest entries until the text fits in
   * {@code maxChars} (Airtable's long-text limit); a newest entry that alone is too long is cut.
   */
  public static String prepend(String entry, String existingLog, int maxChars) {
    if (existingLog == null || existingLog.isBlank()) return entry.length() > maxChars ? cut(entry, maxChars) : entry;
    String log = entry + SEPARATOR + existingLog;
    List<Integer> starts = chunkStarts(existingLog, entry.length() + SEPARATOR.length());
    int last = starts.size() - 1;
    while (log.length() > maxChars && last > 0) {
      log = stripTrailingBreaks(log.substring(0, starts.get(last)));
      last--;
    }
    return log.length() > maxChars ? cut(log, maxChars) : log;
  }

  /**
   * The STATUS word of an entry for a run status ({@code completed}, {@code completed_with_errors}, anything
   * else is failed). Lead runs keep the old words; post runs keep their own (system.md §6.3).
   */
  public static String statusWord(boolean postRun, String runStatus) {
    return switch (runStatus) {
      case RunProgress.COMPLETED -> postRun ? "success" : "Completed successfully";
      case RunProgress.COMPLETED_WITH_ERRORS -> postRun ? "completed_with_errors" : "Completed with errors";
      default -> postRun ? "failed" : "Failed";
    };
  }

  /**
   * Offsets (in the combined text) of the droppable chunks: the new entry, the start of the old log (so text
   * written by hand before any marker is dropped as a whole too), and each old entry's marker at a line start.
   */
  private static List<Integer> chunkStarts(String existingLog, int offset) {
    List<Integer> starts = new ArrayList<>(List.of(0, offset));
    int from = 0;
    while (true) {
      int i = existingLog.indexOf(ENTRY_MARKER, from);
      if (i < 0) return starts;
      if (i > 0 && existingLog.charAt(i - 1) == '\n') starts.add(offset + i);
      from = i + ENTRY_MARKER.length();
    }
  }

  private static String stripTrailingBreaks(String s) {
    int end = s.length();
    while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) end--;
    return s.substring(0, end);
  }

  private static String cut(String s, int maxChars) {
    if (maxChars <= 0) return "";
    int end = maxChars;
    if (Character.isHighSurrogate(s.charAt(end - 1))) end--;
    return s.substring(0, end);
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }
}
