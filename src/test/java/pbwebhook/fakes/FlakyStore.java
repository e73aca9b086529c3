package pbwebhook.fakes;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Page;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.StoreException;
import pbwebhook.store.UpsertResult;

/**
 * A store that fails on purpose, wrapped around a real one, for one base: an outage (UNAVAILABLE until a
 * deadline), a 429 storm (the next n calls RATE_LIMITED), or a refusal of one value (INVALID_VALUE for
 * writes containing a given text). Other bases pass straight through.
 */
public final class FlakyStore implements RecordStore {

  private final RecordStore inner;
  private final String baseId;
  private final AtomicLong outageUntil = new AtomicLong();
  private final AtomicInteger rateLimitedCalls = new AtomicInteger();
  private final AtomicInteger failuresThrown = new AtomicInteger();
  private final AtomicReference<String> refusedText = new AtomicReference<>();

  public FlakyStore(RecordStore inner, String baseId) {
    this.inner = inner;
    this.baseId = baseId;
  }

  public void outageFor(long millis) { outageUntil.set(System.currentTimeMillis() + millis); }

  public void rateLimitNext(int calls) { rateLimitedCalls.set(calls); }

  public void refuseWritesContaining(String text) { refusedText.set(text); }

  public int failuresThrown() { return failuresThrown.get(); }

  private <T> Future<T> guard(String base, Object written, java.util.function.Supplier<Future<T>> call) {
    if (base.equals(baseId)) {
      if (System.currentTimeMillis() < outageUntil.get()) {
        failuresThrown.incrementAndGet();
        return Future.failedFuture(new StoreException(StoreException.Kind.UNAVAILABLE, "store unavailable (503, simulated outage)"));
      }
      if (rateLimitedCalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        failuresThrown.incrementAndGet();
        return Future.failedFuture(new StoreException(StoreException.Kind.RATE_LIMITED, "rate limited (429, simulated)"));
      }
      String refused = refusedText.get();
      if (refused != null && written != null && String.valueOf(written).contains(refused)) {
        failuresThrown.incrementAndGet();
        return Future.failedFuture(new StoreException(StoreException.Kind.INVALID_VALUE,
            "Field \"Headline\" cannot accept the provided value"));
      }
    }
    return call.get();
  }

  @Override public String describe() { return "flaky " + inner.describe(); }

  @Override public Future<Page> list(String base, String table, ListQuery query) {
    return guard(base, null, () -> inner.list(base, table, query));
  }

  @Override public Future<Record> get(String base, String table, String recordId) {
    return guard(base, null, () -> inner.get(base, table, recordId));
  }

  @Override public Future<List<Record>> create(String base, String table, List<JsonObject> fields) {
    return guard(base, fields, () -> inner.create(base, table, fields));
  }

  @Override public Future<List<Record>> update(String base, String table, List<Record> records) {
    return guard(base, records.stream().map(Record::fields).toList(), () -> inner.update(base, table, records));
  }

  @Override public Future<UpsertResult> upsert(String base, String table, List<JsonObject> fields, List<String> mergeOn) {
    return guard(base, fields, () -> inner.upsert(base, table, fields, mergeOn));
  }

  @Override public Future<Void> ping(String base) { return guard(base, null, () -> inner.ping(base)); }

  @Override public Future<Void> close() { return inner.close(); }
}
