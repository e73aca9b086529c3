package pbwebhook.store.airtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import pbwebhook.fakes.FakeFormula;
import pbwebhook.store.Filter;
import pbwebhook.store.schema.Leads;

class FormulaRendererTest {

  private static final String TRICKY = "O'Brien \"x\" \\ }) , OR(1=1";

  @Test
  void rendersEachFilterToItsGoldenFormula() {
    assertThat(FormulaRenderer.render(Filter.eq(Leads.SCORING_STATUS, Leads.TO_BE_SCORED)))
        .isEqualTo("{Scoring Status} = \"To Be Scored\"");
    assertThat(FormulaRenderer.render(Filter.notEq(Leads.SCORING_STATUS, Leads.SCORED)))
        .isEqualTo("{Scoring Status} != \"Scored\"");
    assertThat(FormulaRenderer.render(Filter.blank(Leads.DATE_SCORED)))
        .isEqualTo("({Date Scored} & \"\") = \"\"");
    assertThat(FormulaRenderer.render(Filter.and(Filter.eq(Leads.STATUS, "In Process"), Filter.blank(Leads.EMAIL))))
        .isEqualTo("AND({Status} = \"In Process\", ({Email} & \"\") = \"\")");
    assertThat(FormulaRenderer.render(Filter.or(Filter.eq(Leads.FIRST_NAME, "A"), Filter.not(Filter.eq(Leads.LAST_NAME, "B")))))
        .isEqualTo("OR({First Name} = \"A\", NOT({Last Name} = \"B\"))");
    assertThat(FormulaRenderer.render(Filter.and())).isEqualTo("TRUE()");
    assertThat(FormulaRenderer.render(Filter.or(List.of()))).isEqualTo("FALSE()");
  }

  @Test
  void escapesBackslashQuoteAndLineBreaksInValues() {
    assertThat(FormulaRenderer.render(Filter.eq(Leads.LAST_NAME, TRICKY)))
        .isEqualTo("{Last Name} = \"O'Brien \\\"x\\\" \\\\ }) , OR(1=1\"");
    assertThat(FormulaRenderer.render(Filter.eq(Leads.NOTES, "a\nb\tc\\")))
        .isEqualTo("{Notes} = \"a\\nb\\tc\\\\\"");
    assertThat(FormulaRenderer.render(Filter.eq(Leads.NOTES, null))).isEqualTo("{Notes} = \"\"");
  }

  @Test
  void refusesFieldNamesThatCannotBeReferenced() {
    assertThatThrownBy(() -> FormulaRenderer.render(Filter.eq("Bad}Name", "x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bad}Name");
    assertThatThrownBy(() -> FormulaRenderer.render(Filter.blank("")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rendersUrlKeyAsCanonicalisingExpression() {
    assertThat(FormulaRenderer.render(Filter.urlKeyEq(Leads.LINKEDIN_PROFILE_URL, "linkedin.com/in/jane")))
        .isEqualTo("REGEX_REPLACE(REGEX_REPLACE(REGEX_REPLACE(REGEX_REPLACE(LOWER(TRIM({LinkedIn Profile URL} & \"\")),"
            + " \"^https?://\", \"\"), \"^www[.]\", \"\"), \"[?#].*$\", \"\"), \"/$\", \"\") = \"linkedin.com/in/jane\"");
    assertThat(FormulaRenderer.render(Filter.urlKeyEq(Leads.LINKEDIN_PROFILE_URL, "linkedin.com/profile/view?id=123")))
        .contains("\"[&#].*$\"").endsWith(" = \"linkedin.com/profile/view?id=123\"");
  }

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource(delimiter = '|', value = {
      "https://www.LinkedIn.com/in/Jane/                 | linkedin.com/in/jane                 | true",
      "'  http://linkedin.com/in/jane?trk=abc#top  '     | linkedin.com/in/jane                 | true",
      "linkedin.com/in/jane                              | linkedin.com/in/jane                 | true",
      "HTTPS://WWW.LINKEDIN.COM/IN/JANE#about            | linkedin.com/in/jane                 | true",
      "https://www.linkedin.com/in/janet                 | linkedin.com/in/jane                 | false",
      "https://www.linkedin.com/in/jane//                | linkedin.com/in/jane                 | false",
      "https://uk.linkedin.com/in/jane                   | linkedin.com/in/jane                 | false",
      "https://www.linkedin.com/profile/view?id=123      | linkedin.com/profile/view?id=123     | true",
      "http://linkedin.com/profile/view?id=123&trk=x#a   | linkedin.com/profile/view?id=123     | true",
      "https://www.linkedin.com/profile/view?id=1234     | linkedin.com/profile/view?id=123     | false",
      "https://www.linkedin.com/profile/view?id=456      | linkedin.com/profile/view?id=123     | false",
  })
  void urlKeyFormulaCanonicalisesTheStoredUrl(String stored, String key, boolean expected) {
    String formula = FormulaRenderer.render(Filter.urlKeyEq(Leads.LINKEDIN_PROFILE_URL, key));
    assertThat(FakeFormula.parse(formula).matches(new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, stored)))
        .isEqualTo(expected);
  }

  @Test
  void blankMatchesMissingEmptyTextAndEmptyListButNotZero() {
    FakeFormula blank = FakeFormula.parse(FormulaRenderer.render(Filter.blank(Leads.AI_SCORE)));

    assertThat(blank.matches(new JsonObject())).isTrue();
    assertThat(blank.matches(new JsonObject().put(Leads.AI_SCORE, ""))).isTrue();
    assertThat(blank.matches(new JsonObject().put(Leads.AI_SCORE, new JsonArray()))).isTrue();
    assertThat(blank.matches(new JsonObject().put(Leads.AI_SCORE, 0))).isFalse();
    assertThat(blank.matches(new JsonObject().put(Leads.AI_SCORE, "x"))).isFalse();
  }

  @Test
  void injectionValuesAreComparedLiterally() {
    FakeFormula tricky = FakeFormula.parse(FormulaRenderer.render(Filter.eq(Leads.LAST_NAME, TRICKY)));
    FakeFormula breakout = FakeFormula.parse(FormulaRenderer.render(Filter.eq(Leads.LAST_NAME, "x\") , OR(1=1, \"")));

    assertThat(tricky.fieldRefs()).containsExactly(Leads.LAST_NAME);
    assertThat(tricky.matches(new JsonObject().put(Leads.LAST_NAME, TRICKY))).isTrue();
    assertThat(tricky.matches(new JsonObject().put(Leads.LAST_NAME, "O'Brien"))).isFalse();
    assertThat(breakout.matches(new JsonObject().put(Leads.LAST_NAME, "Smith"))).isFalse();
    assertThat(breakout.matches(new JsonObject())).isFalse();
  }

  @Test
  void anEmptyUrlKeyRendersAsMatchingNothing() {
    assertThat(FormulaRenderer.render(Filter.urlKeyEq(Leads.LINKEDIN_PROFILE_URL, ""))).isEqualTo("FALSE()");
  }
}
