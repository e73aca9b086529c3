package pbwebhook.scoring;

import io.vertx.core.Future;
import pbwebhook.ai.Rubric;
import pbwebhook.store.ListQuery;
import pbwebhook.store.RecordStore;

/** Reads one client's rubric from its own base, cached for RUBRIC_CACHE_TTL_S; never shared between clients. */
public final class RubricLoader {

  private final RecordStore store;
  private final String baseId;
  private final String table;
  private final long ttlMs;
  private Rubric cached;
  private long loadedAt;

  public RubricLoader(RecordStore store, String baseId, String table, long ttlMs) {
    this.store = store;
    this.baseId = baseId;
    this.table = table;
    this.ttlMs = ttlMs;
  }

  public Future<Rubric> load() {
    if (cached != null && System.currentTimeMillis() - loadedAt < ttlMs) return Future.succeededFuture(cached);
    return store.listAll(baseId, table, ListQuery.all()).compose(rows -> {
      Rubric r = RubricParser.fromRecords(rows);
      if (r.positives().isEmpty()) {
        return Future.failedFuture("table \"" + table + "\" of base " + baseId + " has no positive scoring attributes");
      }
      cached = r;
      loadedAt = System.currentTimeMillis();
      return Future.succeededFuture(r);
    });
  }
}
