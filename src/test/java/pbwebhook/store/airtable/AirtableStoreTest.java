package pbwebhook.store.airtable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Page;
import pbwebhook.store.Record;
import pbwebhook.store.Sort;
import pbwebhook.store.StoreException;
import pbwebhook.store.StoreException.Kind;
import pbwebhook.store.UpsertResult;
import pbwebhook.store.schema.Leads;

/** AirtableStore against the fake Airtable at Airtable's real limits (5 requests/s per base). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AirtableStoreTest {

  private static final String KEY = "patSECRET-key.f00dfeedc0ffee";
  private static final String BASE = "appLeadsBase0001";
  private static final String OTHER_BASE = "appOtherBase0002";
  private static final String URL = Leads.LINKEDIN_PROFILE_URL;
  private static final String FIRST = Leads.FIRST_NAME;
  private static final String LAST = Leads.LAST_NAME;
  private static final String SCORE = Leads.AI_SCORE;
  private static final Set<String> LEAD_FIELDS = Set.of(URL, FIRST, LAST, SCORE, Leads.SCORING_STATUS, Leads.EMAIL);

  private Vertx vertx;
  private FakeAirtable fake;
  private AirtableOptions options;
  private AirtableStore store;

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    fake = new FakeAirtable(vertx, KEY);
    int port = await(fake.start());
    fake.createTable(BASE, Leads.TABLE, LEAD_FIELDS);
    fake.createTable(OTHER_BASE, Leads.TABLE, LEAD_FIELDS);
    fake.numberField(BASE, Leads.TABLE, SCORE);
    options = AirtableOptions.defaults(KEY).withEndpointUrl("http://127.0.0.1:" + port).withTimeoutMs(5_000);
    store = new AirtableStore(vertx, options);
  }

  @AfterEach
  void stop() {
    await(store.close());
    await(fake.close());
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(45, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("call did not complete in time", e);
    }
  }

  private static JsonObject lead(String url, String first, String last) {
    return new JsonObject().put(URL, url).put(FIRST, first).put(LAST, last);
  }

  private void seed(int n) {
    for (int i = 0; i < n; i++) fake.insert(BASE, Leads.TABLE, lead("https://linkedin.com/in/p" + i, "P" + i, "N").put(SCORE, i));
  }

  /** Waits (at most 5 s) for the store's first 429. */
  private static void awaitRateLimited(AirtableStore s) throws InterruptedException {
    long started = System.nanoTime();
    while (s.stats().rateLimitResponses() == 0 && System.nanoTime() - started < 5_000_000_000L) {
      Thread.sleep(5);
    }
    assertThat(s.stats().rateLimitResponses()).as("a 429 within 5 s").isEqualTo(1);
  }

  private StoreException failure(Future<?> f) {
    try {
      await(f);
    } catch (StoreException e) {
      return e;
    }
    throw new AssertionError("expected the call to fail");
  }

  // ---- records API ----

  @Test
  void listsTwoHundredFiftyRecordsInPagesOfAHundredWithFilterSortAndProjection() {
    seed(250);

    List<Integer> sizes = new ArrayList<>();
    String offset = null;
    do {
      Page p = await(store.list(BASE, Leads.TABLE, ListQuery.all().withOffset(offset)));
      sizes.add(p.records().size());
      offset = p.offset();
    } while (offset != null);
    List<Record> top = await(store.listAll(BASE, Leads.TABLE, ListQuery.where(Filter.notEq(LAST, "X"))
        .withSort(Sort.desc(SCORE)).withFields(List.of(FIRST, SCORE)).withMaxRecords(3)));

    assertThat(sizes).containsExactly(100, 100, 50);
    assertThat(top).extracting(r -> r.string(FIRST)).containsExactly("P249", "P248", "P247");
    assertThat(top.get(0).fields().fieldNames()).containsExactlyInAnyOrder(FIRST, SCORE);
  }

  @Test
  void upsertReportsCreatedAndUpdatedIds() {
    String existing = fake.insert(BASE, Leads.TABLE, lead("https://linkedin.com/in/a", "Ann", "Lee"));

    UpsertResult r = await(store.upsert(BASE, Leads.TABLE, List.of(
        new JsonObject().put(URL, "https://linkedin.com/in/a").put(SCORE, 80),
        lead("https://linkedin.com/in/b", "Bob", "Ray")), List.of(URL)));

    assertThat(r.updatedIds()).containsExactly(existing);
    assertThat(r.createdIds()).hasSize(1);
    assertThat(fake.records(BASE, Leads.TABLE)).hasSize(2);
    assertThat(await(store.get(BASE, Leads.TABLE, existing)).fields())
        .isEqualTo(lead("https://linkedin.com/in/a", "Ann", "Lee").put(SCORE, 80));
  }

  @Test
  void injectionStringRoundTripsLiterallyThroughFilterByFormula() {
    String tricky = "O'Brien \"x\" \\ }) , OR(1=1";
    await(store.create(BASE, Leads.TABLE, List.of(lead("https://linkedin.com/in/o", "Tricky", tricky),
        lead("https://linkedin.com/in/p", "Plain", "O'Brien"))));

    List<Record> found = await(store.listAll(BASE, Leads.TABLE, ListQuery.where(Filter.eq(LAST, tricky))));

    assertThat(found).extracting(r -> r.string(LAST)).containsExactly(tricky);
  }

  @Test
  void writesOfMoreThanTenRecordsAreRefusedWithoutARequest() {
    List<JsonObject> eleven = IntStream.range(0, 11).mapToObj(i -> lead("u" + i, "F", "L")).toList();

    StoreException e = failure(store.create(BASE, Leads.TABLE, eleven));

    assertThat(e.kind()).isEqualTo(Kind.INVALID_REQUEST);
    assertThat(e).hasMessageContaining("at most 10");
    assertThat(fake.requests(BASE)).isZero();
  }

  @Test
  void everyWriteAsksForTypecastSoNewSelectOptionsAreAccepted() {
    Record r = await(store.create(BASE, Leads.TABLE, List.of(lead("u", "F", "L")))).get(0);
    await(store.update(BASE, Leads.TABLE, List.of(new Record(r.id(), null, new JsonObject().put(Leads.SCORING_STATUS, "New")))));
    await(store.upsert(BASE, Leads.TABLE, List.of(lead("u", "F", "M")), List.of(URL)));

    assertThat(fake.writes()).isEqualTo(3);
    assertThat(fake.writesWithoutTypecast()).isZero();
  }

  // ---- long formulas ----

  @Test
  void filterLongerThanTheUrlLimitGoesThroughPostListRecords() {
    seed(150);
    List<Filter> any = new ArrayList<>();
    for (int i = 0; i < 400; i++) any.add(Filter.eq(FIRST, "P" + i + "-" + "padding".repeat(3)));
    any.add(Filter.eq(LAST, "N"));

    List<Record> all = await(store.listAll(BASE, Leads.TABLE, ListQuery.where(Filter.or(any)).withSort(Sort.asc(SCORE))));

    assertThat(all).hasSize(150);
    assertThat(all.get(149).string(FIRST)).isEqualTo("P149");
    assertThat(fake.requestLog()).containsExactly("POST /v0/" + BASE + "/Leads/listRecords",
        "POST /v0/" + BASE + "/Leads/listRecords");
    assertThat(fake.longestUri()).isLessThan(200);
  }

  @Test
  void filterJustUnderTheLimitStaysAGet() {
    seed(3);
    await(store.listAll(BASE, Leads.TABLE, ListQuery.where(Filter.or(Filter.eq(FIRST, "x".repeat(5_000)), Filter.eq(FIRST, "P1")))));

    assertThat(fake.requestLog()).containsExactly("GET /v0/" + BASE + "/Leads");
    assertThat(fake.longestUri()).isBetween(5_000, AirtableStore.MAX_URL_LENGTH);
  }

  // ---- expired offsets ----

  @Test
  void listAllRestartsOnceWhenAnOffsetExpiresAndKeepsEachRecordOnce() {
    seed(250);
    fake.injectExpiredOffsets(1);

    List<Record> all = await(store.listAll(BASE, Leads.TABLE, ListQuery.all()));

    assertThat(all).hasSize(250).extracting(Record::id).doesNotHaveDuplicates();
    assertThat(fake.requests(BASE)).isEqualTo(5);
  }

  @Test
  void secondExpiryInOneListingIsReportedAsTypedError() {
    seed(250);
    fake.injectExpiredOffsets(2);

    StoreException e = failure(store.listAll(BASE, Leads.TABLE, ListQuery.all()));

    assertThat(e).isInstanceOf(OffsetExpiredException.class).hasMessageContaining("table \"Leads\" of base " + BASE);
  }

  @Test
  void offsetsExpireAfterTheirTimeToLive() throws InterruptedException {
    seed(150);
    fake.offsetTtlMillis(50);
    Page first = await(store.list(BASE, Leads.TABLE, ListQuery.all()));
    Thread.sleep(120);

    StoreException e = failure(store.list(BASE, Leads.TABLE, ListQuery.all().withOffset(first.offset())));

    assertThat(e).isInstanceOf(OffsetExpiredException.class);
  }

  // ---- typed errors ----

  @Test
  void unknownFieldOnWriteNamesTheFieldTableAndBase() {
    StoreException e = failure(store.create(BASE, Leads.TABLE, List.of(lead("u", "F", "L").put("Favourite Colour", "red"))));

    assertThat(e.kind()).isEqualTo(Kind.INVALID_FIELD);
    assertThat(e).hasMessageContaining("Unknown field \"Favourite Colour\" in table \"Leads\" of base " + BASE);
  }

  @Test
  void unknownFieldInFilterSortOrProjectionNamesTheField() {
    for (ListQuery q : List.of(ListQuery.where(Filter.eq("Colour", "red")), ListQuery.all().withSort(Sort.asc("Colour")),
        ListQuery.all().withFields(List.of(FIRST, "Colour")))) {
      StoreException e = failure(store.list(BASE, Leads.TABLE, q));
      assertThat(e.kind()).isEqualTo(Kind.INVALID_FIELD);
      assertThat(e).hasMessageContaining("Unknown field \"Colour\" in table \"Leads\" of base " + BASE);
    }
  }

  @Test
  void invalidValueNamesTheFieldAndTheValue() {
    StoreException e = failure(store.create(BASE, Leads.TABLE, List.of(lead("u", "F", "L").put(SCORE, "very high"))));

    assertThat(e.kind()).isEqualTo(Kind.INVALID_VALUE);
    assertThat(e).hasMessageContaining("\"very high\"").hasMessageContaining("field \"AI Score\"")
        .hasMessageContaining("table \"Leads\" of base " + BASE);
  }

  @Test
  void missingBaseTableAndForbiddenBaseAreNamed() {
    fake.forbidBase(OTHER_BASE);

    StoreException noBase = failure(store.list("appMissing000001", Leads.TABLE, ListQuery.all()));
    StoreException noTable = failure(store.list(BASE, "Leeds", ListQuery.all()));
    StoreException forbidden = failure(store.ping(OTHER_BASE));
    StoreException noRecord = failure(store.get(BASE, Leads.TABLE, "recDoesNotExist01"));

    assertThat(noBase.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(noBase).hasMessageContaining("appMissing000001");
    assertThat(noTable.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(noTable).hasMessageContaining("\"Leeds\"").hasMessageContaining(BASE);
    assertThat(forbidden.kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(forbidden).hasMessageContaining(OTHER_BASE);
    assertThat(noRecord.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(noRecord).hasMessageContaining("recDoesNotExist01");
  }

  @Test
  void wrongTokenIsForbiddenAndNeverQuoted() {
    String wrongKey = "patWRONG-key.0000000000";
    AirtableStore wrong = new AirtableStore(vertx, new AirtableOptions(fake.url(), wrongKey, 5, 50, 30, 5_000, 10, 0));

    StoreException e = failure(wrong.ping(BASE));

    assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(e.getMessage()).doesNotContain(wrongKey);
    assertThat(fake.unauthorized()).isEqualTo(1);
    await(wrong.close());
  }

  @Test
  void apiKeyNeverAppearsInAnyErrorMessage() {
    fake.forbidBase(OTHER_BASE);
    AirtableStore unreachable = new AirtableStore(vertx, options.withEndpointUrl("http://127.0.0.1:1").withMaxRetries(1));
    List<Future<?>> failing = new ArrayList<>(List.of(
        store.get(BASE, Leads.TABLE, "recNope000000001"),
        store.ping(OTHER_BASE),
        store.list("appMissing000001", Leads.TABLE, ListQuery.all()),
        store.create(BASE, Leads.TABLE, List.of(new JsonObject().put("Nope", 1))),
        store.list(BASE, Leads.TABLE, ListQuery.all().withOffset("itrBogus/recBogus")),
        unreachable.list(BASE, Leads.TABLE, ListQuery.all()),
        unreachable.create(BASE, Leads.TABLE, List.of(lead("u", "F", "L")))));

    for (Future<?> f : failing) {
      StoreException e = failure(f);
      assertThat(e.getMessage()).isNotBlank().doesNotContain(KEY);
      assertThat(String.valueOf(e.getCause())).doesNotContain(KEY);
    }
    assertThat(options.toString()).doesNotContain(KEY);
    await(unreachable.close());
  }

  @Test
  void connectionFailureIsRetriedThenReportedAsUnavailable() {
    AirtableStore unreachable = new AirtableStore(vertx, options.withEndpointUrl("http://127.0.0.1:1").withMaxRetries(2));

    StoreException e = failure(unreachable.list(BASE, Leads.TABLE, ListQuery.all()));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e).hasMessageContaining("table \"Leads\" of base " + BASE);
    assertThat(unreachable.stats().requestsSent()).isEqualTo(3);
    await(unreachable.close());
  }

  // ---- retries ----

  @Test
  void serverErrorsAreRetriedForReadsAndWrites() {
    String id = fake.insert(BASE, Leads.TABLE, lead("u", "Ann", "Lee"));
    fake.inject503s(2);

    Record read = await(store.get(BASE, Leads.TABLE, id));
    fake.inject503s(1);
    await(store.update(BASE, Leads.TABLE, List.of(new Record(id, null, new JsonObject().put(FIRST, "Annie")))));

    assertThat(read.string(FIRST)).isEqualTo("Ann");
    assertThat(fake.records(BASE, Leads.TABLE).get(0).getJsonObject("fields").getString(FIRST)).isEqualTo("Annie");
    assertThat(fake.serverErrorsSent()).isEqualTo(3);
    assertThat(store.stats().retries()).isEqualTo(3);
    assertThat(fake.requests(BASE)).isEqualTo(5);
  }

  @Test
  void createIsNotBlindlyRetriedAfterAServerError() {
    fake.inject503s(1);

    StoreException e = failure(store.create(BASE, Leads.TABLE, List.of(lead("u", "Ann", "Lee"))));

    assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
    assertThat(e).hasMessageContaining("503").hasMessageContaining("not retried");
    assertThat(fake.requests(BASE)).isEqualTo(1);
  }

  @Test
  void timeoutsAreRetriedForReads() {
    AirtableStore quick = new AirtableStore(vertx, options.withTimeoutMs(300));
    fake.insert(BASE, Leads.TABLE, lead("u", "Ann", "Lee"));
    fake.injectHangs(1);

    List<Record> all = await(quick.listAll(BASE, Leads.TABLE, ListQuery.all()));

    assertThat(all).hasSize(1);
    assertThat(quick.stats().serverErrors()).isEqualTo(1);
    assertThat(fake.requests(BASE)).isEqualTo(2);
    await(quick.close());
  }

  @Test
  void billingLimitIsReportedAndNotRetried() {
    fake.injectBillingLimit(1);

    StoreException e = failure(store.list(BASE, Leads.TABLE, ListQuery.all()));

    assertThat(e.kind()).isEqualTo(Kind.BILLING_LIMIT);
    assertThat(e.transientFailure()).isFalse();
    assertThat(e).hasMessageContaining(BASE).hasMessageContaining("PUBLIC_API_BILLING_LIMIT_EXCEEDED");
    assertThat(fake.requests(BASE)).isEqualTo(1);
    assertThat(store.stats().billingLimitResponses()).isEqualTo(1);
  }

  // ---- rate limits ----

  @Test
  void sixtyConcurrentWritesToOneBaseAtFivePerSecondGetNoRateLimitAnswers() {
    long started = System.nanoTime();
    List<Future<List<Record>>> writes = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      writes.add(store.create(BASE, Leads.TABLE, List.of(lead("https://linkedin.com/in/c" + i, "C" + i, "W"))));
    }

    await(Future.all(writes));
    double seconds = (System.nanoTime() - started) / 1e9;

    assertThat(fake.records(BASE, Leads.TABLE)).hasSize(60);
    assertThat(fake.all429s()).isZero();
    assertThat(store.stats().rateLimitResponses()).isZero();
    assertThat(fake.maxRequestsInAnySecond(BASE)).isEqualTo(5);
    // The floor: 60 requests through a 1 s rolling window of 5 start no earlier than ceil(60 / 5) - 1 = 11 s.
    // Pacing may cost a guard band but never stalls: the ratio to the floor, not a wall-clock window.
    double floor = Math.ceil(60 / 5.0) - 1;
    assertThat(seconds / floor).as("wall time / floor").isGreaterThanOrEqualTo(1.0).isLessThan(2.0);
  }

  @Test
  void rateLimitAnswerPausesTheBaseForThePenaltyAndTheCallCompletes() throws InterruptedException {
    AirtableStore shortPenalty = new AirtableStore(vertx, options.withPenaltySeconds(1));
    fake.penaltyMillis(1_000);
    fake.inject429s(1);
    long started = System.nanoTime();

    Future<List<Record>> first = shortPenalty.create(BASE, Leads.TABLE, List.of(lead("u0", "F", "L")));
    while (shortPenalty.stats().rateLimitResponses() == 0 && System.nanoTime() - started < 5_000_000_000L) {
      Thread.sleep(5);
    }
    // Calls made while the base is paused wait with the retried one instead of going into the penalty box.
    List<Future<List<Record>>> later = new ArrayList<>();
    for (int i = 1; i <= 4; i++) later.add(shortPenalty.create(BASE, Leads.TABLE, List.of(lead("u" + i, "F", "L"))));
    await(first);
    double seconds = (System.nanoTime() - started) / 1e9;
    await(Future.all(later));

    assertThat(seconds).isGreaterThanOrEqualTo(0.95);
    assertThat(fake.records(BASE, Leads.TABLE)).hasSize(5);
    assertThat(shortPenalty.stats().rateLimitResponses()).isEqualTo(1);
    assertThat(fake.rateLimited429s()).as("requests sent into the penalty box").isZero();
    await(shortPenalty.close());
  }

  @Test
  void aBasePausedByACallFromAWorkerThatIsThenUndeployedStillWakesForTheNextCall() throws InterruptedException {
    AirtableStore shortPenalty = new AirtableStore(vertx, options.withPenaltySeconds(1));
    fake.penaltyMillis(1_000);
    fake.inject429s(1);
    // A client's worker draws the 429 and is undeployed (its client moved to another member) while the base is paused.
    io.vertx.core.Promise<List<Record>> fromWorker = io.vertx.core.Promise.promise();
    String worker = await(vertx.deployVerticle(new io.vertx.core.VerticleBase() {
      @Override
      public Future<?> start() {
        shortPenalty.create(BASE, Leads.TABLE, List.of(lead("w0", "F", "L"))).onComplete(fromWorker);
        return Future.succeededFuture();
      }
    }));
    awaitRateLimited(shortPenalty);
    await(vertx.undeploy(worker));

    List<Record> next = await(shortPenalty.create(BASE, Leads.TABLE, List.of(lead("n0", "F", "L"))));

    assertThat(next).hasSize(1);
    assertThat(shortPenalty.stats().rateLimitResponses()).isEqualTo(1);
    assertThat(fake.records(BASE, Leads.TABLE)).extracting(r -> r.getJsonObject("fields").getString(URL)).contains("n0");
    await(shortPenalty.close());
  }

  @Test
  void aWriteQueuedWhileItsWriterLosesTheClientIsRefusedInsteadOfSentLate() throws InterruptedException {
    AirtableStore shortPenalty = new AirtableStore(vertx, options.withPenaltySeconds(1));
    fake.penaltyMillis(1_000);
    fake.inject429s(1);
    java.util.concurrent.atomic.AtomicBoolean owner = new java.util.concurrent.atomic.AtomicBoolean(true);
    io.vertx.core.Promise<List<Record>> write = io.vertx.core.Promise.promise();
    await(vertx.deployVerticle(new io.vertx.core.VerticleBase() {
      @Override
      public Future<?> start() {
        pbwebhook.store.WriteFence.install(context, owner::get);
        shortPenalty.create(BASE, Leads.TABLE, List.of(lead("fenced", "F", "L"))).onComplete(write);
        return Future.succeededFuture();
      }
    }));
    awaitRateLimited(shortPenalty);
    owner.set(false);   // the lease lapsed while the write waited out the 429's penalty

    StoreException refused = failure(write.future());

    assertThat(refused.kind()).isEqualTo(StoreException.Kind.NOT_OWNER);
    assertThat(refused.getMessage()).contains("no longer owns this client").contains("was not sent");
    assertThat(fake.records(BASE, Leads.TABLE)).isEmpty();
    // Reads are not fenced, and a context without a fence writes as before.
    assertThat(await(shortPenalty.create(BASE, Leads.TABLE, List.of(lead("unfenced", "F", "L"))))).hasSize(1);
    await(shortPenalty.close());
  }

  @Test
  void tokenLimitCapsRequestsAcrossBases() {
    AirtableStore token = new AirtableStore(vertx, options.withTokenRequestsPerSecond(6));
    List<Future<Page>> reads = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      reads.add(token.list(i % 2 == 0 ? BASE : OTHER_BASE, Leads.TABLE, ListQuery.all()));
    }

    await(Future.all(reads));

    assertThat(fake.maxRequestsInAnySecond()).isLessThanOrEqualTo(6);
    assertThat(fake.all429s()).isZero();
    await(token.close());
  }

  @Test
  void callersBeyondAFullQueueWaitInsteadOfFailing() {
    AirtableStore small = new AirtableStore(vertx, options.withMaxQueuePerBase(2).withRequestsPerSecondPerBase(50));
    fake.rateLimit(50);
    List<Future<Page>> reads = new ArrayList<>();
    for (int i = 0; i < 20; i++) reads.add(small.list(BASE, Leads.TABLE, ListQuery.all()));

    await(Future.all(reads));

    assertThat(reads).allMatch(Future::succeeded);
    assertThat(fake.requests(BASE)).isEqualTo(20);
    await(small.close());
  }

  // ---- metadata ----

  @Test
  void pingAndSchemaUseTheMetadataApi() {
    await(store.ping(BASE));
    JsonObject schema = await(store.tablesSchema(BASE));

    assertThat(schema.getJsonArray("tables").getJsonObject(0).getString("name")).isEqualTo(Leads.TABLE);
    assertThat(schema.getJsonArray("tables").getJsonObject(0).getJsonArray("fields")).hasSize(LEAD_FIELDS.size());
    assertThat(fake.requestLog()).containsOnly("GET /v0/meta/bases/" + BASE + "/tables");
  }

  @Test
  void aViewFiltersTheListingAndAnUnknownViewIsNamedInTheError() {
    for (int i = 0; i < 5; i++) {
      fake.insert(BASE, Leads.TABLE, new JsonObject().put(URL, "https://www.linkedin.com/in/v" + i).put(SCORE, i));
    }
    fake.createView(BASE, Leads.TABLE, "High scores", "{AI Score} = \"4\"");
    java.util.List<pbwebhook.store.Record> high = await(store.listAll(BASE, Leads.TABLE,
        pbwebhook.store.ListQuery.all().withView("High scores")));
    org.assertj.core.api.Assertions.assertThat(high).extracting(r -> r.string(URL)).containsExactly("https://www.linkedin.com/in/v4");
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> await(store.listAll(BASE, Leads.TABLE,
        pbwebhook.store.ListQuery.all().withView("No such view"))));
    org.assertj.core.api.Assertions.assertThat(t).hasMessageContaining("No such view");
  }
}
