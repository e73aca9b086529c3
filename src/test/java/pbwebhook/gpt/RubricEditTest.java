package pbwebhook.gpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RubricEditTest {

  static final String EDITABLE = "Max Points, Instructions, Examples, Signals, Min To Qualify, Penalty, Disqualifying, Active";

  @Test
  void theOldBodyAndAFieldMapAreBothRead() {
    assertThat(RubricEdit.fields(new JsonObject().put("fieldName", "Max Points").put("value", 7)))
        .isEqualTo(new JsonObject().put("Max Points", 7));
    JsonObject several = new JsonObject().put("Instructions", "Founders only.").put("Examples", "").put("Signals", "ceo")
        .put("Min To Qualify", 2).put("Penalty", -4).put("Disqualifying", true).put("Active", false);
    assertThat(RubricEdit.fields(several)).isEqualTo(several);
  }

  @Test
  void anyOtherFieldIsRefusedByName() {
    assertThatThrownBy(() -> RubricEdit.fields(new JsonObject().put("fieldName", "Heading").put("value", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("field \"Heading\" is not editable here; editable fields: " + EDITABLE);
    assertThatThrownBy(() -> RubricEdit.fields(new JsonObject().put("Max Points", 3).put("Attribute Id", "Z")
        .put("Category", "Negative")))
        .hasMessage("fields \"Attribute Id\", \"Category\" are not editable here; editable fields: " + EDITABLE);
  }

  @Test
  void valuesMustHaveTheFieldsType() {
    assertThatThrownBy(() -> RubricEdit.fields(new JsonObject().put("Max Points", "seven")))
        .hasMessage("Max Points must be a number, not the string \"seven\"");
    assertThatThrownBy(() -> RubricEdit.fields(new JsonObject().put("Min To Qualify", -1)))
        .hasMessage("Min To Qualify must not be negative, not -1");
    assertThatThrownBy(() -> RubricEdit.fields(new JsonObject().put("Instructions", 5)))
        .hasMessage("Instructions must be a string, not 5");
    assertThatThrownBy(() -> RubricEdit.fields(new JsonObject().put("Disqualifying", "yes")))
        .hasMessage("Disqualifying must be true or false, not the string \"yes\"");
    assertThatThrownBy(() -> RubricEdit.fields(new JsonObject().put("Signals", new JsonArray())))
        .hasMessage("Signals must be a string, not a JSON array");
    assertThatThrownBy(() -> RubricEdit.fields(new JsonObject().put("fieldName", "Penalty")))
        .hasMessage("value is required");
    assertThatThrownBy(() -> RubricEdit.fields(new JsonObject()))
        .hasMessageStartingWith("nothing to change");
  }
}
