package pbwebhook.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.store.Filter;
import pbwebhook.store.FilterEvaluator;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Page;
import pbwebhook.store.Record;
import pbwebhook.store.Sort;
import pbwebhook.store.UpsertResult;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.Leads;

/** The embedded store's SQL: same answers as {@link FilterEvaluator}, indexed lookups, migration of old files. */
@ExtendWith(VertxExtension.class)
class EmbeddedStoreSqlTest {

  private static final String BASE = "appSqlBase";
  private static final String STATUS = Leads.SCORING_STATUS;
  private static final String NOTES = Leads.NOTES;

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private EmbeddedStore store;

  @BeforeEach
  void open(Vertx vertx) {
    this.vertx = vertx;
    this.store = new EmbeddedStore(vertx, dataDir);
  }

  @AfterEach
  void close() {
    await(store.close());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("store call did not complete in time", e);
    }
  }

  /** Every kind of value a field can hold, on a key-column field (Scoring Status) and on a plain one (Notes). */
  private static final List<Object> VALUES = List.of("Scored", "scored", "", 5, 5.0, 5.5, -12, true, false,
      new JsonArray().add("a").add("b"), new JsonArray(), new JsonArray().add(""), new JsonArray().add(3).add(true),
      new JsonObject().put("k", 1), "O'Brien \"x\" \\ )", "Ünïcode");

  @Test
  void everyFilterSelectsExactlyWhatTheEvaluatorSelects() {
    List<JsonObject> rows = new ArrayList<>();
    for (Object v : VALUES) rows.add(new JsonObject().put(STATUS, v).put(NOTES, v).put(Leads.FIRST_NAME, "v" + rows.size()));
    rows.add(new JsonObject().put(Leads.FIRST_NAME, "missing"));
    List<Record> all = new ArrayList<>();
    for (List<JsonObject> batch : pbwebhook.store.RecordStore.batches(rows)) all.addAll(await(store.create(BASE, Leads.TABLE, batch)));

    List<Filter> filters = new ArrayList<>();
    for (String field : List.of(STATUS, NOTES)) {
      for (String text : List.of("Scored", "scored", "", "5", "5.5", "-12", "1", "0", "a, b", "3, 1", "{\"k\":1}",
          "O'Brien \"x\" \\ )", "Ünïcode")) {
        filters.add(Filter.eq(field, text));
        filters.add(Filter.notEq(field, text));
      }
      filters.add(Filter.blank(field));
      filters.add(Filter.not(Filter.blank(field)));
    }
    filters.add(Filter.or(Filter.eq(STATUS, "5"), Filter.and(Filter.blank(NOTES), Filter.not(Filter.eq(NOTES, "0")))));

    for (Filter f : filters) {
      List<String> expected = all.stream().filter(r -> FilterEvaluator.matches(f, r.fields())).map(Record::id).toList();
      List<String> actual = await(store.listAll(BASE, Leads.TABLE, ListQuery.where(f))).stream().map(Record::id).toList();
      assertThat(actual).as(f.toString()).isEqualTo(expected);
    }
    // spot checks with literal answers
    assertThat(firstNames(Filter.eq(NOTES, "5"))).containsExactly("v3", "v4");
    assertThat(firstNames(Filter.eq(STATUS, "1"))).containsExactly("v7");
    assertThat(firstNames(Filter.eq(STATUS, ""))).containsExactly("v2", "v10", "v11", "missing");
    assertThat(firstNames(Filter.blank(NOTES))).containsExactly("v2", "v8", "v10", "missing");
  }

  @Test
  void sortsOrderExactlyAsTheEvaluatorOrders() {
    List<JsonObject> rows = new ArrayList<>();
    for (Object v : VALUES) rows.add(new JsonObject().put(NOTES, v).put(Leads.FIRST_NAME, "v" + rows.size()));
    rows.add(new JsonObject().put(Leads.FIRST_NAME, "missing"));
    rows.add(new JsonObject().put(NOTES, "apple").put(Leads.FIRST_NAME, "apple"));
    rows.add(new JsonObject().put(NOTES, "Banana").put(Leads.FIRST_NAME, "Banana"));
    List<Record> all = new ArrayList<>();
    for (List<JsonObject> batch : pbwebhook.store.RecordStore.batches(rows)) all.addAll(await(store.create(BASE, Leads.TABLE, batch)));

    for (Sort s : List.of(Sort.asc(NOTES), Sort.desc(NOTES))) {
      List<String> expected = all.stream().sorted(FilterEvaluator.comparator(List.of(s))).map(Record::id).toList();
      List<String> actual = await(store.listAll(BASE, Leads.TABLE, ListQuery.all().withSort(s).withPageSize(4)))
          .stream().map(Record::id).toList();
      assertThat(actual).as(s.toString()).isEqualTo(expected);
    }
  }

  @Test
  void aListingResumesAtItsNextRecordWhenEarlierRecordsLeaveTheFilter() {
    List<Record> leads = new ArrayList<>();
    for (int b = 0; b < 3; b++) {
      List<JsonObject> batch = new ArrayList<>();
      for (int i = 0; i < 10; i++) batch.add(new JsonObject().put(Leads.FIRST_NAME, "p" + (b * 10 + i)).put(STATUS, Leads.TO_BE_SCORED));
      leads.addAll(await(store.create(BASE, Leads.TABLE, batch)));
    }
    ListQuery toScore = ListQuery.where(Filter.eq(STATUS, Leads.TO_BE_SCORED)).withPageSize(10);

    Page first = await(store.list(BASE, Leads.TABLE, toScore));
    // the first page is scored before the second is read, as a scoring run does
    await(store.update(BASE, Leads.TABLE, first.records().stream()
        .map(r -> new Record(r.id(), null, new JsonObject().put(STATUS, Leads.SCORED))).toList()));
    Page second = await(store.list(BASE, Leads.TABLE, toScore.withOffset(first.offset())));

    assertThat(second.records()).extracting(r -> r.string(Leads.FIRST_NAME))
        .containsExactly("p10", "p11", "p12", "p13", "p14", "p15", "p16", "p17", "p18", "p19");
    assertThat(second.offset()).isNotNull();
  }

  @Test
  void theServersLookupsUseAnIndexNeverAFullScan() throws Exception {
    await(store.create(BASE, Leads.TABLE, List.of(new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://linkedin.com/in/a"))));
    List<Filter> lookups = List.of(
        // the upsert merge lookup, as LeadIngestor merges
        Filter.and(Filter.eq(Leads.LINKEDIN_PROFILE_URL, "https://linkedin.com/in/a")),
        Filter.urlKeyEq(Leads.LINKEDIN_PROFILE_URL, "linkedin.com/in/a"),
        Filter.or(Filter.urlKeyEq(Leads.LINKEDIN_PROFILE_URL, "linkedin.com/in/a"),
            Filter.urlKeyEq(Leads.LINKEDIN_PROFILE_URL, "linkedin.com/in/b")),
        Filter.eq(STATUS, Leads.TO_BE_SCORED),
        Filter.or(Filter.eq(STATUS, Leads.FAILED_API_ERROR), Filter.eq(STATUS, Leads.FAILED_PARSE_ERROR)),
        Filter.and(Filter.not(Filter.blank(Leads.POSTS_CONTENT)), Filter.blank(Leads.DATE_POSTS_SCORED)),
        Filter.eq(Clients.CLIENT_ID, "acme"));
    BaseFile file = new BaseFile(dataDir.resolve(BASE + ".sqlite"));
    try {
      for (Filter f : lookups) {
        SqlFilter.Clause where = SqlFilter.where(f);
        SqlFilter.Clause order = SqlFilter.orderBy(List.of());
        List<String> plan = file.queryPlan(BaseFile.selectSql(where, order),
            BaseFile.selectParams(Leads.TABLE, where, order, 0, 0, 101));
        assertThat(plan).as(f + " → " + plan).isNotEmpty()
            .noneMatch(step -> step.startsWith("SCAN"))
            .anyMatch(step -> step.startsWith("SEARCH records USING") && !step.contains("records_tbl"));
      }
      // the unfiltered listing pages along the creation-order index
      SqlFilter.Clause none = SqlFilter.where(null);
      SqlFilter.Clause order = SqlFilter.orderBy(List.of());
      assertThat(file.queryPlan(BaseFile.selectSql(none, order), BaseFile.selectParams(Leads.TABLE, none, order, 0, 0, 101)))
          .noneMatch(step -> step.startsWith("SCAN") || step.contains("TEMP B-TREE"));
      assertThat(file.queryPlan("SELECT seq FROM records WHERE id = ? AND tbl = ?", List.of("recX", Leads.TABLE)))
          .allMatch(step -> step.startsWith("SEARCH records USING INDEX sqlite_autoindex_records_1"));
    } finally {
      file.close();
    }
  }

  @Test
  void aFileOfThePreviousFormatIsMigratedWhenOpened() throws Exception {
    Path file = dataDir.resolve("appOldFormat.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath()); Statement st = c.createStatement()) {
      // the layout before key columns, exactly as the previous version created it
      st.execute("CREATE TABLE IF NOT EXISTS records (tbl TEXT NOT NULL, id TEXT PRIMARY KEY, "
          + "created_time TEXT NOT NULL, seq INTEGER NOT NULL, fields TEXT NOT NULL)");
      st.execute("CREATE INDEX IF NOT EXISTS records_tbl ON records (tbl, seq)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO records VALUES (?, ?, ?, ?, ?)")) {
        Object[][] rows = {
            {"recOLD00000000001", new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.LinkedIn.com/in/Jane/")
                .put(Leads.FIRST_NAME, "Jane").put(STATUS, Leads.TO_BE_SCORED)},
            {"recOLD00000000002", new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://linkedin.com/in/bob")
                .put(Leads.FIRST_NAME, "Bob").put(STATUS, Leads.SCORED).put(Leads.POSTS_CONTENT, "[{}]")},
            {"recOLD00000000003", new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://linkedin.com/in/cy")
                .put(Leads.FIRST_NAME, "Cy").put(STATUS, Leads.TO_BE_SCORED)}};
        for (int i = 0; i < rows.length; i++) {
          ps.setString(1, Leads.TABLE);
          ps.setString(2, (String) rows[i][0]);
          ps.setString(3, "2025-01-0" + (i + 1) + "T10:00:00.000Z");
          ps.setLong(4, i + 1);
          ps.setString(5, ((JsonObject) rows[i][1]).encode());
          ps.executeUpdate();
        }
      }
    }

    String base = "appOldFormat";
    assertThat(firstNames(base, Filter.eq(STATUS, Leads.TO_BE_SCORED))).containsExactly("Jane", "Cy");
    assertThat(firstNames(base, Filter.urlKeyEq(Leads.LINKEDIN_PROFILE_URL, "linkedin.com/in/jane"))).containsExactly("Jane");
    assertThat(firstNames(base, Filter.and(Filter.not(Filter.blank(Leads.POSTS_CONTENT)), Filter.blank(Leads.DATE_POSTS_SCORED))))
        .containsExactly("Bob");
    UpsertResult up = await(store.upsert(base, Leads.TABLE, List.of(new JsonObject()
        .put(Leads.LINKEDIN_PROFILE_URL, "https://linkedin.com/in/bob").put(Leads.FIRST_NAME, "Robert")), List.of(Leads.LINKEDIN_PROFILE_URL)));
    Record later = await(store.create(base, Leads.TABLE, List.of(new JsonObject().put(Leads.FIRST_NAME, "Di")))).get(0);

    assertThat(up.updatedIds()).containsExactly("recOLD00000000002");
    assertThat(await(store.get(base, Leads.TABLE, "recOLD00000000001")).createdTime()).isEqualTo("2025-01-01T10:00:00.000Z");
    assertThat(await(store.listAll(base, Leads.TABLE, ListQuery.all().withPageSize(2)))).extracting(Record::id)
        .containsExactly("recOLD00000000001", "recOLD00000000002", "recOLD00000000003", later.id());
    await(store.close());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath()); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(BaseFile.SCHEMA_VERSION);
    }
    // opened again, the migrated file reads the same
    store = new EmbeddedStore(vertx, dataDir);
    assertThat(firstNames(base, Filter.eq(STATUS, Leads.TO_BE_SCORED))).containsExactly("Jane", "Cy");
    assertThat(firstNames(base, Filter.eq(Leads.FIRST_NAME, "Robert"))).containsExactly("Robert");
  }

  private List<String> firstNames(Filter f) {
    return firstNames(BASE, f);
  }

  private List<String> firstNames(String base, Filter f) {
    return await(store.listAll(base, Leads.TABLE, ListQuery.where(f))).stream().map(r -> r.string(Leads.FIRST_NAME)).toList();
  }
}
