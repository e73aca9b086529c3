package pbwebhook.store.airtable;

import java.util.List;
import java.util.regex.Pattern;
import pbwebhook.store.Filter;

/**
 * Renders a typed {@link Filter} as an Airtable {@code filterByFormula}. Every value becomes an escaped
 * string literal, so text such as {@code O'Brien "x" \ }) , OR(1=1} is compared, never parsed as formula.
 */
public final class FormulaRenderer {

  private FormulaRenderer() {}

  /** A canonical key kept with its member id: {@code linkedin.com/profile/view?id=123}. */
  private static final Pattern MEMBER_ID_KEY = Pattern.compile("^linkedin\\.com/profile/view\\?id=[0-9]+$");

  public static String render(Filter filter) {
    if (filter == null) throw new IllegalArgumentException("filter is required");
    if (filter instanceof Filter.Eq eq) return field(eq.field()) + " = " + literal(eq.value());
    if (filter instanceof Filter.NotEq ne) return field(ne.field()) + " != " + literal(ne.value());
    // Concatenating "" turns blank, empty text and empty lists into "" but keeps 0 as "0":
    // Airtable's {F} = BLANK() would also match a number field holding 0.
    if (filter instanceof Filter.Blank b) return "(" + field(b.field()) + " & \"\") = \"\"";
    if (filter instanceof Filter.UrlKeyEq u) return u.key().isEmpty() ? "FALSE()" : urlKeyEq(u.field(), u.key());
    if (filter instanceof Filter.And and) return call("AND", and.all(), "TRUE()");
    if (filter instanceof Filter.Or or) return call("OR", or.any(), "FALSE()");
    if (filter instanceof Filter.Not not) return "NOT(" + render(not.filter()) + ")";
    throw new IllegalArgumentException("Unsupported filter " + filter.getClass().getSimpleName());
  }

  /** A field reference; Airtable has no escape for '}' inside braces, so such names are refused. */
  static String field(String name) {
    if (name == null || name.isEmpty()) throw new IllegalArgumentException("field name is required");
    if (name.indexOf('}') >= 0) {
      throw new IllegalArgumentException("Field name \"" + name + "\" contains '}' and cannot be used in a formula");
    }
    return "{" + name + "}";
  }

  /** A double-quoted string literal with backslash, quote and line breaks escaped. */
  static String literal(String value) {
    String v = value == null ? "" : value;
    StringBuilder sb = new StringBuilder(v.length() + 2).append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> sb.append("\\\\");
        case '"' -> sb.append("\\\"");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(c);
      }
    }
    return sb.append('"').toString();
  }

  /**
   * The stored URL canonicalised inside the formula: trimmed, lower-cased, without scheme, leading
   * {@code www.}, query, fragment and one trailing slash. A member-id key keeps its {@code ?id=<n>}, so
   * for it only what follows the id ({@code &...}, {@code #...}) is cut. Regexes use character classes
   * rather than backslashes, so nothing depends on how backslashes pass through the literal.
   */
  private static String urlKeyEq(String fieldName, String key) {
    boolean memberId = key != null && MEMBER_ID_KEY.matcher(key).matches();
    String s = "LOWER(TRIM(" + field(fieldName) + " & \"\"))";
    s = "REGEX_REPLACE(" + s + ", " + literal("^https?://") + ", \"\")";
    s = "REGEX_REPLACE(" + s + ", " + literal("^www[.]") + ", \"\")";
    s = "REGEX_REPLACE(" + s + ", " + literal(memberId ? "[&#].*$" : "[?#].*$") + ", \"\")";
    s = "REGEX_REPLACE(" + s + ", " + literal("/$") + ", \"\")";
    return s + " = " + literal(key);
  }

  private static String call(String fn, List<Filter> args, String whenEmpty) {
    if (args.isEmpty()) return whenEmpty;
    StringBuilder sb = new StringBuilder(fn).append('(');
    for (int i = 0; i < args.size(); i++) {
      if (i > 0) sb.append(", ");
      sb.append(render(args.get(i)));
    }
    return sb.append(')').toString();
  }
}
