package pbwebhook.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafeDateTest {

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @CsvSource({
    "2024.03.05,                2024-03-05T00:00:00.000Z",
    "2024.3.5,                  2024-03-05T00:00:00.000Z",
    "2024-03-05,                2024-03-05T00:00:00.000Z",
    "2025-06-30T14:05:00Z,      2025-06-30T14:05:00.000Z",
    "2025-06-30T14:05:00.123Z,  2025-06-30T14:05:00.123Z",
    "2025-06-30T14:05:00+10:00, 2025-06-30T04:05:00.000Z",
    "2025-06-30T14:05:00,       2025-06-30T14:05:00.000Z",
  })
  void readsDottedAndIsoDatesAsUtc(String input, String expectedIso) {
    assertThat(SafeDate.parse(input)).map(SafeDate::iso).contains(expectedIso);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "  ", "yesterday", "2024.13.01", "2024-02-30", "30/06/2025", "1719756300000"})
  void ignoresWhatItCannotRead(String input) {
    assertThat(SafeDate.parse(input)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void formatsWithMillisecondsLikeAirtable() {
    assertThat(SafeDate.iso(Instant.parse("2025-07-01T00:00:00Z"))).isEqualTo("2025-07-01T00:00:00.000Z");
  }
}
