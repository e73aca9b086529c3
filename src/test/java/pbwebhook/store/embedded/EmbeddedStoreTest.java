package pbwebhook.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.RecordStoreContract;
import pbwebhook.store.StoreException;
import pbwebhook.store.UpsertResult;

@ExtendWith(VertxExtension.class)
class EmbeddedStoreTest extends RecordStoreContract {

  private static final String BASE = "appTestBase01";

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private EmbeddedStore store;

  @BeforeEach
  void openStore(Vertx vertx) {
    this.vertx = vertx;
    this.store = new EmbeddedStore(vertx, dataDir);
  }

  @AfterEach
  void closeStore() {
    await(store.close());
  }

  @Override
  protected RecordStore store() {
    return store;
  }

  @Override
  protected String baseId() {
    return BASE;
  }

  @Test
  void dataSurvivesClosingAndReopeningTheStore() {
    Record r = create(lead("https://linkedin.com/in/ann", "Ann", "Lee").put(SCORE, 61)).get(0);
    await(store.close());

    store = new EmbeddedStore(vertx, dataDir);
    Record read = await(store.get(BASE, TABLE, r.id()));
    Record later = create(lead("https://linkedin.com/in/bob", "Bob", "Ray")).get(0);

    assertThat(read).isEqualTo(r);
    assertThat(await(store.baseIds())).containsExactly(BASE);
    // creation order survives the restart too
    assertThat(listAll(ListQuery.all())).extracting(Record::id).containsExactly(r.id(), later.id());
  }

  @Test
  void concurrentUpsertsOfTheSameProfileEndInOneRecord() {
    List<Future<UpsertResult>> calls = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      JsonObject lead = lead("https://linkedin.com/in/same", "Same", "Visit " + i);
      // half start on an event loop, half from this thread, so they really overlap
      if (i % 2 == 0) {
        Promise<UpsertResult> p = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> store.upsert(BASE, TABLE, List.of(lead), List.of(URL)).onComplete(p));
        calls.add(p.future());
      } else {
        calls.add(store.upsert(BASE, TABLE, List.of(lead), List.of(URL)));
      }
    }
    await(Future.all(calls));

    List<Record> all = listAll(ListQuery.all());
    long created = calls.stream().mapToLong(f -> f.result().createdIds().size()).sum();
    assertThat(all).hasSize(1);
    assertThat(created).isEqualTo(1);
    assertThat(calls).allSatisfy(f -> assertThat(f.result().records().get(0).id()).isEqualTo(all.get(0).id()));
  }

  @Test
  void jdbcNeverRunsOnAnEventLoopEvenWhenCalledFromOne() {
    List<Boolean> onEventLoop = new CopyOnWriteArrayList<>();
    store.jdbcThreadProbe = t -> onEventLoop.add(Context.isOnEventLoopThread());
    Promise<Boolean> callbackOnEventLoop = Promise.promise();

    vertx.getOrCreateContext().runOnContext(v -> store
        .create(BASE, TABLE, List.of(lead("https://linkedin.com/in/ann", "Ann", "Lee")))
        .compose(created -> store.update(BASE, TABLE, List.of(new Record(created.get(0).id(), null,
            new JsonObject().put(FIRST, "Anna")))))
        .compose(updated -> store.upsert(BASE, TABLE, List.of(lead("https://linkedin.com/in/ann", "Anne", "Lee")), List.of(URL)))
        .compose(upserted -> store.get(BASE, TABLE, upserted.records().get(0).id()))
        .compose(got -> store.list(BASE, TABLE, ListQuery.all()))
        .map(page -> Context.isOnEventLoopThread())
        .onComplete(callbackOnEventLoop));

    assertThat(await(callbackOnEventLoop.future())).as("results come back on the caller's event loop").isTrue();
    assertThat(onEventLoop).as("one probe per JDBC call").hasSize(5).containsOnly(false);
  }

  @Test
  void readingOrPingingAMissingBaseCreatesNoFile() {
    assertThat(await(store.list("appNeverWritten", TABLE, ListQuery.all())).records()).isEmpty();
    assertThatThrownBy(() -> await(store.get("appNeverWritten", TABLE, "recAAAAAAAAAAAAAA")))
        .isInstanceOf(StoreException.class)
        .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.NOT_FOUND));
    await(store.ping("appNeverWritten"));

    assertThat(Files.exists(dataDir.resolve("appNeverWritten.sqlite"))).isFalse();
    assertThat(await(store.baseIds())).isEmpty();

    await(store.create("appNeverWritten", TABLE, List.of(lead("https://linkedin.com/in/ann", "Ann", "Lee"))));
    assertThat(Files.exists(dataDir.resolve("appNeverWritten.sqlite"))).isTrue();
  }

  @Test
  void basesAreSeparateFiles() {
    create(lead("https://linkedin.com/in/ann", "Ann", "Lee"));
    await(store.create("appOtherClient", TABLE, List.of(lead("https://linkedin.com/in/bob", "Bob", "Ray"))));

    assertThat(listAll(ListQuery.all())).extracting(r -> r.string(FIRST)).containsExactly("Ann");
    assertThat(await(store.baseIds())).containsExactly("appOtherClient", BASE);
  }

  @Test
  void invalidBaseIdsAreRejectedByName() {
    for (String bad : List.of("../etc/passwd", "app base", "", "a".repeat(65))) {
      for (Future<?> f : List.<Future<?>>of(store.ping(bad), store.list(bad, TABLE, ListQuery.all()),
          store.create(bad, TABLE, List.of(new JsonObject())))) {
        assertThatThrownBy(() -> await(f))
            .isInstanceOf(StoreException.class)
            .hasMessageContaining("invalid base id: " + bad)
            .satisfies(e -> assertThat(((StoreException) e).kind()).isEqualTo(StoreException.Kind.INVALID_REQUEST));
      }
    }
    assertThat(dataDir).isEmptyDirectory();
  }

  @Test
  void describesItselfWithItsDataDirectory() {
    assertThat(store.describe()).isEqualTo("embedded (SQLite, " + dataDir + ")");
  }
}
