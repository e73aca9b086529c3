package pbwebhook.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import pbwebhook.store.schema.Leads;

/**
 * What every {@link RecordStore} must do, whatever is behind it. A subclass supplies a store
 * whose base is empty at the start of each test (a fresh store per test is simplest).
 * Calls are awaited from the JUnit thread, never from an event loop.
 */
public abstract class RecordStoreContract {

  protected static final String TABLE = Leads.TABLE;
  protected static final String URL = Leads.LINKEDIN_PROFILE_URL;
  protected static final String FIRST = Leads.FIRST_NAME;
  protected static final String LAST = Leads.LAST_NAME;
  protected static final String SCORE = Leads.AI_SCORE;
  protected static final String STATUS = Leads.SCORING_STATUS;
  protected static final String EMAIL = Leads.EMAIL;

  protected abstract RecordStore store();

  protected abstract String baseId();

  protected static <T> T await(Future<T> f) {
    try {
      return f.await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("store call did not complete in time", e);
    }
  }

  protected static JsonObject lead(String url, String first, String last) {
    return new JsonObject().put(URL, url).put(FIRST, first).put(LAST, last);
  }

  protected List<Record> create(JsonObject... fields) {
    return await(store().create(baseId(), TABLE, List.of(fields)));
  }

  protected List<Record> listAll(ListQuery q) {
    return await(store().listAll(baseId(), TABLE, q));
  }

  private static StoreException.Kind kindOf(Throwable t) {
    return ((StoreException) t).kind();
  }

  @Test
  void createdRecordReadsBackWithIdAndCreatedTime() {
    Record created = create(lead("https://linkedin.com/in/ann", "Ann", "Lee").put(SCORE, 72)).get(0);

    Record read = await(store().get(baseId(), TABLE, created.id()));

    assertThat(created.id()).matches("rec[A-Za-z0-9]{14}");
    assertThat(created.createdTime()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(read.id()).isEqualTo(created.id());
    assertThat(read.createdTime()).isEqualTo(created.createdTime());
    assertThat(read.string(FIRST)).isEqualTo("Ann");
    assertThat(read.fields().getInteger(SCORE)).isEqualTo(72);
  }

  @Test
  void getOfUnknownRecordIsNotFound() {
    create(lead("https://linkedin.com/in/ann", "Ann", "Lee"));

    assertThatThrownBy(() -> await(store().get(baseId(), TABLE, "recAAAAAAAAAAAAAA")))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(StoreException.Kind.NOT_FOUND))
        .hasMessageContaining("recAAAAAAAAAAAAAA");
  }

  @Test
  void listPagesThroughEveryRecordExactlyOnce() {
    List<String> createdIds = new ArrayList<>();
    for (int batch = 0; batch < 25; batch++) {
      int b = batch;
      List<JsonObject> fields = IntStream.range(0, 10)
          .mapToObj(i -> lead("https://linkedin.com/in/p" + (b * 10 + i), "P", "N" + (b * 10 + i))).toList();
      await(store().create(baseId(), TABLE, fields)).forEach(r -> createdIds.add(r.id()));
    }

    List<Integer> pageSizes = new ArrayList<>();
    List<String> seen = new ArrayList<>();
    String offset = null;
    do {
      Page page = await(store().list(baseId(), TABLE, ListQuery.all().withOffset(offset)));
      pageSizes.add(page.records().size());
      page.records().forEach(r -> seen.add(r.id()));
      offset = page.offset();
    } while (offset != null && pageSizes.size() < 10);

    assertThat(pageSizes).containsExactly(100, 100, 50);
    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(createdIds);
    assertThat(listAll(ListQuery.all())).hasSize(250);
  }

  @Test
  void smallerPageSizeIsHonoured() {
    for (int i = 0; i < 3; i++) create(lead("https://linkedin.com/in/a" + i, "A", "B"), lead("https://linkedin.com/in/b" + i, "A", "B"));

    Page first = await(store().list(baseId(), TABLE, ListQuery.all().withPageSize(4)));
    Page second = await(store().list(baseId(), TABLE, ListQuery.all().withPageSize(4).withOffset(first.offset())));

    assertThat(first.records()).hasSize(4);
    assertThat(first.offset()).isNotNull();
    assertThat(second.records()).hasSize(2);
    assertThat(second.offset()).isNull();
  }

  @Test
  void bogusOffsetIsRejected() {
    create(lead("https://linkedin.com/in/ann", "Ann", "Lee"));

    assertThatThrownBy(() -> await(store().list(baseId(), TABLE, ListQuery.all().withOffset("not-an-offset"))))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(kindOf(e)).isIn(StoreException.Kind.INVALID_REQUEST, StoreException.Kind.INVALID_VALUE));
  }

  @Test
  void filtersSelectTheMatchingRecords() {
    create(
        lead("https://linkedin.com/in/a", "Ann", "Lee").put(STATUS, Leads.TO_BE_SCORED).put(EMAIL, "ann@x.io"),
        lead("https://linkedin.com/in/b", "Bob", "Lee").put(STATUS, Leads.SCORED),
        lead("https://linkedin.com/in/c", "Cy", "Ray").put(STATUS, Leads.TO_BE_SCORED),
        lead("https://linkedin.com/in/d", "Di", "Ray"));

    assertThat(firstNames(Filter.eq(STATUS, Leads.TO_BE_SCORED))).containsExactlyInAnyOrder("Ann", "Cy");
    assertThat(firstNames(Filter.notEq(STATUS, Leads.SCORED))).containsExactlyInAnyOrder("Ann", "Cy", "Di");
    assertThat(firstNames(Filter.blank(EMAIL))).containsExactlyInAnyOrder("Bob", "Cy", "Di");
    assertThat(firstNames(Filter.blank(STATUS))).containsExactly("Di");
    assertThat(firstNames(Filter.and(Filter.eq(LAST, "Ray"), Filter.eq(STATUS, Leads.TO_BE_SCORED)))).containsExactly("Cy");
    assertThat(firstNames(Filter.or(Filter.eq(FIRST, "Bob"), Filter.eq(FIRST, "Di")))).containsExactlyInAnyOrder("Bob", "Di");
    assertThat(firstNames(Filter.not(Filter.eq(LAST, "Lee")))).containsExactlyInAnyOrder("Cy", "Di");
    assertThat(firstNames(Filter.eq(FIRST, "Nobody"))).isEmpty();
  }

  @Test
  void urlKeyFilterMatchesTheProfileHoweverItWasSpelt() {
    create(lead("https://www.LinkedIn.com/in/Jane/", "Jane", "Doe"), lead("https://www.linkedin.com/in/janet", "Janet", "Doe"));

    assertThat(firstNames(Filter.urlKeyEq(URL, "linkedin.com/in/jane"))).containsExactly("Jane");
  }

  @Test
  void filterValuesAreMatchedLiterallyNeverAsFormulaSyntax() {
    String tricky = "O'Brien \"x\" \\ }) , OR(1=1";
    create(lead("https://linkedin.com/in/o", "Tricky", tricky), lead("https://linkedin.com/in/p", "Plain", "Smith"));

    assertThat(firstNames(Filter.eq(LAST, tricky))).containsExactly("Tricky");
    assertThat(firstNames(Filter.eq(LAST, "x\") , OR(1=1, \""))).isEmpty();
  }

  @Test
  void sortsAscendingAndDescending() {
    create(
        lead("https://linkedin.com/in/a", "Ann", "Lee").put(SCORE, 40),
        lead("https://linkedin.com/in/b", "Bob", "Lee").put(SCORE, 90),
        lead("https://linkedin.com/in/c", "Cy", "Lee").put(SCORE, 7));

    assertThat(listAll(ListQuery.all().withSort(Sort.asc(SCORE)))).extracting(r -> r.string(FIRST))
        .containsExactly("Cy", "Ann", "Bob");
    assertThat(listAll(ListQuery.all().withSort(Sort.desc(SCORE)))).extracting(r -> r.string(FIRST))
        .containsExactly("Bob", "Ann", "Cy");
    assertThat(listAll(ListQuery.all().withSort(Sort.asc(FIRST)))).extracting(r -> r.string(FIRST))
        .containsExactly("Ann", "Bob", "Cy");
  }

  @Test
  void fieldsProjectionReturnsOnlyTheAskedFields() {
    create(lead("https://linkedin.com/in/a", "Ann", "Lee").put(SCORE, 40));

    Record r = listAll(ListQuery.all().withFields(List.of(FIRST, SCORE))).get(0);

    assertThat(r.fields().fieldNames()).containsExactlyInAnyOrder(FIRST, SCORE);
    assertThat(r.id()).isNotBlank();
  }

  @Test
  void maxRecordsCapsTheListing() {
    for (int i = 0; i < 2; i++) {
      int b = i;
      await(store().create(baseId(), TABLE, IntStream.range(0, 10)
          .mapToObj(n -> lead("https://linkedin.com/in/m" + (b * 10 + n), "M", "N")).toList()));
    }

    Page page = await(store().list(baseId(), TABLE, ListQuery.all().withMaxRecords(5)));
    List<Record> paged = listAll(ListQuery.all().withPageSize(3).withMaxRecords(7));

    assertThat(page.records()).hasSize(5);
    assertThat(page.offset()).isNull();
    assertThat(paged).hasSize(7).extracting(Record::id).doesNotHaveDuplicates();
  }

  @Test
  void updateChangesOnlyTheGivenFieldsAndNullRemovesOne() {
    Record r = create(lead("https://linkedin.com/in/a", "Ann", "Lee").put(EMAIL, "ann@x.io").put(SCORE, 40)).get(0);
    JsonObject patch = new JsonObject().put(SCORE, 55).putNull(EMAIL);

    Record updated = await(store().update(baseId(), TABLE, List.of(new Record(r.id(), null, patch)))).get(0);
    Record read = await(store().get(baseId(), TABLE, r.id()));

    for (Record x : List.of(updated, read)) {
      assertThat(x.id()).isEqualTo(r.id());
      assertThat(x.fields().getInteger(SCORE)).isEqualTo(55);
      assertThat(x.string(FIRST)).isEqualTo("Ann");
      assertThat(x.string(URL)).isEqualTo("https://linkedin.com/in/a");
      assertThat(x.string(EMAIL)).isNull();
    }
    assertThat(read.createdTime()).isEqualTo(r.createdTime());
  }

  @Test
  void updateOfUnknownRecordIsNotFoundAndChangesNothing() {
    Record r = create(lead("https://linkedin.com/in/a", "Ann", "Lee")).get(0);
    List<Record> patches = List.of(
        new Record(r.id(), null, new JsonObject().put(FIRST, "Changed")),
        new Record("recBBBBBBBBBBBBBB", null, new JsonObject().put(FIRST, "X")));

    assertThatThrownBy(() -> await(store().update(baseId(), TABLE, patches)))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(kindOf(e)).isEqualTo(StoreException.Kind.NOT_FOUND))
        .hasMessageContaining("recBBBBBBBBBBBBBB");
    assertThat(await(store().get(baseId(), TABLE, r.id())).string(FIRST)).isEqualTo("Ann");
  }

  @Test
  void writesOfMoreThanTenRecordsAreRejected() {
    List<JsonObject> eleven = IntStream.range(0, 11).mapToObj(i -> lead("https://linkedin.com/in/x" + i, "X", "Y")).toList();
    List<Record> elevenRecords = IntStream.range(0, 11)
        .mapToObj(i -> new Record("recCCCCCCCCCCCC" + (10 + i), null, new JsonObject())).toList();

    for (Future<?> f : List.<Future<?>>of(
        store().create(baseId(), TABLE, eleven),
        store().upsert(baseId(), TABLE, eleven, List.of(URL)),
        store().update(baseId(), TABLE, elevenRecords))) {
      assertThatThrownBy(() -> await(f))
          .isInstanceOf(StoreException.class)
          .satisfies(e -> assertThat(kindOf(e)).isEqualTo(StoreException.Kind.INVALID_REQUEST));
    }
    assertThat(listAll(ListQuery.all())).isEmpty();
  }

  @Test
  void upsertUpdatesTheMatchingRecordAndCreatesTheRest() {
    Record existing = create(lead("https://linkedin.com/in/a", "Ann", "Lee").put(EMAIL, "ann@x.io")).get(0);

    UpsertResult result = await(store().upsert(baseId(), TABLE, List.of(
        new JsonObject().put(URL, "https://linkedin.com/in/a").put(FIRST, "Annie"),
        lead("https://linkedin.com/in/b", "Bob", "Ray")), List.of(URL)));

    assertThat(result.updatedIds()).containsExactly(existing.id());
    assertThat(result.createdIds()).hasSize(1).doesNotContain(existing.id());
    assertThat(result.records()).extracting(Record::id).containsExactly(existing.id(), result.createdIds().get(0));
    Record updated = await(store().get(baseId(), TABLE, existing.id()));
    assertThat(updated.string(FIRST)).isEqualTo("Annie");
    assertThat(updated.string(EMAIL)).isEqualTo("ann@x.io");
    assertThat(listAll(ListQuery.all())).hasSize(2);
  }

  @Test
  void upsertMatchesOnEveryMergeFieldExactly() {
    create(lead("https://linkedin.com/in/a", "Ann", "Lee"));

    UpsertResult result = await(store().upsert(baseId(), TABLE, List.of(
        lead("https://linkedin.com/in/a", "Ann", "Other"),
        lead("https://linkedin.com/in/A", "Ann", "Lee")), List.of(URL, LAST)));

    assertThat(result.createdIds()).hasSize(2);
    assertThat(result.updatedIds()).isEmpty();
    assertThat(listAll(ListQuery.all())).hasSize(3);
  }

  @Test
  void recordIdsAreUnique() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      int b = i;
      await(store().create(baseId(), TABLE, IntStream.range(0, 10)
          .mapToObj(n -> lead("https://linkedin.com/in/u" + b + n, "U", "V")).toList())).forEach(r -> ids.add(r.id()));
    }
    assertThat(ids).hasSize(50);
  }

  private List<String> firstNames(Filter f) {
    return listAll(ListQuery.where(f)).stream().map(r -> r.string(FIRST)).toList();
  }
}
