package pbwebhook.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pbwebhook.ai.LeadInput;
import pbwebhook.ai.Rubric;
import pbwebhook.store.Record;

class LeadChunkPlannerTest {

  static final Rubric RUBRIC = RubricParser.fromRecords(DefaultRubric.scoringAttributeRows().stream()
      .map(f -> new Record(null, null, f)).toList());

  static List<LeadInput> leads(int n) {
    List<LeadInput> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new LeadInput("rec" + String.format("%014d", i), new JsonObject().put("headline", "Founder")
          .put("about", "x".repeat(396))));
    }
    return out;
  }

  /** Each lead here is about 110 estimated tokens; the budget is the fixed part plus room for some leads. */
  @ParameterizedTest(name = "{0} leads, room for {1}, at most {2} a call -> {3}")
  @CsvSource({
      "10, 100, 55, 10",
      "10, 3,   55, 3|3|3|1",
      "10, 100, 4,  4|4|2",
      "3,  0,   55, 1|1|1",
      "0,  5,   55, ''",
  })
  void packsAsManyLeadsAsFitTheBudgetUpToTheCap(int n, int room, int cap, String sizes) {
    List<LeadInput> in = leads(n);
    int perLead = LeadChunkPlanner.leadTokens(in.isEmpty() ? leads(1).get(0) : in.get(0));
    int budget = LeadChunkPlanner.fixedTokens(RUBRIC) + room * perLead;
    List<List<LeadInput>> chunks = LeadChunkPlanner.plan(RUBRIC, in, budget, cap);
    assertThat(chunks.stream().map(c -> String.valueOf(c.size())).toList())
        .isEqualTo(sizes.isEmpty() ? List.of() : List.of(sizes.split("\\|")));
    assertThat(chunks.stream().flatMap(List::stream).toList()).isEqualTo(in);
  }
}
