package pbwebhook.execlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ExecutionLogFormatterTest {

  private static final Instant SPEC_START = Instant.parse("2025-07-01T02:00:05.318Z");

  static List<Arguments> entries() {
    return List.of(
        Arguments.of("spec lead entry with errors",
            new LogEntry(SPEC_START, "Completed with errors", 52, 55, 212, 148230,
                List.of("Chunk error: <message>"), null, null),
            """
            === EXECUTION: 2025-07-01T02:00:05.318Z ===
            STATUS: Completed with errors
            LEADS PROCESSED: 52/55 successful
            DURATION: 212s
            TOKENS USED: 148230

            ERRORS:
            - Chunk error: <message>"""),
        Arguments.of("no errors: section left out, zero millis still printed",
            new LogEntry(Instant.parse("2025-07-02T02:00:00Z"), "Completed successfully", 10, 10, 31, 9000,
                List.of(), null, null),
            """
            === EXECUTION: 2025-07-02T02:00:00.000Z ===
            STATUS: Completed successfully
            LEADS PROCESSED: 10/10 successful
            DURATION: 31s
            TOKENS USED: 9000"""),
        Arguments.of("client with no leads: 0/0 and the 'seconds' form",
            new LogEntry(Instant.parse("2025-07-02T02:00:01.5Z"), "Completed successfully", 0, 0, 1, 0,
                null, null, null),
            """
            === EXECUTION: 2025-07-02T02:00:01.500Z ===
            STATUS: Completed successfully
            LEADS PROCESSED: 0/0 successful
            DURATION: 1 seconds
            TOKENS USED: 0"""),
        Arguments.of("fatal error, several messages, sub-millisecond time truncated",
            new LogEntry(Instant.parse("2025-07-03T02:00:07.123999Z"), "Failed", 0, 12, 3, 0,
                List.of("Fatal error: base not found", "Chunk error: timeout"), null, null),
            """
            === EXECUTION: 2025-07-03T02:00:07.123Z ===
            STATUS: Failed
            LEADS PROCESSED: 0/12 successful
            DURATION: 3s
            TOKENS USED: 0

            ERRORS:
            - Fatal error: base not found
            - Chunk error: timeout"""),
        Arguments.of("post run",
            new LogEntry(SPEC_START, "completed_with_errors", 0, 0, 45, 0, List.of(), 7, 9),
            """
            === EXECUTION: 2025-07-01T02:00:05.318Z ===
            STATUS: completed_with_errors
            LEADS PROCESSED: 0/0 successful
            POST SCORING: 7/9 successful
            DURATION: 45s
            TOKENS USED: 0"""),
        Arguments.of("post run with nothing to score",
            new LogEntry(SPEC_START, "success", 0, 0, 2, 0, List.of(), 0, 0),
            """
            === EXECUTION: 2025-07-01T02:00:05.318Z ===
            STATUS: success
            LEADS PROCESSED: 0/0 successful
            POST SCORING: 0/0 successful
            DURATION: 2 seconds
            TOKENS USED: 0"""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("entries")
  void formatsTheSpecEntryText(String name, LogEntry entry, String expected) {
    assertThat(ExecutionLogFormatter.format(entry)).isEqualTo(expected);
  }

  @Test
  void writesTwentyErrorLinesAndCountsTheRest() {
    List<String> errors = new java.util.ArrayList<>();
    for (int i = 1; i <= 23; i++) errors.add("Lead rec" + i + ": Failed \u2013 API Error: HTTP 401");
    String text = ExecutionLogFormatter.format(new LogEntry(SPEC_START, "Completed with errors", 2, 25, 9, 0, errors,
        null, null));

    StringBuilder expected = new StringBuilder("""
        === EXECUTION: 2025-07-01T02:00:05.318Z ===
        STATUS: Completed with errors
        LEADS PROCESSED: 2/25 successful
        DURATION: 9s
        TOKENS USED: 0

        ERRORS:""");
    for (int i = 1; i <= 20; i++) expected.append("\n- Lead rec").append(i).append(": Failed \u2013 API Error: HTTP 401");
    expected.append("\n- … and 3 more errors");
    assertThat(text).isEqualTo(expected.toString());
    assertThat(ExecutionLogFormatter.format(new LogEntry(SPEC_START, "Completed with errors", 0, 21, 9, 0,
        errors.subList(0, 21), null, null))).endsWith("\n- Lead rec20: Failed \u2013 API Error: HTTP 401\n- … and 1 more error");
  }

  @ParameterizedTest(name = "post run {0}, {1} -> {2}")
  @CsvSource({
      "false, completed, Completed successfully",
      "false, completed_with_errors, Completed with errors",
      "false, failed, Failed",
      "true, completed, success",
      "true, completed_with_errors, completed_with_errors",
      "true, failed, failed"})
  void statusWord(boolean postRun, String runStatus, String expected) {
    assertThat(ExecutionLogFormatter.statusWord(postRun, runStatus)).isEqualTo(expected);
  }

  private static String entry(String day, String error) {
    return ExecutionLogFormatter.format(new LogEntry(Instant.parse(day + "T02:00:00Z"), "Completed successfully",
        1, 1, 5, 100, error == null ? List.of() : List.of(error), null, null));
  }

  @Test
  void prependsNewestFirstAndStartsAFreshLog() {
    String first = entry("2025-07-01", null);
    String second = entry("2025-07-02", "Chunk error: x");

    assertThat(ExecutionLogFormatter.prepend(first, null, 100_000)).isEqualTo(first);
    assertThat(ExecutionLogFormatter.prepend(first, " \n ", 100_000)).isEqualTo(first);
    assertThat(ExecutionLogFormatter.prepend(second, first, 100_000)).isEqualTo(second + "\n\n" + first);
  }

  @Test
  void trimsWholeOldestEntriesUntilItFits() {
    String oldest = entry("2025-07-01", null);
    String middle = entry("2025-07-02", "Chunk error: a line mentioning === EXECUTION: inside");
    String existing = middle + "\n\n" + oldest;
    String newest = entry("2025-07-03", null);
    String all = newest + "\n\n" + existing;
    String twoNewest = newest + "\n\n" + middle;

    assertThat(ExecutionLogFormatter.prepend(newest, existing, all.length())).isEqualTo(all);
    assertThat(ExecutionLogFormatter.prepend(newest, existing, all.length() - 1)).isEqualTo(twoNewest);
    assertThat(ExecutionLogFormatter.prepend(newest, existing, twoNewest.length())).isEqualTo(twoNewest);
    assertThat(ExecutionLogFormatter.prepend(newest, existing, twoNewest.length() - 1)).isEqualTo(newest);
    assertThat(ExecutionLogFormatter.prepend(newest, existing, newest.length())).isEqualTo(newest);
  }

  @Test
  void cutsTheNewestEntryWhenItAloneIsTooLong() {
    String newest = entry("2025-07-03", "Chunk error: " + "x".repeat(500));

    assertThat(ExecutionLogFormatter.prepend(newest, entry("2025-07-01", null), 100))
        .isEqualTo(newest.substring(0, 100));
    assertThat(ExecutionLogFormatter.prepend(newest, null, 100)).isEqualTo(newest.substring(0, 100));
  }

  @Test
  void oldTextWithoutEntryMarkersIsDroppedAsOneChunk() {
    String newest = entry("2025-07-03", null);
    String legacy = "hand-written note\n\n" + entry("2025-07-01", null);

    assertThat(ExecutionLogFormatter.prepend(newest, "hand-written note", newest.length() + 5)).isEqualTo(newest);
    assertThat(ExecutionLogFormatter.prepend(newest, legacy, newest.length() + 25))
        .isEqualTo(newest + "\n\nhand-written note");
  }

  @org.junit.jupiter.api.Test
  void theTokenSplitAndCostFollowTokensUsedWhenGiven() {
    LogEntry e = new LogEntry(java.time.Instant.parse("2025-07-01T02:00:05.318Z"), "Completed successfully", 52, 55, 212,
        148230, java.util.List.of(), null, null, new pbwebhook.ai.TokenUsage(120000, 20230, 8000), 0.0421);
    org.assertj.core.api.Assertions.assertThat(ExecutionLogFormatter.format(e)).isEqualTo("""
        === EXECUTION: 2025-07-01T02:00:05.318Z ===
        STATUS: Completed successfully
        LEADS PROCESSED: 52/55 successful
        DURATION: 212s
        TOKENS USED: 148230
        TOKENS: prompt 120000, output 20230, thinking 8000
        ESTIMATED COST: $0.0421""");
    LogEntry offline = new LogEntry(e.startedAt(), e.status(), 1, 1, 0, 0, java.util.List.of(), null, null,
        pbwebhook.ai.TokenUsage.NONE, 0.0);
    org.assertj.core.api.Assertions.assertThat(ExecutionLogFormatter.format(offline)).endsWith("TOKENS USED: 0");
  }
}
