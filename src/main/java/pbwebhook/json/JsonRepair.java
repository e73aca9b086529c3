package pbwebhook.json;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON repair of system.md §3.4 ({@code repairAndParseJson}): tries ever more forgiving readings of a
 * text and says which one worked, so callers can record it ({@code Posts JSON Status}).
 */
public final class JsonRepair {

  /** Which step produced the value, in the order they are tried. */
  public enum Method { CLEAN, CLEAN_PREPROCESSING, QUOTE_REPAIR, DIRTY_JSON, DIRTY_JSON_QUOTE_REPAIR, CORRUPTED }

  /**
   * The outcome: {@code data} is a Vert.x JSON value ({@code JsonObject}, {@code JsonArray}, String, Number,
   * Boolean or null); {@code error} is set only when nothing worked. {@code lost} counts the elements a text cut
   * off mid-array could not give whole (dropped, or kept cut short); callers that write the value back must not
   * when it is above 0, as the text holds more than {@code data}.
   */
  public record Result(boolean success, Object data, Method method, String error, int lost) {
    static Result ok(Object data, Method method) { return new Result(true, data, method, null, 0); }

    /** True when {@code data} holds every element of the text intact. */
    public boolean intact() { return success && lost == 0; }
  }

  private static final Pattern POST_CONTENT = Pattern.compile("\"postContent\"\\s*:\\s*\"");
  /** What may follow the real closing quote of a postContent value: another key, or the end of the object. */
  private static final Pattern AFTER_VALUE = Pattern.compile("\\s*(,\\s*\"[^\"]*\"\\s*:|[}\\]]|$)");

  private JsonRepair() {}

  public static Result repairAndParse(String text) {
    if (text == null || text.isBlank()) {
      return new Result(false, null, Method.CORRUPTED, "empty text", 0);
    }
    String cleanError;
    try {
      return Result.ok(Json.decodeValue(text), Method.CLEAN);
    } catch (DecodeException e) {
      cleanError = firstLine(e.getMessage());
    }
    String pre = preprocess(text);
    try {
      return Result.ok(Json.decodeValue(pre), Method.CLEAN_PREPROCESSING);
    } catch (DecodeException ignored) {
      // next step
    }
    String quoted = repairPostContentQuotes(pre);
    if (!quoted.equals(pre)) {
      try {
        return Result.ok(Json.decodeValue(quoted), Method.QUOTE_REPAIR);
      } catch (DecodeException ignored) {
        // next step
      }
    }
    String dirtyError;
    try {
      return lenient(LenientJsonParser.parse(pre), Method.DIRTY_JSON);
    } catch (IllegalArgumentException e) {
      dirtyError = e.getMessage();
    }
    if (!quoted.equals(pre)) {
      try {
        return lenient(LenientJsonParser.parse(quoted), Method.DIRTY_JSON_QUOTE_REPAIR);
      } catch (IllegalArgumentException ignored) {
        // corrupted
      }
    }
    return new Result(false, null, Method.CORRUPTED,
        "not valid JSON (" + cleanError + "), and no repair worked (" + dirtyError + ")", 0);
  }

  private static Result lenient(LenientJsonParser.Parsed p, Method method) {
    return new Result(true, p.value(), method, null, p.lost());
  }

  /**
   * Step 2: trim, drop NULs, CRLF to LF, and remove control characters (U+0000–001F, U+007F–009F). Inside a
   * string a line break or tab becomes its escape rather than vanishing, so the words either side stay apart.
   */
  static String preprocess(String text) {
    String t = text.trim().replace("\u0000", "").replace("\r\n", "\n");
    StringBuilder out = new StringBuilder(t.length());
    boolean inString = false;
    boolean escaped = false;
    for (int k = 0; k < t.length(); k++) {
      char c = t.charAt(k);
      boolean control = c <= 0x1F || (c >= 0x7F && c <= 0x9F);
      if (control) {
        if (inString && c == '\n') out.append("\\n");
        else if (inString && c == '\t') out.append("\\t");
        else if (!inString && (c == '\n' || c == '\t')) out.append(' ');
        escaped = false;
        continue;
      }
      out.append(c);
      if (escaped) escaped = false;
      else if (c == '\\') escaped = inString;
      else if (c == '"') inString = !inString;
    }
    return out.toString();
  }

  /**
   * Step 3: inside every {@code "postContent": "…"} value, escapes the double quotes that do not end it. The
   * value ends at the first unescaped quote followed by another key or the end of the object (a lazy match).
   */
  static String repairPostContentQuotes(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    Matcher m = POST_CONTENT.matcher(text);
    int from = 0;
    while (m.find(from)) {
      out.append(text, from, m.end());
      int k = m.end();
      boolean escaped = false;
      while (k < text.length()) {
        char c = text.charAt(k);
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          if (AFTER_VALUE.matcher(text).region(k + 1, text.length()).lookingAt()) break;
          out.append('\\');
        }
        out.append(c);
        k++;
      }
      from = k;
      if (from >= text.length()) break;
    }
    if (from < text.length()) out.append(text, from, text.length());
    return out.toString();
  }

  private static String firstLine(String s) {
    if (s == null) return "parse error";
    String line = s.split("\n")[0];
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
