package pbwebhook.ingest;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lenient date reading of the old {@code safeDate}: LinkedHelper's {@code YYYY.MM.DD} as UTC
 * midnight, and ISO-8601 dates or date-times; anything else is ignored rather than failing the item.
 */
public final class SafeDate {
  private SafeDate() {}

  private static final Pattern DOTTED = Pattern.compile("(\\d{4})\\.(\\d{1,2})\\.(\\d{1,2})");

  /** Millisecond precision with {@code Z}, the form Airtable returns, so unchanged dates compare equal. */
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  public static Optional<Instant> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String s = value.trim();
    try {
      Matcher dotted = DOTTED.matcher(s);
      if (dotted.matches()) {
        return Optional.of(LocalDate.of(
                Integer.parseInt(dotted.group(1)),
                Integer.parseInt(dotted.group(2)),
                Integer.parseInt(dotted.group(3)))
            .atStartOfDay(ZoneOffset.UTC).toInstant());
      }
      if (s.length() == 10) {
        return Optional.of(LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant());
      }
      if (s.endsWith("Z") || s.endsWith("z") || hasOffset(s)) {
        return Optional.of(OffsetDateTime.parse(s.replace('z', 'Z')).toInstant());
      }
      // A date-time without zone: the old server ran in UTC, so it read these as UTC.
      return Optional.of(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
    } catch (DateTimeException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  public static String iso(Instant instant) {
    return ISO_MILLIS.format(instant);
  }

  private static boolean hasOffset(String s) {
    int t = s.indexOf('T');
    if (t < 0) {
      return false;
    }
    String time = s.substring(t);
    return time.indexOf('+') >= 0 || time.indexOf('-') >= 0;
  }
}
