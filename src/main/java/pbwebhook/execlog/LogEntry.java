package pbwebhook.execlog;

import java.time.Instant;
import java.util.List;
import pbwebhook.ai.TokenUsage;

/**
 * What one run did for one client, as written to its Execution Log. {@code postsScored}/{@code postsTotal} are
 * null for lead runs; post runs give 0/0 leads and their post counts. {@code tokens} (the split of
 * {@code tokensUsed}) and {@code costUsd} are optional: when given they add a line after TOKENS USED.
 */
public record LogEntry(Instant startedAt, String status, int successful, int total, long durationSeconds,
                       long tokensUsed, List<String> errors, Integer postsScored, Integer postsTotal,
                       TokenUsage tokens, Double costUsd) {

  public LogEntry {
    errors = errors == null ? List.of() : List.copyOf(errors);
  }

  /** The old entry: no token split, no cost. */
  public LogEntry(Instant startedAt, String status, int successful, int total, long durationSeconds,
                  long tokensUsed, List<String> errors, Integer postsScored, Integer postsTotal) {
    this(startedAt, status, successful, total, durationSeconds, tokensUsed, errors, postsScored, postsTotal, null, null);
  }

  public boolean postRun() {
    return postsScored != null || postsTotal != null;
  }
}
