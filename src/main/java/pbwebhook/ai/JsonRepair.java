package pbwebhook.ai;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Parses JSON the way models actually write it: inside markdown code fences or prose, with trailing commas,
 * or cut off mid-array when the output limit is hit. A cut-off array keeps its complete objects and loses the
 * partial one, so a half-written lead is never read as a result.
 */
public final class JsonRepair {

  private JsonRepair() {}

  /**
   * Returns a {@link JsonObject} or {@link JsonArray} (or a scalar for scalar input), repairing as needed.
   *
   * @throws DecodeException when no repair makes the text valid JSON
   */
  public static Object repairAndParse(String text) {
    if (text == null || text.isBlank()) throw new DecodeException("empty text");
    String body = jsonPart(stripFences(text.strip()));
    DecodeException first;
    try {
      return wrap(Json.decodeValue(body));
    } catch (DecodeException e) {
      first = e;
    }
    String noCommas = removeTrailingCommas(body);
    try {
      return wrap(Json.decodeValue(noCommas));
    } catch (DecodeException ignored) {
      // fall through to the cut-off repair
    }
    String closed = closeAfterLastCompleteElement(noCommas);
    if (closed != null) {
      try {
        return wrap(Json.decodeValue(closed));
      } catch (DecodeException ignored) {
        // give up below with the first error, which describes the text as received
      }
    }
    throw first;
  }

  private static Object wrap(Object v) {
    if (v instanceof java.util.Map<?, ?> m) return JsonObject.mapFrom(m);
    if (v instanceof java.util.List<?> l) return new JsonArray(new java.util.ArrayList<>(l));
    return v;
  }

  /** The content of the first fenced block (```json … ```), or the text unchanged; an unclosed fence runs to the end. */
  static String stripFences(String s) {
    int open = s.indexOf("```");
    if (open < 0) return s;
    int lineEnd = s.indexOf('\n', open);
    if (lineEnd < 0) return s.substring(open + 3).strip();
    int close = s.indexOf("```", lineEnd);
    return (close < 0 ? s.substring(lineEnd + 1) : s.substring(lineEnd + 1, close)).strip();
  }

  /** Drops prose before the first bracket and after its matching bracket (text cut off keeps its whole tail). */
  static String jsonPart(String s) {
    int arr = s.indexOf('[');
    int obj = s.indexOf('{');
    int start = arr < 0 ? obj : obj < 0 ? arr : Math.min(arr, obj);
    if (start < 0) return s;
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '[' || c == '{') {
        depth++;
      } else if ((c == ']' || c == '}') && --depth == 0) {
        return s.substring(start, i + 1);
      }
    }
    return s.substring(start);
  }

  /** Removes commas directly before a closing bracket, outside strings. */
  static String removeTrailingCommas(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean inString = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        out.append(c);
        if (c == '\\' && i + 1 < s.length()) out.append(s.charAt(++i));
        else if (c == '"') inString = false;
        continue;
      }
      if (c == '"') inString = true;
      if (c == ',') {
        int j = i + 1;
        while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
        if (j < s.length() && (s.charAt(j) == ']' || s.charAt(j) == '}')) continue;
      }
      out.append(c);
    }
    return out.toString();
  }

  /**
   * For text cut off before its end: keeps everything up to the last object that closed as an element of an
   * array, then closes the brackets still open at that point. Null when no such object exists.
   */
  static String closeAfterLastCompleteElement(String s) {
    Deque<Character> stack = new ArrayDeque<>();
    boolean inString = false;
    int cut = -1;
    String closers = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
        continue;
      }
      switch (c) {
        case '"' -> inString = true;
        case '{', '[' -> stack.push(c);
        case '}', ']' -> {
          if (stack.isEmpty()) return null;
          char open = stack.pop();
          if (c == '}' && open == '{' && !stack.isEmpty() && stack.peek() == '[') {
            cut = i + 1;
            StringBuilder tail = new StringBuilder();
            for (char o : stack) tail.append(o == '[' ? ']' : '}');
            closers = tail.toString();
          }
        }
        default -> { }
      }
    }
    return cut < 0 ? null : s.substring(0, cut) + closers;
  }
}
