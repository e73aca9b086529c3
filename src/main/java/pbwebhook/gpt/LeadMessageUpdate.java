package pbwebhook.gpt;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import pbwebhook.store.schema.Leads;

/**
 * The lead fields {@code POST /update-lead} writes (system.md §1): {@code nextMessage} (required) trimmed into
 * {@code Message To Be Sent}; {@code sendAt}, read as ISO 8601 or else RFC 2822, into {@code Send At} as a UTC
 * instant; {@code messageStatus} trimmed into {@code Message Status}. What cannot be read is an
 * {@link IllegalArgumentException} naming the field (a 400, where the old server answered 500).
 */
public final class LeadMessageUpdate {

  private LeadMessageUpdate() {}

  public static JsonObject fields(JsonObject body) {
    Object next = body.getValue("nextMessage");
    if (!(next instanceof String s) || s.isBlank()) {
      throw new IllegalArgumentException("nextMessage is required: a non-empty string");
    }
    JsonObject fields = new JsonObject().put(Leads.MESSAGE_TO_BE_SENT, s.trim());
    Object sendAt = body.getValue("sendAt");
    if (sendAt != null && !(sendAt instanceof String)) {
      throw new IllegalArgumentException("sendAt must be a string: an ISO 8601 or RFC 2822 date-time");
    }
    if (sendAt instanceof String text && !text.isBlank()) fields.put(Leads.SEND_AT, sendAt(text).toString());
    Object status = body.getValue("messageStatus");
    if (status != null && !(status instanceof String)) throw new IllegalArgumentException("messageStatus must be a string");
    if (status instanceof String st && !st.isBlank()) fields.put(Leads.MESSAGE_STATUS, st.trim());
    return fields;
  }

  /**
   * ISO 8601 (with an offset; without one, UTC, as the old server ran in UTC; a bare date is midnight
   * UTC), else RFC 2822 ({@code Tue, 3 Jun 2025 11:05:30 +1000}, the day name optional).
   */
  static Instant sendAt(String text) {
    String t = text.trim();
    try {
      return OffsetDateTime.parse(t, DateTimeFormatter.ISO_DATE_TIME).toInstant();
    } catch (DateTimeParseException notWithOffset) {
      // next form
    }
    try {
      return LocalDateTime.parse(t, DateTimeFormatter.ISO_LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException notLocal) {
      // next form
    }
    try {
      return LocalDate.parse(t, DateTimeFormatter.ISO_LOCAL_DATE).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException notDate) {
      // next form
    }
    try {
      return ZonedDateTime.parse(t, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException notRfc) {
      String shown = t.length() > 60 ? t.substring(0, 60) + "…" : t;
      throw new IllegalArgumentException("sendAt is not a date-time: \"" + shown
          + "\" (expected ISO 8601, e.g. 2025-07-01T09:30:00+10:00, or RFC 2822, e.g. Tue, 1 Jul 2025 09:30:00 +1000)");
    }
  }
}
