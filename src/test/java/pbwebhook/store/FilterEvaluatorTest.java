package pbwebhook.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pbwebhook.store.schema.Leads;

class FilterEvaluatorTest {

  private static final String URL = Leads.LINKEDIN_PROFILE_URL;
  private static final String SCORE = Leads.AI_SCORE;
  private static final String STATUS = Leads.SCORING_STATUS;
  private static final String EXCLUDED = Leads.AI_EXCLUDED;
  private static final String NAME = Leads.LAST_NAME;

  private static final JsonObject LEAD = new JsonObject()
      .put(URL, "https://www.LinkedIn.com/in/Jane/")
      .put(SCORE, 85.0)
      .put(STATUS, Leads.TO_BE_SCORED)
      .put(EXCLUDED, false)
      .put(NAME, "O'Brien \"x\" \\ }) , OR(1=1")
      .put(Leads.EMAIL, "")
      .put(Leads.NOTES, new JsonArray())
      .put(Leads.PHONE, (Object) null);

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("Eq on text", Filter.eq(STATUS, Leads.TO_BE_SCORED), true),
        Arguments.of("Eq is case-sensitive", Filter.eq(STATUS, "to be scored"), false),
        Arguments.of("Eq renders an integral number without .0", Filter.eq(SCORE, "85"), true),
        Arguments.of("Eq does not match 85.0 text", Filter.eq(SCORE, "85.0"), false),
        Arguments.of("Eq on a value full of formula syntax is literal", Filter.eq(NAME, "O'Brien \"x\" \\ }) , OR(1=1"), true),
        Arguments.of("Eq with formula syntax does not match everything", Filter.eq(STATUS, "x\" , OR(1=1"), false),
        Arguments.of("Eq on a missing field equals empty text", Filter.eq(Leads.HEADLINE, ""), true),
        Arguments.of("Eq unchecked box is 0", Filter.eq(EXCLUDED, "0"), true),
        Arguments.of("NotEq on different value", Filter.notEq(STATUS, Leads.SCORED), true),
        Arguments.of("NotEq on same value", Filter.notEq(STATUS, Leads.TO_BE_SCORED), false),
        Arguments.of("NotEq: a blank field differs from any value", Filter.notEq(Leads.HEADLINE, Leads.SCORED), true),
        Arguments.of("Blank: missing field", Filter.blank(Leads.HEADLINE), true),
        Arguments.of("Blank: null field", Filter.blank(Leads.PHONE), true),
        Arguments.of("Blank: empty text", Filter.blank(Leads.EMAIL), true),
        Arguments.of("Blank: empty list", Filter.blank(Leads.NOTES), true),
        Arguments.of("Blank: unchecked box", Filter.blank(EXCLUDED), true),
        Arguments.of("Blank: a number is not blank", Filter.blank(SCORE), false),
        Arguments.of("UrlKeyEq matches however the URL was spelt", Filter.urlKeyEq(URL, "linkedin.com/in/jane"), true),
        Arguments.of("UrlKeyEq on another profile", Filter.urlKeyEq(URL, "linkedin.com/in/janet"), false),
        Arguments.of("UrlKeyEq on a blank field never matches", Filter.urlKeyEq(Leads.HEADLINE, ""), false),
        Arguments.of("And: all true", Filter.and(Filter.eq(SCORE, "85"), Filter.blank(Leads.EMAIL)), true),
        Arguments.of("And: one false", Filter.and(Filter.eq(SCORE, "85"), Filter.blank(STATUS)), false),
        Arguments.of("Or: one true", Filter.or(Filter.eq(SCORE, "1"), Filter.blank(Leads.EMAIL)), true),
        Arguments.of("Or: none true", Filter.or(Filter.eq(SCORE, "1"), Filter.blank(STATUS)), false),
        Arguments.of("Not", Filter.not(Filter.blank(STATUS)), true),
        Arguments.of("No filter matches everything", null, true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void evaluatesFilters(String name, Filter filter, boolean expected) {
    assertThat(FilterEvaluator.matches(filter, LEAD)).isEqualTo(expected);
  }

  static Stream<Arguments> texts() {
    return Stream.of(
        Arguments.of("abc", "abc"),
        Arguments.of(85, "85"),
        Arguments.of(85.0, "85"),
        Arguments.of(8.5, "8.5"),
        Arguments.of(0.0, "0"),
        Arguments.of(1e20, "100000000000000000000"),
        Arguments.of(true, "1"),
        Arguments.of(false, "0"),
        Arguments.of(new JsonArray().add("a").add(2), "a, 2"),
        Arguments.of(null, ""));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("texts")
  void rendersValuesAsFormulaText(Object value, String expected) {
    assertThat(FilterEvaluator.text(value)).isEqualTo(expected);
  }

  static Stream<Arguments> urls() {
    return Stream.of(
        Arguments.of("https://www.LinkedIn.com/in/Jane/", "linkedin.com/in/jane"),
        Arguments.of("http://linkedin.com/in/jane", "linkedin.com/in/jane"),
        Arguments.of("  linkedin.com/in/jane/  ", "linkedin.com/in/jane"),
        Arguments.of("https://www.linkedin.com/in/jane?trk=abc#about", "linkedin.com/in/jane"),
        Arguments.of("https://www.linkedin.com/in/jane/#x", "linkedin.com/in/jane"),
        Arguments.of("https://www.linkedin.com/profile/view?id=123", "linkedin.com/profile/view?id=123"),
        Arguments.of("https://linkedin.com/profile/view?trk=x&id=456&a=b#f", "linkedin.com/profile/view?id=456"),
        Arguments.of("https://www.linkedin.com/profile/view", "linkedin.com/profile/view"),
        Arguments.of("", ""));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("urls")
  void canonicalisesLinkedInUrls(String url, String key) {
    assertThat(FilterEvaluator.canonicalKey(url)).isEqualTo(key);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sorts")
  void sortsRecords(String name, List<Sort> sorts, List<String> expectedIds) {
    List<Record> records = new java.util.ArrayList<>(List.of(
        rec("a", new JsonObject().put(SCORE, 9).put(NAME, "beta")),
        rec("b", new JsonObject().put(SCORE, 85.5).put(NAME, "Alpha")),
        rec("c", new JsonObject().put(NAME, "")),
        rec("d", new JsonObject().put(SCORE, 10).put(NAME, "alpha2")),
        rec("e", new JsonObject().put(SCORE, 9).put(NAME, "Gamma"))));
    records.sort(FilterEvaluator.comparator(sorts));
    assertThat(records).extracting(Record::id).containsExactlyElementsOf(expectedIds);
  }

  static Stream<Arguments> sorts() {
    return Stream.of(
        Arguments.of("numbers ascending numerically, blanks last", List.of(Sort.asc(SCORE)), List.of("a", "e", "d", "b", "c")),
        Arguments.of("numbers descending, blanks still last", List.of(Sort.desc(SCORE)), List.of("b", "d", "a", "e", "c")),
        Arguments.of("text case-insensitively", List.of(Sort.asc(NAME)), List.of("b", "d", "a", "e", "c")),
        Arguments.of("second sort breaks ties", List.of(Sort.asc(SCORE), Sort.desc(NAME)), List.of("e", "a", "d", "b", "c")),
        Arguments.of("no sort keeps the order", List.of(), List.of("a", "b", "c", "d", "e")));
  }

  private static Record rec(String id, JsonObject fields) {
    return new Record(id, "2024-01-01T00:00:00.000Z", fields);
  }

  @org.junit.jupiter.api.Test
  void anEmptyUrlKeyNeverMatchesEvenAStoredUrlWithNothingAfterTheScheme() {
    io.vertx.core.json.JsonObject bare = new io.vertx.core.json.JsonObject().put(URL, "https://");
    org.assertj.core.api.Assertions.assertThat(FilterEvaluator.matches(Filter.urlKeyEq(URL, ""), bare)).isFalse();
  }
}
