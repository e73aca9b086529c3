package pbwebhook.store.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import pbwebhook.fakes.AirtableBases;

class OptionalSchemaTest {

  @Test
  void theOldLeadsFieldsAreExactlyThoseOfSystemMdSection2() {
    assertThat(OptionalSchema.OLD.get(Leads.TABLE)).containsExactlyInAnyOrderElementsOf(AirtableBases.OLD_LEADS_FIELDS);
  }

  @Test
  void onlyWhatThisServerAddsIsOptional() {
    assertThat(OptionalSchema.optionalField(Leads.TABLE, Leads.POSTS_JSON_STATUS)).isTrue();
    assertThat(OptionalSchema.optionalField(ExecutionSummary.TABLE, ExecutionSummary.ESTIMATED_COST_USD)).isTrue();
    assertThat(OptionalSchema.optionalField(ExecutionSummary.TABLE, ExecutionSummary.EXECUTION_ID)).isTrue();
    assertThat(OptionalSchema.optionalField(Leads.TABLE, Leads.AI_SCORE)).isFalse();
    assertThat(OptionalSchema.optionalField(Leads.TABLE, Leads.NOTES)).isFalse();
    assertThat(OptionalSchema.optionalField(Clients.TABLE, Clients.EXECUTION_LOG)).isFalse();
    assertThat(OptionalSchema.optionalField("Renamed Attributes", "Heading")).as("a table it does not know").isFalse();
    OptionalSchema.ADDED_FIELDS.forEach((table, fields) ->
        assertThat(OptionalSchema.OLD.get(table)).doesNotContainAnyElementsOf(fields));
  }
}
