package pbwebhook.alerts;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text that leaves the server (an AI provider's error may quote a key; a store error may quote
 * a token): every configured secret value, Airtable personal access tokens and bearer credentials become
 * {@code [redacted]}.
 */
public final class SecretRedactor {

  private static final Pattern TOKEN_SHAPES = Pattern.compile(
      "(?i)\\bpat[A-Za-z0-9]{8,}\\.[A-Za-z0-9]{16,}|\\bBearer\\s+[A-Za-z0-9._~+/=-]+|\\bkey=[A-Za-z0-9._-]{8,}");
  /** Shorter values (a test secret like "s") would redact ordinary words. */
  private static final int MIN_SECRET_LENGTH = 6;

  private final List<String> secrets;

  public SecretRedactor(List<String> secrets) {
    this.secrets = secrets.stream().filter(Objects::nonNull).filter(s -> s.length() >= MIN_SECRET_LENGTH).distinct()
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  public String redact(String text) {
    if (text == null) return "";
    String out = text;
    for (String s : secrets) out = out.replace(s, "[redacted]");
    return TOKEN_SHAPES.matcher(out).replaceAll("[redacted]");
  }
}
