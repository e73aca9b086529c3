package pbwebhook.execlog;

import java.time.Instant;
import java.util.List;

/**
 * What one run did for one client, as written to its Execution Log. {@code postsScored}/{@code postsTotal} are
 * null for lead runs; post runs give 0/0 leads and their post counts.
 */
public record LogEntry(Instant startedAt, String status, int successful, int total, long durationSeconds,
                       long tokensUsed, List<String> errors, Integer postsScored, Integer postsTotal) {

  public LogEntry {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  public boolean postRun() {
    return postsScored != null || postsTotal != null;
  }
}
