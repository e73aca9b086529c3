package pbwebhook.gpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import pbwebhook.store.schema.Leads;

class LeadMessageUpdateTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2025-07-01T09:30:00+10:00        | 2025-06-30T23:30:00Z",
      "2025-07-01T09:30:00Z             | 2025-07-01T09:30:00Z",
      "2025-07-01T09:30:00.250Z         | 2025-07-01T09:30:00.250Z",
      "2025-07-01T09:30                 | 2025-07-01T09:30:00Z",
      "2025-07-01                       | 2025-07-01T00:00:00Z",
      "'Tue, 1 Jul 2025 09:30:00 +1000' | 2025-06-30T23:30:00Z",
      "'1 Jul 2025 09:30:00 GMT'        | 2025-07-01T09:30:00Z"})
  void sendAtIsReadAsIso8601ElseRfc2822(String given, String instant) {
    assertThat(LeadMessageUpdate.sendAt(given).toString()).isEqualTo(instant);
  }

  @ParameterizedTest
  @ValueSource(strings = {"next tuesday", "2025-13-01", "31/12/2025 10:00", "Tue, 1 Jul 2025"})
  void anUnreadableSendAtIsRefusedNamingIt(String given) {
    assertThatThrownBy(() -> LeadMessageUpdate.fields(new JsonObject().put("nextMessage", "Hi").put("sendAt", given)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("sendAt is not a date-time: \"" + given + "\"");
  }

  @Test
  void theFieldsAreTrimmedAndOnlyTheGivenOnesWritten() {
    assertThat(LeadMessageUpdate.fields(new JsonObject().put("nextMessage", "  Hello Jane  ")))
        .isEqualTo(new JsonObject().put(Leads.MESSAGE_TO_BE_SENT, "Hello Jane"));
    assertThat(LeadMessageUpdate.fields(new JsonObject().put("nextMessage", "Hi").put("sendAt", "2025-07-01T09:30:00Z")
        .put("messageStatus", " Ready ")))
        .isEqualTo(new JsonObject().put(Leads.MESSAGE_TO_BE_SENT, "Hi").put(Leads.SEND_AT, "2025-07-01T09:30:00Z")
            .put(Leads.MESSAGE_STATUS, "Ready"));
  }

  @Test
  void nextMessageIsRequiredAndTypesAreChecked() {
    assertThatThrownBy(() -> LeadMessageUpdate.fields(new JsonObject()))
        .hasMessage("nextMessage is required: a non-empty string");
    assertThatThrownBy(() -> LeadMessageUpdate.fields(new JsonObject().put("nextMessage", "  ")))
        .hasMessage("nextMessage is required: a non-empty string");
    assertThatThrownBy(() -> LeadMessageUpdate.fields(new JsonObject().put("nextMessage", "Hi").put("sendAt", 1751362200)))
        .hasMessage("sendAt must be a string: an ISO 8601 or RFC 2822 date-time");
    assertThatThrownBy(() -> LeadMessageUpdate.fields(new JsonObject().put("nextMessage", "Hi").put("messageStatus", true)))
        .hasMessage("messageStatus must be a string");
  }
}
