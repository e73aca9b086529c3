package pbwebhook.store.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import pbwebhook.fakes.AirtableBases;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.StoreException;
import pbwebhook.store.airtable.AirtableOptions;
import pbwebhook.store.airtable.AirtableStore;

/** OptionalFieldsStore over the Airtable store, against a fake Airtable base with exactly the old schema. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OptionalFieldsStoreTest {

  private static final String KEY = "patOPTIONAL-key.0123456789";
  private static final String BASE = "appOldSchemaBase1";
  private static final String MASTER = "appOldMasterBase1";

  private FakeAirtable fake;
  private AirtableStore airtable;
  private final AtomicLong now = new AtomicLong(1_000_000);
  private OptionalFieldsStore store;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    fake = new FakeAirtable(vertx, KEY);
    int port = fake.start().await(10, TimeUnit.SECONDS);
    fake.rateLimit(1000);
    AirtableBases.oldSchemaClientBase(fake, BASE);
    AirtableBases.master(fake, MASTER);
    airtable = new AirtableStore(vertx, AirtableOptions.defaults(KEY).withEndpointUrl("http://127.0.0.1:" + port)
        .withRequestsPerSecondPerBase(1000).withTokenRequestsPerSecond(1000));
    store = new OptionalFieldsStore(airtable, now::get, 60_000);
  }

  @AfterEach
  void stop() throws Exception {
    airtable.close().await(10, TimeUnit.SECONDS);
    fake.close().await(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.await(30, TimeUnit.SECONDS);
  }

  private String lead(String url) {
    return fake.insert(BASE, Leads.TABLE, new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, url));
  }

  private JsonObject fieldsOf(String recordId) {
    return fake.records(BASE, Leads.TABLE).stream().filter(r -> r.getString("id").equals(recordId)).findFirst()
        .orElseThrow().getJsonObject("fields");
  }

  @Test
  void aMissingOptionalFieldIsLeftOutOnceLearnedAndTheRestIsWritten() throws Exception {
    String a = lead("https://www.linkedin.com/in/a");
    String b = lead("https://www.linkedin.com/in/b");

    List<Record> written = await(store.update(BASE, Leads.TABLE, List.of(new Record(a, null, new JsonObject()
        .put(Leads.POSTS_CONTENT, "[]").put(Leads.POSTS_JSON_STATUS, "Parsed")))));
    assertThat(written).hasSize(1);
    assertThat(fieldsOf(a)).isEqualTo(new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/a")
        .put(Leads.POSTS_CONTENT, "[]"));
    assertThat(fake.unknownFieldAnswers()).isEqualTo(Map.of(Leads.POSTS_JSON_STATUS, 1));
    assertThat(store.missingOptionalFields(BASE)).isEqualTo(Map.of(Leads.TABLE, List.of(Leads.POSTS_JSON_STATUS)));

    int before = fake.requests(BASE);
    await(store.update(BASE, Leads.TABLE, List.of(new Record(b, null, new JsonObject()
        .put(Leads.POSTS_CONTENT, "[1]").put(Leads.POSTS_JSON_STATUS, "Parsed")))));
    assertThat(fieldsOf(b).getString(Leads.POSTS_CONTENT)).isEqualTo("[1]");
    assertThat(fake.requests(BASE) - before).as("one request, the field already left out").isEqualTo(1);
    assertThat(fake.unknownFieldAnswers()).isEqualTo(Map.of(Leads.POSTS_JSON_STATUS, 1));

    // a write of nothing but missing optional fields sends nothing
    before = fake.requests(BASE);
    List<Record> none = await(store.update(BASE, Leads.TABLE, List.of(new Record(b, null,
        new JsonObject().put(Leads.POSTS_JSON_STATUS, "Failed")))));
    assertThat(none).containsExactly(new Record(b, null, new JsonObject()));
    assertThat(fake.requests(BASE)).isEqualTo(before);
  }

  @Test
  void createsUpsertsAndListsNamingTheMissingFieldWorkToo() throws Exception {
    List<Record> created = await(store.create(BASE, Leads.TABLE, List.of(new JsonObject()
        .put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/c").put(Leads.POSTS_JSON_STATUS, "Parsed"))));
    assertThat(created.get(0).fields().getString(Leads.LINKEDIN_PROFILE_URL)).isEqualTo("https://www.linkedin.com/in/c");

    var upserted = await(store.upsert(BASE, Leads.TABLE, List.of(new JsonObject()
        .put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/c").put(Leads.FIRST_NAME, "Cee")
        .put(Leads.POSTS_JSON_STATUS, "Parsed")), List.of(Leads.LINKEDIN_PROFILE_URL)));
    assertThat(upserted.updatedIds()).containsExactly(created.get(0).id());

    List<Record> listed = await(store.listAll(BASE, Leads.TABLE, ListQuery.all()
        .withFields(List.of(Leads.LINKEDIN_PROFILE_URL, Leads.FIRST_NAME, Leads.POSTS_JSON_STATUS))));
    assertThat(listed).extracting(Record::fields).containsExactly(new JsonObject()
        .put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/c").put(Leads.FIRST_NAME, "Cee"));
    assertThat(fake.unknownFieldAnswers()).isEqualTo(Map.of(Leads.POSTS_JSON_STATUS, 1));
  }

  @Test
  void aMissingFieldOfTheOldSchemaIsStillAnError() throws Exception {
    fake.createTable(BASE, Leads.TABLE, Set.of(Leads.LINKEDIN_PROFILE_URL));
    StoreException e = (StoreException) store.create(BASE, Leads.TABLE, List.of(new JsonObject()
            .put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/d").put(Leads.AI_SCORE, 50)))
        .transform(ar -> Future.succeededFuture(ar.cause())).await(30, TimeUnit.SECONDS);
    assertThat(e.kind()).isEqualTo(StoreException.Kind.INVALID_FIELD);
    assertThat(e.getMessage()).contains("\"AI Score\"");
    assertThat(store.missingOptionalFields(BASE)).isEmpty();
  }

  @Test
  void aFormulaNamingAMissingOptionalFieldFailsAtOnceWithoutRetries() throws Exception {
    int before = fake.requests(BASE);
    Throwable e = store.listAll(BASE, Leads.TABLE, ListQuery.where(pbwebhook.store.Filter.eq(Leads.POSTS_JSON_STATUS, "Failed")))
        .transform(ar -> Future.succeededFuture(ar.cause())).await(30, TimeUnit.SECONDS);
    assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.INVALID_FIELD);
    assertThat(e.getMessage()).contains("Posts JSON Status");
    assertThat(fake.requests(BASE) - before).isEqualTo(1);
    assertThat(store.missingOptionalFields(BASE)).isEmpty();
  }

  @Test
  void aMissingOptionalTableIsSkippedAndRemembered() throws Exception {
    JsonObject summary = new JsonObject().put(ExecutionSummary.EXECUTION_ID, "run-1");
    assertThat(await(store.create(MASTER, ExecutionSummary.TABLE, List.of(summary)))).isEmpty();
    assertThat(store.missingOptionalTables(MASTER)).containsExactly(ExecutionSummary.TABLE);
    int before = fake.requests(MASTER);
    assertThat(await(store.create(MASTER, ExecutionSummary.TABLE, List.of(summary)))).isEmpty();
    assertThat(fake.requests(MASTER)).as("not asked again").isEqualTo(before);

    // once the operator adds the table (with only some fields), the next try after the re-check writes what it can
    fake.createTable(MASTER, ExecutionSummary.TABLE, Set.of(ExecutionSummary.EXECUTION_ID));
    now.addAndGet(60_000);
    await(store.create(MASTER, ExecutionSummary.TABLE, List.of(summary.copy().put(ExecutionSummary.TOKENS_USED, 12))));
    assertThat(fake.records(MASTER, ExecutionSummary.TABLE)).extracting(r -> r.getJsonObject("fields"))
        .containsExactly(new JsonObject().put(ExecutionSummary.EXECUTION_ID, "run-1"));
    assertThat(store.missingOptionalTables(MASTER)).isEmpty();
    assertThat(store.missingOptionalFields(MASTER))
        .isEqualTo(Map.of(ExecutionSummary.TABLE, List.of(ExecutionSummary.TOKENS_USED)));
  }

  @Test
  void theSchemaTeachesWhatIsMissingAndForgetsWhatWasAdded() throws Exception {
    await(store.tableFields(BASE));
    assertThat(store.missingOptionalFields(BASE)).isEqualTo(Map.of(Leads.TABLE, List.of(Leads.POSTS_JSON_STATUS)));
    String a = lead("https://www.linkedin.com/in/e");
    await(store.update(BASE, Leads.TABLE, List.of(new Record(a, null, new JsonObject().put(Leads.POSTS_JSON_STATUS, "Parsed")
        .put(Leads.NOTES, "n")))));
    assertThat(fake.unknownFieldAnswers()).as("learned from the schema, never refused").isEmpty();

    Set<String> withStatus = new java.util.LinkedHashSet<>(AirtableBases.OLD_LEADS_FIELDS);
    withStatus.add(Leads.POSTS_JSON_STATUS);
    fake.createTable(BASE, Leads.TABLE, withStatus);
    String f = lead("https://www.linkedin.com/in/f");
    await(store.tableFields(BASE));
    assertThat(store.missingOptionalFields(BASE)).isEmpty();
    await(store.update(BASE, Leads.TABLE, List.of(new Record(f, null, new JsonObject().put(Leads.POSTS_JSON_STATUS, "Parsed")))));
    assertThat(fieldsOf(f).getString(Leads.POSTS_JSON_STATUS)).isEqualTo("Parsed");
  }

  @Test
  void afterTheRecheckTimeTheFieldIsTriedAgain() throws Exception {
    String a = lead("https://www.linkedin.com/in/g");
    JsonObject write = new JsonObject().put(Leads.POSTS_CONTENT, "[]").put(Leads.POSTS_JSON_STATUS, "Parsed");
    await(store.update(BASE, Leads.TABLE, List.of(new Record(a, null, write))));
    now.addAndGet(59_999);
    await(store.update(BASE, Leads.TABLE, List.of(new Record(a, null, write))));
    assertThat(fake.unknownFieldAnswers()).isEqualTo(Map.of(Leads.POSTS_JSON_STATUS, 1));
    now.addAndGet(1);
    await(store.update(BASE, Leads.TABLE, List.of(new Record(a, null, write))));
    assertThat(fake.unknownFieldAnswers()).isEqualTo(Map.of(Leads.POSTS_JSON_STATUS, 2));
    assertThat(store.missingOptionalFields(BASE)).isEqualTo(Map.of(Leads.TABLE, List.of(Leads.POSTS_JSON_STATUS)));
  }

  /** The embedded store's bases are made by this server with every field: nothing is ever left out there. */
  @Test
  void onTheEmbeddedStoreEveryOptionalFieldAndTableIsWritten(Vertx vertx, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    pbwebhook.store.embedded.EmbeddedStore embedded = new pbwebhook.store.embedded.EmbeddedStore(vertx, dir);
    try {
      OptionalFieldsStore wrapped = new OptionalFieldsStore(embedded);
      Record lead = await(wrapped.create("appEmbedded", Leads.TABLE, List.of(new JsonObject()
          .put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/h").put(Leads.POSTS_JSON_STATUS, "Failed")))).get(0);
      await(wrapped.create("appEmbeddedMaster", ExecutionSummary.TABLE, List.of(new JsonObject()
          .put(ExecutionSummary.EXECUTION_ID, "run-2").put(ExecutionSummary.ESTIMATED_COST_USD, 0.5))));

      assertThat(await(wrapped.get("appEmbedded", Leads.TABLE, lead.id())).string(Leads.POSTS_JSON_STATUS)).isEqualTo("Failed");
      assertThat(await(wrapped.listAll("appEmbeddedMaster", ExecutionSummary.TABLE, ListQuery.all())))
          .extracting(r -> r.fields().getValue(ExecutionSummary.ESTIMATED_COST_USD)).containsExactly(0.5);
      assertThat(await(wrapped.tableFields("appEmbedded"))).isNull();
      assertThat(wrapped.missingOptionalFields("appEmbedded")).isEmpty();
      assertThat(wrapped.missingOptionalTables("appEmbeddedMaster")).isEmpty();
      // what the store can do shows through the wrapper: without cheapLookups, ingest would hold a whole-table
      // index in memory (found by EmbeddedScaleBench running out of its 256 MB heap)
      assertThat(embedded.cheapLookups()).isTrue();
      assertThat(wrapped.cheapLookups()).isTrue();
      assertThat(wrapped.unwrap()).isSameAs(embedded);
      assertThat(wrapped.minRequestIntervalMs("appEmbedded")).isEqualTo(embedded.minRequestIntervalMs("appEmbedded"));
    } finally {
      embedded.close().await(10, TimeUnit.SECONDS);
    }
  }
}
