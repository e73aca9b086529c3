package pbwebhook.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.cluster.FencedStore;
import pbwebhook.fakes.FlakyStore;
import pbwebhook.store.RecordStore;
import pbwebhook.store.StoreException;
import pbwebhook.store.embedded.EmbeddedStore;
import pbwebhook.store.schema.Leads;

/**
 * A member that no longer owns a client (its lease moved, or it is shutting down) stops ingesting for it at the
 * first refused write: every profile still queued fails at once with the refusal, and the base is not read again
 * for them. Before, each refused batch reloaded the whole lead index, so a former owner kept reading the base next
 * to the new owner's run and both drew Airtable 429s (seen in ClusterProcessIT).
 */
class LeadIngestorOwnershipTest {

  static final String BASE = "appIngestOwner01";

  final Vertx vertx = Vertx.vertx();
  EmbeddedStore embedded;

  @TempDir
  Path dir;

  @AfterEach
  void close() throws Exception {
    if (embedded != null) embedded.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static JsonObject profile(int n) {
    return new JsonObject().put("profileUrl", "https://www.linkedin.com/in/owner-test-" + n).put("firstName", "Ann")
        .put("lastName", "Lee" + n).put("headline", "Founder at Owner " + n);
  }

  @Test
  void queuedProfilesFailWithTheRefusalAndTheBaseIsNotReadAgain() throws Exception {
    embedded = new EmbeddedStore(vertx, dir);
    // Lead lookups through the index, as on Airtable (the embedded store would look leads up one batch at a time).
    RecordStore indexed = new FlakyStore(embedded, BASE);
    AtomicInteger lists = new AtomicInteger();
    RecordStore counting = (RecordStore) Proxy.newProxyInstance(RecordStore.class.getClassLoader(),
        new Class<?>[] {RecordStore.class}, (proxy, method, args) -> {
          if (method.getName().equals("list")) lists.incrementAndGet();
          try {
            return method.invoke(indexed, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    AtomicBoolean owner = new AtomicBoolean(true);
    RecordStore fenced = new FencedStore(counting, () -> owner.get() ? Future.succeededFuture()
        : Future.failedFuture(new StoreException(StoreException.Kind.NOT_OWNER, "this member does not own client c1 now")));
    LeadIngestor ingestor = new LeadIngestor(vertx, fenced, BASE, "c1");

    LeadIngestor.Result first = onContext(() -> ingestor.submit(List.of(profile(0)), Instant.now()));
    assertThat(first.created()).isEqualTo(1);
    int listsWhileOwner = lists.get();
    assertThat(listsWhileOwner).as("the lead index was loaded").isGreaterThan(0);

    owner.set(false);
    // 35 distinct leads: four write batches of at most 10 were they all tried.
    List<Future<LeadIngestor.Result>> submissions = onContext(() -> Future.succeededFuture(IntStream.range(1, 36)
        .mapToObj(i -> ingestor.submit(List.of(profile(i)), Instant.now())).toList()));
    Future.join(submissions).otherwiseEmpty().await(20, TimeUnit.SECONDS);   // every one has ended

    assertThat(submissions).allSatisfy(f -> {
      assertThat(f.failed()).isTrue();
      assertThat(f.cause()).isInstanceOf(StoreException.class).hasMessage("this member does not own client c1 now");
    });
    assertThat(lists.get()).as("no read of the base after the refusal").isEqualTo(listsWhileOwner);
    assertThat(embedded.listAll(BASE, Leads.TABLE, pbwebhook.store.ListQuery.all()).await(10, TimeUnit.SECONDS)).hasSize(1);
  }

  private <T> T onContext(java.util.function.Supplier<Future<T>> call) throws Exception {
    return Future.<T>future(p -> vertx.getOrCreateContext().runOnContext(v -> call.get().onComplete(p)))
        .await(20, TimeUnit.SECONDS);
  }
}
