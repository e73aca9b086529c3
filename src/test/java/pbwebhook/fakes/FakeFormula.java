package pbwebhook.fakes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Airtable's formula language the fake needs: string and number literals (with backslash
 * escapes), {@code {Field}} references, {@code = != < > <= >= &}, parentheses, and the functions AND, OR,
 * NOT, IF, BLANK, TRUE, FALSE, LOWER, UPPER, TRIM, LEN, REGEX_REPLACE, REGEX_MATCH. A value is a String,
 * Double, Boolean or null (blank). Parsed properly, so a value is never mistaken for syntax.
 */
public final class FakeFormula {

  /** The formula text does not parse. */
  public static final class SyntaxError extends RuntimeException {
    SyntaxError(String message) { super(message); }
  }

  private final Node root;
  private final Set<String> fieldRefs = new LinkedHashSet<>();

  private FakeFormula(String text) {
    Parser p = new Parser(text);
    this.root = p.parseExpression();
    p.skipSpace();
    if (!p.atEnd()) throw new SyntaxError("Unexpected text at " + p.pos + ": " + text.substring(p.pos));
  }

  public static FakeFormula parse(String text) {
    return new FakeFormula(text);
  }

  public Set<String> fieldRefs() { return fieldRefs; }

  /** True when the formula's value for the record is truthy, as Airtable decides which records match. */
  public boolean matches(JsonObject fields) {
    return truthy(root.eval(name -> fieldValue(fields.getValue(name))));
  }

  public Object evaluate(JsonObject fields) {
    return root.eval(name -> fieldValue(fields.getValue(name)));
  }

  private static Object fieldValue(Object v) {
    if (v == null) return null;
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof Boolean b) return b;
    if (v instanceof JsonArray a) {
      if (a.isEmpty()) return null;
      List<String> parts = new ArrayList<>();
      for (Object o : a) parts.add(text(fieldValue(o)));
      return String.join(", ", parts);
    }
    if (v instanceof JsonObject o) return o.encode();
    return String.valueOf(v);
  }

  static boolean truthy(Object v) {
    if (v == null) return false;
    if (v instanceof Boolean b) return b;
    if (v instanceof Double d) return d != 0;
    return !((String) v).isEmpty();
  }

  static String text(Object v) {
    if (v == null) return "";
    if (v instanceof Double d) return d == Math.rint(d) && !d.isInfinite() ? String.valueOf(d.longValue()) : d.toString();
    if (v instanceof Boolean b) return b ? "1" : "0";
    return (String) v;
  }

  private static Double number(Object v) {
    if (v instanceof Double d) return d;
    if (v instanceof Boolean b) return b ? 1.0 : 0.0;
    if (v instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static boolean isBlank(Object v) {
    return v == null || (v instanceof String s && s.isEmpty()) || (v instanceof Double d && d == 0)
        || Boolean.FALSE.equals(v);
  }

  /** Airtable's '=': blank equals "", 0 and false; a number equals a string holding that number. */
  static boolean equal(Object a, Object b) {
    if (a == null || b == null) return isBlank(a) && isBlank(b);
    if (a instanceof Double || b instanceof Double) {
      Double x = number(a);
      Double y = number(b);
      if (x != null && y != null) return x.doubleValue() == y.doubleValue();
    }
    return text(a).equals(text(b));
  }

  private static int compare(Object a, Object b) {
    Double x = number(a);
    Double y = number(b);
    if (x != null && y != null) return Double.compare(x, y);
    return text(a).compareTo(text(b));
  }

  private interface Node {
    Object eval(Function<String, Object> fields);
  }

  private final class Parser {
    private final String s;
    int pos;

    Parser(String s) { this.s = s; }

    boolean atEnd() { return pos >= s.length(); }

    void skipSpace() {
      while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    boolean accept(String tok) {
      skipSpace();
      if (s.startsWith(tok, pos)) {
        pos += tok.length();
        return true;
      }
      return false;
    }

    void expect(String tok) {
      if (!accept(tok)) throw new SyntaxError("Expected '" + tok + "' at " + pos);
    }

    Node parseExpression() {
      Node left = parseConcat();
      while (true) {
        skipSpace();
        String op = null;
        for (String candidate : List.of("!=", "<=", ">=", "=", "<", ">")) {
          if (s.startsWith(candidate, pos)) {
            op = candidate;
            break;
          }
        }
        if (op == null) return left;
        pos += op.length();
        Node l = left;
        Node r = parseConcat();
        String o = op;
        left = f -> {
          Object a = l.eval(f);
          Object b = r.eval(f);
          return switch (o) {
            case "=" -> equal(a, b);
            case "!=" -> !equal(a, b);
            case "<" -> compare(a, b) < 0;
            case ">" -> compare(a, b) > 0;
            case "<=" -> compare(a, b) <= 0;
            default -> compare(a, b) >= 0;
          };
        };
      }
    }

    Node parseConcat() {
      Node left = parsePrimary();
      while (accept("&")) {
        Node l = left;
        Node r = parsePrimary();
        left = f -> text(l.eval(f)) + text(r.eval(f));
      }
      return left;
    }

    Node parsePrimary() {
      skipSpace();
      if (atEnd()) throw new SyntaxError("Unexpected end of formula");
      char c = s.charAt(pos);
      if (c == '(') {
        pos++;
        Node inner = parseExpression();
        expect(")");
        return inner;
      }
      if (c == '"' || c == '\'') {
        String lit = stringLiteral(c);
        return f -> lit;
      }
      if (c == '{') {
        int end = s.indexOf('}', pos);
        if (end < 0) throw new SyntaxError("Unclosed field reference at " + pos);
        String name = s.substring(pos + 1, end);
        pos = end + 1;
        fieldRefs.add(name);
        return f -> f.apply(name);
      }
      if (Character.isDigit(c) || c == '-' || c == '.') {
        int start = pos++;
        while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) pos++;
        double d = Double.parseDouble(s.substring(start, pos));
        return f -> d;
      }
      if (Character.isLetter(c)) {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) pos++;
        String name = s.substring(start, pos).toUpperCase(Locale.ROOT);
        expect("(");
        List<Node> args = new ArrayList<>();
        if (!accept(")")) {
          do {
            args.add(parseExpression());
          } while (accept(","));
          expect(")");
        }
        return function(name, args);
      }
      throw new SyntaxError("Unexpected '" + c + "' at " + pos);
    }

    String stringLiteral(char quote) {
      StringBuilder sb = new StringBuilder();
      pos++;
      while (true) {
        if (atEnd()) throw new SyntaxError("Unclosed string literal");
        char c = s.charAt(pos++);
        if (c == quote) return sb.toString();
        if (c == '\\') {
          if (atEnd()) throw new SyntaxError("Dangling backslash");
          char e = s.charAt(pos++);
          switch (e) {
            case 'n' -> sb.append('\n');
            case 't' -> sb.append('\t');
            case 'r' -> sb.append('\r');
            default -> sb.append(e);
          }
        } else {
          sb.append(c);
        }
      }
    }

    Node function(String name, List<Node> args) {
      switch (name) {
        case "AND":
          return f -> {
            for (Node a : args) if (!truthy(a.eval(f))) return false;
            return !args.isEmpty();
          };
        case "OR":
          return f -> {
            for (Node a : args) if (truthy(a.eval(f))) return true;
            return false;
          };
        case "NOT":
          arity(name, args, 1);
          return f -> !truthy(args.get(0).eval(f));
        case "IF":
          if (args.size() < 2 || args.size() > 3) throw new SyntaxError("IF takes 2 or 3 arguments");
          return f -> truthy(args.get(0).eval(f)) ? args.get(1).eval(f) : args.size() == 3 ? args.get(2).eval(f) : null;
        case "BLANK":
          arity(name, args, 0);
          return f -> null;
        case "TRUE":
          arity(name, args, 0);
          return f -> true;
        case "FALSE":
          arity(name, args, 0);
          return f -> false;
        case "LOWER":
          arity(name, args, 1);
          return f -> text(args.get(0).eval(f)).toLowerCase(Locale.ROOT);
        case "UPPER":
          arity(name, args, 1);
          return f -> text(args.get(0).eval(f)).toUpperCase(Locale.ROOT);
        case "TRIM":
          arity(name, args, 1);
          return f -> text(args.get(0).eval(f)).strip();
        case "LEN":
          arity(name, args, 1);
          return f -> (double) text(args.get(0).eval(f)).length();
        case "REGEX_MATCH":
          arity(name, args, 2);
          return f -> Pattern.compile(text(args.get(1).eval(f))).matcher(text(args.get(0).eval(f))).find();
        case "REGEX_REPLACE":
          arity(name, args, 3);
          return f -> Pattern.compile(text(args.get(1).eval(f))).matcher(text(args.get(0).eval(f)))
              .replaceAll(Matcher.quoteReplacement(text(args.get(2).eval(f))));
        default:
          throw new SyntaxError("Unknown function " + name);
      }
    }

    void arity(String name, List<Node> args, int n) {
      if (args.size() != n) throw new SyntaxError(name + " takes " + n + " argument(s)");
    }
  }
}
