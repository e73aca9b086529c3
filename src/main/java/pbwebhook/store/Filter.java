package pbwebhook.store;

import java.util.List;

/**
 * A typed record filter. Values are data, never formula text: the Airtable store renders them
 * with escaping, the embedded store evaluates them itself.
 */
public sealed interface Filter {

  /** Field's value (as text) equals the value exactly. */
  record Eq(String field, String value) implements Filter {}

  /** Field's value (as text) differs from the value (a blank field differs from any non-blank value). */
  record NotEq(String field, String value) implements Filter {}

  /** Field is missing, empty text, or an empty list. */
  record Blank(String field) implements Filter {}

  /**
   * Field holds a LinkedIn profile URL whose canonical key (see {@code LinkedInUrl}) equals the key.
   * Used to match leads however the URL was spelt when it was stored.
   */
  record UrlKeyEq(String field, String key) implements Filter {}

  record And(List<Filter> all) implements Filter {}

  record Or(List<Filter> any) implements Filter {}

  record Not(Filter filter) implements Filter {}

  static Filter eq(String field, String value) { return new Eq(field, value); }
  static Filter notEq(String field, String value) { return new NotEq(field, value); }
  static Filter blank(String field) { return new Blank(field); }
  static Filter urlKeyEq(String field, String key) { return new UrlKeyEq(field, key); }
  static Filter and(Filter... all) { return new And(List.of(all)); }
  static Filter or(Filter... any) { return new Or(List.of(any)); }
  static Filter or(List<Filter> any) { return new Or(List.copyOf(any)); }
  static Filter not(Filter f) { return new Not(f); }
}
