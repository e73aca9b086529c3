package pbwebhook.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

/**
 * Evaluates a {@link Filter} and a list of {@link Sort}s against records in memory, the way the
 * Airtable formula the Airtable store renders would. Used by the embedded store and by fakes.
 *
 * <p>A field's text is what Airtable shows when a formula turns it into a string: text as is,
 * integral numbers without {@code .0}, a checked box as {@code 1} and an unchecked one as
 * {@code 0}, a list as its items joined by {@code ", "}, a missing or null field as {@code ""}.
 */
public final class FilterEvaluator {

  private FilterEvaluator() {}


  public static boolean matches(Filter f, JsonObject fields) {
    JsonObject values = fields == null ? new JsonObject() : fields;
    if (f == null) return true;
    if (f instanceof Filter.Eq eq) return text(values.getValue(eq.field())).equals(eq.value());
    if (f instanceof Filter.NotEq ne) return !text(values.getValue(ne.field())).equals(ne.value());
    if (f instanceof Filter.Blank b) return isBlank(values.getValue(b.field()));
    if (f instanceof Filter.UrlKeyEq u) {
      Object v = values.getValue(u.field());
      // An empty key (a URL with nothing after the scheme) must never match a stored lead.
      return !u.key().isEmpty() && !isBlank(v) && canonicalKey(text(v)).equals(u.key());
    }
    if (f instanceof Filter.And and) return and.all().stream().allMatch(c -> matches(c, values));
    if (f instanceof Filter.Or or) return or.any().stream().anyMatch(c -> matches(c, values));
    if (f instanceof Filter.Not not) return !matches(not.filter(), values);
    throw new IllegalArgumentException("unknown filter " + f);
  }

  /**
   * Orders records by the sorts, first sort first. Blank values sort last in either direction;
   * numbers (and checkboxes) compare numerically and before text; text compares case-insensitively.
   */
  public static Comparator<Record> comparator(List<Sort> sorts) {
    Comparator<Record> c = (a, b) -> 0;
    for (Sort s : sorts == null ? List.<Sort>of() : sorts) {
      c = c.thenComparing((a, b) -> compareValues(a.fields().getValue(s.field()), b.fields().getValue(s.field()),
          s.descending()));
    }
    return c;
  }

  /** The field's value as formula text (see the class comment). */
  public static String text(Object value) {
    if (value == null) return "";
    if (value instanceof String s) return s;
    if (value instanceof Boolean b) return b ? "1" : "0";
    if (value instanceof Number n) return numberText(n);
    if (value instanceof JsonArray a) {
      StringBuilder sb = new StringBuilder();
      for (Object item : a) {
        if (sb.length() > 0) sb.append(", ");
        sb.append(text(item));
      }
      return sb.toString();
    }
    if (value instanceof JsonObject o) return o.encode();
    return String.valueOf(value);
  }

  /** Missing, null, empty text, an empty list or an unchecked box: what Airtable calls BLANK(). */
  public static boolean isBlank(Object value) {
    if (value == null) return true;
    if (value instanceof String s) return s.isEmpty();
    if (value instanceof JsonArray a) return a.isEmpty();
    if (value instanceof Boolean b) return !b;
    return false;
  }

  /** The one canonicalisation of LinkedIn URLs, shared with ingest. */
  static String canonicalKey(String url) {
    return pbwebhook.ingest.LinkedInUrl.canonicalKey(url);
  }

  private static String numberText(Number n) {
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) return n.toString();
    if (n instanceof BigDecimal bd) return plain(bd);
    double d = n.doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) return String.valueOf(d);
    return plain(BigDecimal.valueOf(d));
  }

  private static String plain(BigDecimal bd) {
    return bd.signum() == 0 ? "0" : bd.stripTrailingZeros().toPlainString();
  }

  private static int compareValues(Object a, Object b, boolean descending) {
    boolean blankA = isBlank(a) && !(a instanceof Boolean);
    boolean blankB = isBlank(b) && !(b instanceof Boolean);
    if (blankA || blankB) return blankA == blankB ? 0 : (blankA ? 1 : -1);
    int c = compareNonBlank(a, b);
    return descending ? -c : c;
  }

  private static int compareNonBlank(Object a, Object b) {
    Double na = numeric(a);
    Double nb = numeric(b);
    if (na != null && nb != null) return Double.compare(na, nb);
    if (na != null) return -1;
    if (nb != null) return 1;
    String ta = text(a);
    String tb = text(b);
    int c = String.CASE_INSENSITIVE_ORDER.compare(ta, tb);
    return c != 0 ? c : ta.compareTo(tb);
  }

  private static Double numeric(Object v) {
    if (v instanceof Number n) return n.doubleValue();
    if (v instanceof Boolean bool) return bool ? 1.0 : 0.0;
    return null;
  }
}
