package pbwebhook.execlog;

import pbwebhook.Await;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import pbwebhook.store.Record;
import pbwebhook.store.schema.ExecutionSummary;

/** Ordering of Execution Summary records that the store returns sorted by Date and Time, and the no-master case. */
class ExecutionSummaryReaderTest {

  /**
   * Each case: records in the store's order as {@code id@date time@createdTime}, and the expected ids. Runs recorded
   * in the same second come newest-created first; the store's order between different seconds is kept.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "a@2025-07-02 10:00:05@T1, b@2025-07-02 10:00:04@T2 | a, b",
      "a@2025-07-02 10:00:05@T1, b@2025-07-02 10:00:05@T2, c@2025-07-02 10:00:05@T3 | c, b, a",
      "a@2025-07-02 10:00:05@T1, b@2025-07-02 10:00:05@T3, c@2025-07-01 23:59:59@T2, d@2025-07-01 23:59:59@T4 | b, a, d, c",
      "a@2025-07-02 10:00:05@T2, b@2025-07-01 10:00:05@T3 | a, b",
  })
  void runsOfTheSameSecondAreNewestCreatedFirst(String records, String expected) {
    List<Record> rows = new ArrayList<>();
    for (String spec : records.split(",\\s*")) {
      String[] p = spec.split("@");
      String[] dateTime = p[1].split(" ");
      rows.add(new Record(p[0], "2025-07-02" + p[2].replace("T", "T00:00:0") + ".000Z", new JsonObject()
          .put(ExecutionSummary.DATE, dateTime[0]).put(ExecutionSummary.TIME, dateTime[1])));
    }
    assertThat(ExecutionSummaryReader.newestFirstWithinTies(rows).stream().map(Record::id))
        .containsExactly(expected.split(",\\s*"));
  }

  @Test
  void withoutAMasterBaseThereIsNoSummaryAndTheReplySaysWhy() {
    JsonObject reply = Await.within(new ExecutionSummaryReader(null, null).recent("demo", 10));
    assertThat(reply.getBoolean("available")).isFalse();
    assertThat(reply.getJsonArray("records")).isEmpty();
    assertThat(reply.getString("reason")).contains("no master base");
  }
}
