package pbwebhook.fakes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import pbwebhook.store.StoreException;
import pbwebhook.store.airtable.AirtableMetadataClient;
import pbwebhook.store.airtable.AirtableOptions;
import pbwebhook.store.airtable.AirtableStore;
import pbwebhook.store.schema.FieldSpec;

/** The fake's metadata write endpoints refuse what Airtable refuses, through the server's own metadata client. */
class FakeAirtableMetadataTest {

  private static final String KEY = "patMETA.0123456789";
  private static final String WORKSPACE = "wspTestWorkspace1";

  private Vertx vertx;
  private FakeAirtable fake;
  private AirtableStore store;
  private AirtableMetadataClient meta;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    fake = new FakeAirtable(vertx, KEY);
    fake.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    fake.createWorkspace(WORKSPACE);
    fake.penaltyMillis(1000);
    // Paced at Airtable's 5 requests a second per base, as the server is.
    store = new AirtableStore(vertx, new AirtableOptions(fake.url(), KEY, FakeAirtable.DEFAULT_RATE_LIMIT, 50, 1, 5_000,
        AirtableOptions.DEFAULT_MAX_QUEUE_PER_BASE, 0));
    meta = store.metadata();
  }

  @AfterEach
  void stop() throws Exception {
    store.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private StoreException refusal(Future<?> f) {
    Throwable t = catchThrowable(() -> await(f));
    assertThat(t).hasCauseInstanceOf(StoreException.class);
    return (StoreException) t.getCause();
  }

  private String newBase() throws Exception {
    Map<String, List<FieldSpec>> tables = new LinkedHashMap<>();
    tables.put("Leads", List.of(FieldSpec.text("Name"), FieldSpec.number("Score", 2)));
    return await(meta.createBase(WORKSPACE, "Test base", tables));
  }

  @Test
  void aBaseTableAndFieldAreCreatedWithTheirTypesAndOptions() throws Exception {
    String baseId = newBase();
    assertThat(baseId).matches("app[A-Za-z0-9]{14}");
    JsonObject table = await(meta.createTable(baseId, "Rubric", List.of(FieldSpec.text("Id"), FieldSpec.checkbox("Flag"))));
    assertThat(table.getString("name")).isEqualTo("Rubric");
    JsonObject field = await(meta.createField(baseId, table.getString("id"), "Rubric", FieldSpec.date("When")));
    assertThat(field.getString("type")).isEqualTo("date");

    JsonObject listed = await(meta.tables(baseId));
    assertThat(listed.getJsonArray("tables").stream().map(t -> ((JsonObject) t).getString("name")).toList())
        .containsExactly("Leads", "Rubric");
    Map<String, JsonObject> rubric = fake.fieldDefinitions(baseId, "Rubric");
    assertThat(rubric.keySet()).containsExactly("Id", "Flag", "When");
    assertThat(rubric.get("Flag").getJsonObject("options"))
        .isEqualTo(new JsonObject().put("icon", "check").put("color", "greenBright"));
    assertThat(fake.fieldDefinitions(baseId, "Leads").get("Score").getJsonObject("options"))
        .isEqualTo(new JsonObject().put("precision", 2));
  }

  @Test
  void typesWithoutTheirOptionsAndDuplicateNamesAreRefusedWith422() throws Exception {
    String baseId = newBase();
    String leads = fake.tableNames(baseId).iterator().next();

    StoreException noPrecision = refusal(meta.createField(baseId, leads, leads, new FieldSpec("N", "number", null)));
    assertThat(noPrecision.getMessage()).contains("INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE")
        .contains("options.precision");
    StoreException noIcon = refusal(meta.createField(baseId, leads, leads,
        new FieldSpec("C", "checkbox", new JsonObject().put("color", "greenBright"))));
    assertThat(noIcon.getMessage()).contains("INVALID_FIELD_TYPE_OPTIONS_FOR_CREATE");
    StoreException noChoices = refusal(meta.createField(baseId, leads, leads, new FieldSpec("S", "singleSelect", null)));
    assertThat(noChoices.getMessage()).contains("options.choices");
    StoreException duplicateField = refusal(meta.createField(baseId, leads, leads, FieldSpec.longText("score")));
    assertThat(duplicateField.getMessage()).contains("DUPLICATE_OR_EMPTY_FIELD_NAME");
    StoreException duplicateTable = refusal(meta.createTable(baseId, "leads", List.of(FieldSpec.text("X"))));
    assertThat(duplicateTable.getMessage()).contains("DUPLICATE_TABLE_NAME");
    StoreException checkboxPrimary = refusal(meta.createTable(baseId, "Flags", List.of(FieldSpec.checkbox("On"))));
    assertThat(checkboxPrimary.getMessage()).contains("INVALID_FIELD_TYPE_FOR_PRIMARY");
    StoreException unknownWorkspace = refusal(meta.createBase("wspNobody", "B", Map.of("T", List.of(FieldSpec.text("A")))));
    assertThat(unknownWorkspace.kind()).isEqualTo(StoreException.Kind.NOT_FOUND);

    // Nothing refused was created.
    assertThat(fake.tableNames(baseId)).containsExactly("Leads");
    assertThat(fake.fieldDefinitions(baseId, "Leads").keySet()).containsExactly("Name", "Score");
  }
}
