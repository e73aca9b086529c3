package pbwebhook.json;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A forgiving JSON reader in the spirit of the dirty-json package the old server used (system.md §3.4):
 * trailing and missing commas, single-quoted strings, unquoted keys, raw control characters in strings,
 * stray {@code "} inside a string (a quote closes the string only when a delimiter follows it), and a
 * document cut off inside an array, which keeps the elements that were complete and counts what it could not
 * keep whole ({@link Parsed#lost}). Produces Vert.x {@link JsonObject}/{@link JsonArray} values like
 * {@code Json.decodeValue}.
 */
final class LenientJsonParser {

  private static final int MAX_DEPTH = 200;

  /** Thrown when the text ends inside a value; an enclosing array drops that value and ends there. */
  private static final class Truncated extends RuntimeException {
    Truncated() { super("the JSON text ends before the value is complete", null, false, false); }
  }

  /**
   * The value read, and how many elements of the outermost array the end of the text cut short: one dropped
   * because it was incomplete, or an array element left unclosed (kept with what it had). 0 means every element
   * is whole; at most the outermost array lacked its closing bracket.
   */
  record Parsed(Object value, int lost) {}

  private final String s;
  private int i;
  private int depth;
  private int lost;
  private boolean outermostIsArray;

  private LenientJsonParser(String s) {
    this.s = s;
  }

  /** Parses the whole text; fails with {@link IllegalArgumentException} naming the position of the problem. */
  static Parsed parse(String text) {
    LenientJsonParser p = new LenientJsonParser(text);
    p.skipSpace();
    if (p.atEnd()) throw new IllegalArgumentException("no JSON value found");
    Object value;
    p.outermostIsArray = p.peek() == '[';
    try {
      value = p.value();
    } catch (Truncated t) {
      throw new IllegalArgumentException(t.getMessage());
    }
    p.skipSpace();
    while (!p.atEnd() && (p.peek() == ',' || p.peek() == ';')) {
      p.i++;
      p.skipSpace();
    }
    if (!p.atEnd()) throw p.error("unexpected text after the JSON value");
    return new Parsed(value, p.lost);
  }

  private Object value() {
    skipSpace();
    if (atEnd()) throw new Truncated();
    char c = peek();
    if (c == '{') return object();
    if (c == '[') return array();
    if (c == '"' || c == '\'') return string(c);
    if (c == '-' || c == '+' || c == '.' || Character.isDigit(c)) return number();
    if (Character.isLetter(c) || c == '_' || c == '$') return word();
    throw error("unexpected character '" + c + "'");
  }

  private JsonObject object() {
    enter();
    i++;
    JsonObject out = new JsonObject();
    while (true) {
      skipSpaceAndCommas();
      if (atEnd()) throw new Truncated();
      if (peek() == '}') {
        i++;
        depth--;
        return out;
      }
      String key = key();
      skipSpace();
      if (atEnd()) throw new Truncated();
      if (peek() != ':' && peek() != '=') throw error("expected ':' after key \"" + key + "\"");
      i++;
      out.put(key, value());
      skipSpace();
      if (atEnd()) throw new Truncated();
      if (peek() != ',' && peek() != '}' && !startsKey(peek())) throw error("expected ',' or '}' in an object");
    }
  }

  private JsonArray array() {
    enter();
    i++;
    JsonArray out = new JsonArray();
    while (true) {
      skipSpaceAndCommas();
      if (atEnd()) return closeTruncated(out);
      if (peek() == ']') {
        i++;
        depth--;
        return out;
      }
      int before = depth;
      try {
        out.add(value());
      } catch (Truncated t) {
        depth = before;
        if (before == 1) lost++;
        return closeTruncated(out);
      }
      skipSpace();
      if (atEnd()) return closeTruncated(out);
      char c = peek();
      if (c != ',' && c != ']' && c != '{' && c != '[' && c != '"' && c != '\'') {
        throw error("expected ',' or ']' in an array");
      }
    }
  }

  /**
   * A cut-off array keeps its complete elements; the end of the text closes every open array. An element of the
   * outermost array closed this way is itself cut short.
   */
  private JsonArray closeTruncated(JsonArray out) {
    if (depth == 2 && outermostIsArray) lost++;
    depth--;
    return out;
  }

  private String key() {
    char c = peek();
    if (c == '"' || c == '\'') return string(c);
    int start = i;
    while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '$' || peek() == '-')) i++;
    if (start == i) throw error("expected a key");
    return s.substring(start, i);
  }

  private String string(char quote) {
    i++;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (atEnd()) throw new Truncated();
      char c = s.charAt(i++);
      if (c == '\\') {
        if (atEnd()) throw new Truncated();
        char e = s.charAt(i++);
        switch (e) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            if (i + 4 > s.length()) throw new Truncated();
            try {
              out.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
              i += 4;
            } catch (NumberFormatException ex) {
              out.append('u');
            }
          }
          default -> out.append(e);
        }
      } else if (c == quote) {
        if (closes()) return out.toString();
        out.append(c);
      } else {
        out.append(c);
      }
    }
  }

  /** A quote ends a string only when what follows it can follow a value (or a key). */
  private boolean closes() {
    int j = i;
    while (j < s.length() && Character.isWhitespace(s.charAt(j))) j++;
    if (j >= s.length()) return true;
    char n = s.charAt(j);
    return n == ',' || n == ':' || n == '}' || n == ']';
  }

  private Number number() {
    int start = i;
    while (!atEnd() && "+-.eE0123456789".indexOf(peek()) >= 0) i++;
    String text = s.substring(start, i);
    if (atEnd() && !text.isEmpty()) {
      // A number at the very end of a cut-off text may itself be cut off.
      throw new Truncated();
    }
    try {
      if (text.matches("[-+]?\\d+")) {
        long l = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
        return l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE ? (Number) (int) l : (Number) l;
      }
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      i = start;
      throw error("invalid number \"" + text + "\"");
    }
  }

  private Object word() {
    int start = i;
    while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '$')) i++;
    String w = s.substring(start, i);
    return switch (w) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      case "null", "undefined" -> null;
      default -> {
        i = start;
        throw error("unquoted text \"" + w + "\" is not a JSON value");
      }
    };
  }

  private boolean startsKey(char c) {
    return c == '"' || c == '\'' || Character.isLetter(c) || c == '_' || c == '$';
  }

  private void enter() {
    if (++depth > MAX_DEPTH) throw error("JSON nested deeper than " + MAX_DEPTH + " levels");
  }

  private void skipSpace() {
    while (!atEnd() && Character.isWhitespace(peek())) i++;
  }

  private void skipSpaceAndCommas() {
    while (!atEnd() && (Character.isWhitespace(peek()) || peek() == ',')) i++;
  }

  private boolean atEnd() {
    return i >= s.length();
  }

  private char peek() {
    return s.charAt(i);
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at position " + i);
  }
}
