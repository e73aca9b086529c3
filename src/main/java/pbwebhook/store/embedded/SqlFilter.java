package pbwebhook.store.embedded;

import java.util.ArrayList;
import java.util.List;
import pbwebhook.store.Filter;
import pbwebhook.store.FilterEvaluator;
import pbwebhook.store.Sort;
import pbwebhook.store.embedded.KeyColumns.KeyColumn;
import pbwebhook.store.embedded.KeyColumns.Kind;

/**
 * A typed {@link Filter} or a list of {@link Sort}s as SQL over the {@code records} table, with the same
 * answers as {@link FilterEvaluator}: fields with a key column compare that indexed column, any other field
 * goes through the {@link SqlFunctions}. Values are always bound parameters, never SQL text. Every condition
 * is true or false, never NULL, so NOT means exactly "does not match".
 */
final class SqlFilter {

  private final StringBuilder sql = new StringBuilder();
  private final List<Object> params = new ArrayList<>();

  private SqlFilter() {}

  /**
   * SQL text and its parameters, in order. {@code seekThenSort}: the condition is an OR of indexed lookups, so
   * SQLite should seek each in its index and sort the few matches, rather than walk the creation-order index.
   */
  record Clause(String sql, List<Object> params, boolean seekThenSort) {}

  static Clause where(Filter f) {
    SqlFilter out = new SqlFilter();
    out.append(f);
    return new Clause(out.sql.toString(), out.params, !anchored(f) && orOfLookups(f));
  }

  /** True when a match needs an indexed equality that SQLite can seek (directly or in an AND). */
  private static boolean anchored(Filter f) {
    if (f instanceof Filter.Eq eq) return KeyColumns.find(eq.field(), Kind.TEXT) != null && eq.value() != null;
    if (f instanceof Filter.UrlKeyEq u) return KeyColumns.find(u.field(), Kind.URL_KEY) != null && !u.key().isEmpty();
    if (f instanceof Filter.Blank b) return KeyColumns.find(b.field(), Kind.BLANK) != null;
    if (f instanceof Filter.Not not && not.filter() instanceof Filter.Blank b) return anchored(b);
    if (f instanceof Filter.And and) return and.all().stream().anyMatch(SqlFilter::anchored);
    return false;
  }

  /** True when every alternative of an OR (directly or in an AND) is anchored. */
  private static boolean orOfLookups(Filter f) {
    if (f instanceof Filter.Or or) {
      return !or.any().isEmpty() && or.any().stream().allMatch(c -> anchored(c) || orOfLookups(c));
    }
    if (f instanceof Filter.And and) return and.all().stream().anyMatch(SqlFilter::orOfLookups);
    return false;
  }

  /** ORDER BY terms for the sorts (blank values last in either direction), then creation order. */
  static Clause orderBy(List<Sort> sorts) {
    // each term is followed by ", ": the caller ends the list with creation order
    SqlFilter out = new SqlFilter();
    for (Sort s : sorts) {
      String dir = s.descending() ? " DESC" : " ASC";
      String v = out.value(s.field());
      out.sql.append(SqlFunctions.SORT_BLANK).append('(').append(v).append(") ASC, ");
      out.sql.append(SqlFunctions.SORT_NUMBER).append('(').append(out.value(s.field())).append(") IS NULL").append(dir).append(", ");
      out.sql.append(SqlFunctions.SORT_NUMBER).append('(').append(out.value(s.field())).append(')').append(dir).append(", ");
      out.sql.append(SqlFunctions.TEXT).append('(').append(out.value(s.field())).append(") COLLATE ")
          .append(SqlFunctions.NOCASE).append(dir).append(", ");
      out.sql.append(SqlFunctions.TEXT).append('(').append(out.value(s.field())).append(')').append(dir).append(", ");
    }
    return new Clause(out.sql.toString(), out.params, false);
  }

  private void append(Filter f) {
    if (f == null) {
      sql.append("1");
    } else if (f instanceof Filter.Eq eq) {
      compare(eq.field(), "=", eq.value());
    } else if (f instanceof Filter.NotEq ne) {
      compare(ne.field(), "<>", ne.value());
    } else if (f instanceof Filter.Blank b) {
      KeyColumn c = KeyColumns.find(b.field(), Kind.BLANK);
      if (c != null) sql.append(c.column()).append(" = 1");
      else sql.append(SqlFunctions.BLANK).append('(').append(value(b.field())).append(") = 1");
    } else if (f instanceof Filter.UrlKeyEq u) {
      if (u.key().isEmpty()) {
        // an empty key never matches a stored lead
        sql.append("0");
        return;
      }
      KeyColumn c = KeyColumns.find(u.field(), Kind.URL_KEY);
      if (c != null) sql.append(c.column());
      else sql.append(SqlFunctions.URL_KEY).append('(').append(value(u.field())).append(')');
      sql.append(" = ?");
      params.add(u.key());
    } else if (f instanceof Filter.And and) {
      group(and.all(), " AND ", "1");
    } else if (f instanceof Filter.Or or) {
      group(or.any(), " OR ", "0");
    } else if (f instanceof Filter.Not not && not.filter() instanceof Filter.Blank b
        && KeyColumns.find(b.field(), Kind.BLANK) != null) {
      // the column holds 0 or 1: "not blank" as an equality the index can seek
      sql.append(KeyColumns.find(b.field(), Kind.BLANK).column()).append(" = 0");
    } else if (f instanceof Filter.Not not) {
      sql.append("NOT (");
      append(not.filter());
      sql.append(')');
    } else {
      throw new IllegalArgumentException("unknown filter " + f);
    }
  }

  private void group(List<Filter> parts, String op, String empty) {
    if (parts.isEmpty()) {
      sql.append(empty);
      return;
    }
    sql.append('(');
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) sql.append(op);
      append(parts.get(i));
    }
    sql.append(')');
  }

  private void compare(String field, String op, String value) {
    if (value == null) {
      // no field's text equals null
      sql.append(op.equals("=") ? "0" : "1");
      return;
    }
    KeyColumn c = KeyColumns.find(field, Kind.TEXT);
    if (c != null) sql.append(c.column());
    else sql.append(SqlFunctions.TEXT).append('(').append(value(field)).append(')');
    sql.append(' ').append(op).append(" ?");
    params.add(value);
  }

  /** SQL for the field's JSON text (NULL when missing), with the field name bound as a parameter. */
  private String value(String field) {
    if (field.indexOf('"') >= 0 || field.indexOf('\\') >= 0) {
      // a JSON path cannot quote these: read the field from the decoded document instead
      params.add(field);
      return SqlFunctions.FIELD + "(fields, ?)";
    }
    params.add("$.\"" + field + "\"");
    return "(fields -> ?)";
  }
}
