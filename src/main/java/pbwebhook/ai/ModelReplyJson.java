package pbwebhook.ai;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Deque;
import pbwebhook.json.JsonRepair;

/**
 * Reads the JSON in a model's reply the way models actually write it: inside markdown code fences or prose,
 * then through the shared repair ({@link JsonRepair}: trailing commas, stray quotes, and a cut-off array
 * keeping its complete objects and losing the partial one, so a half-written lead is never read as a result).
 */
public final class ModelReplyJson {

  private ModelReplyJson() {}

  /**
   * Returns a {@link JsonObject} or {@link JsonArray} (or a scalar for scalar input), repairing as needed.
   *
   * @throws DecodeException when no repair makes the text valid JSON
   */
  public static Object parse(String text) {
    if (text == null || text.isBlank()) throw new DecodeException("empty text");
    String body = jsonPart(stripFences(text.strip()));
    JsonRepair.Result r = JsonRepair.repairAndParse(body);
    if (r.success() && !emptyFromCutOff(r.data(), body)) return r.data();
    // Cut off inside a wrapper object ({"results":[{…},{…): close after the last complete element.
    String closed = closeAfterLastCompleteElement(body);
    if (closed != null) {
      JsonRepair.Result again = JsonRepair.repairAndParse(closed);
      if (again.success()) return again.data();
    }
    throw new DecodeException(r.success() ? "the reply holds no complete object" : r.error());
  }

  /** A reply cut off before its first object closed repairs to an empty array: that is no answer, not zero leads. */
  private static boolean emptyFromCutOff(Object data, String body) {
    return data instanceof JsonArray a && a.isEmpty() && !body.replaceAll("\\s", "").equals("[]");
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
