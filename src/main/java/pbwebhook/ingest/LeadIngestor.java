package pbwebhook.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.UpsertResult;
import pbwebhook.store.StoreException;
import pbwebhook.store.schema.Leads;

/**
 * The single writer of one base's Leads for ingest. Profiles from concurrent webhooks queue here and are
 * written in coalesced batches: up to 10 leads in ONE upsert request, merging on the stored
 * {@code LinkedIn Profile URL}. Matching is on the canonical URL through an index of the base's leads
 * (canonical key → record id, stored URL spelling and the few fields the planner needs), loaded once and
 * kept current by this writer's own writes, so a burst costs one request per 10 profiles. On a store with
 * {@linkplain RecordStore#cheapLookups() cheap lookups} (the embedded one) there is no index: each batch looks
 * up its own keys, so memory does not grow with the base. Because only one
 * batch is in flight per base, the same profile posted twice (even concurrently) becomes one lead.
 * Must be used from one Vert.x context.
 */
public class LeadIngestor {

  private static final Logger log = LoggerFactory.getLogger(LeadIngestor.class);

  /** Reloaded after this long, to pick up leads added to the base by hand. */
  static final long INDEX_TTL_MS = 10 * 60 * 1000;
  /** What the planner reads of a stored lead; everything else is written when the payload has it. */
  static final List<String> SNAPSHOT_FIELDS = List.of(Leads.LINKEDIN_PROFILE_URL, Leads.LINKEDIN_CONNECTION_STATUS,
      Leads.DATE_CONNECTED, Leads.SCORING_STATUS, Leads.PROFILE_FULL_JSON);
  private static final Set<String> SNAPSHOT = Set.copyOf(SNAPSHOT_FIELDS);

  /** What happened to one profile. */
  public enum Outcome { CREATED, UPDATED, UNCHANGED }

  public record Result(int created, int updated, int unchanged, List<String> errors) {
    public int upserted() { return created + updated + unchanged; }
    public int failed() { return errors.size(); }
  }

  private record Pending(MappedLead lead, Instant receivedAt, Promise<Outcome> done) {}

  private final RecordStore store;
  private final String baseId;
  private final String clientId;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private boolean draining;
  private final Vertx vertx;
  private boolean waiting;
  private long lastWriteAt;
  private Map<String, Record> index;
  private long indexLoadedAt;

  public LeadIngestor(Vertx vertx, RecordStore store, String baseId, String clientId) {
    this.vertx = vertx;
    this.store = store;
    this.baseId = baseId;
    this.clientId = clientId;
  }

  /** Maps and queues every profile; completes when each has been written or has failed. */
  public Future<Result> submit(List<JsonObject> profiles, Instant receivedAt) {
    List<String> errors = new ArrayList<>();
    List<Future<Outcome>> writes = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < profiles.size(); i++) {
      try {
        MappedLead lead = LhProfileMapper.map(profiles.get(i), receivedAt);
        Promise<Outcome> p = Promise.promise();
        queue.add(new Pending(lead, receivedAt, p));
        writes.add(p.future());
        positions.add(i);
      } catch (InvalidPayloadException e) {
        errors.add(label(i, profiles.size()) + e.getMessage());
      }
    }
    drain();
    return Future.join(writes).transform(ar -> {
      // A write that may succeed later fails the whole submission, so the inbox retries it (re-upserting
      // the profiles that did land is harmless); only refusals of the data itself are per-profile errors.
      for (Future<Outcome> f : writes) {
        if (f.failed() && retriable(f.cause())) return Future.failedFuture(f.cause());
      }
      int created = 0, updated = 0, unchanged = 0;
      for (int k = 0; k < writes.size(); k++) {
        Future<Outcome> f = writes.get(k);
        if (f.failed()) {
          errors.add(label(positions.get(k), profiles.size()) + f.cause().getMessage());
          continue;
        }
        switch (f.result()) {
          case CREATED -> created++;
          case UPDATED -> updated++;
          case UNCHANGED -> unchanged++;
        }
      }
      return Future.succeededFuture(new Result(created, updated, unchanged, errors));
    });
  }

  private static boolean retriable(Throwable e) {
    return !(e instanceof StoreException se) || se.transientFailure();
  }

  private static String label(int index, int size) {
    return size == 1 ? "" : "profile[" + index + "]: ";
  }

  private void drain() {
    if (draining || waiting || queue.isEmpty()) return;
    if (!store.cheapLookups() && (index == null || System.currentTimeMillis() - indexLoadedAt >= INDEX_TTL_MS)) {
      // Load the index before taking a batch, so profiles arriving meanwhile join it. The load is a request
      // to the base too: the first write paces itself after it.
      draining = true;
      lastWriteAt = System.currentTimeMillis();
      index().onComplete(ar -> {
        draining = false;
        if (ar.failed()) {
          log.warn("client {}: lead index could not be loaded: {}", clientId, ar.cause().getMessage());
          failQueued(ar.cause());
        }
        else drain();
      });
      return;
    }
    long wait = lastWriteAt + store.minRequestIntervalMs(baseId) - System.currentTimeMillis();
    if (wait > 0 && distinctKeys() < RecordStore.MAX_BATCH) {
      // The base's rate limit would hold a small batch back anyway: wait for a fuller one.
      waiting = true;
      vertx.setTimer(wait, t -> {
        waiting = false;
        drain();
      });
      return;
    }
    draining = true;
    // Take profiles for up to 10 distinct leads; repeats of a key already taken ride along.
    Map<String, List<Pending>> batch = new LinkedHashMap<>();
    for (var it = queue.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      String key = p.lead().canonicalKey();
      if (!batch.containsKey(key) && batch.size() == RecordStore.MAX_BATCH) continue;
      batch.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
      it.remove();
    }
    lastWriteAt = System.currentTimeMillis();
    Future<Map<String, Record>> current = store.cheapLookups() ? lookup(batch.keySet()) : Future.succeededFuture(index);
    current.compose(idx -> write(idx, batch)).onComplete(ar -> {
      if (ar.failed() && ar.cause() instanceof StoreException se && se.kind() == StoreException.Kind.NOT_OWNER) {
        // This member no longer owns the client: nothing was written, and nothing queued may be either. They all
        // fail now (the inbox delivers them to the owner) without reading the base again for them.
        log.warn("client {}: lead write refused: {}", clientId, ar.cause().getMessage());
        batch.values().forEach(ps -> ps.forEach(p -> p.done().tryFail(ar.cause())));
        failQueued(ar.cause());
      } else if (ar.failed()) {
        // The index may no longer match the base (a lead deleted by hand, a write half-applied): reload it.
        index = null;
        log.warn("client {}: lead write failed: {}", clientId, ar.cause().getMessage());
        batch.values().forEach(ps -> ps.forEach(p -> p.done().tryFail(ar.cause())));
      }
      draining = false;
      drain();
    });
  }

  private int distinctKeys() {
    Set<String> keys = new HashSet<>();
    for (Pending p : queue) {
      keys.add(p.lead().canonicalKey());
      if (keys.size() >= RecordStore.MAX_BATCH) break;
    }
    return keys.size();
  }

  private void failQueued(Throwable cause) {
    Pending p;
    while ((p = queue.poll()) != null) p.done().tryFail(cause);
  }

  private Future<Map<String, Record>> index() {
    return store.listAll(baseId, Leads.TABLE, ListQuery.all().withFields(SNAPSHOT_FIELDS)).map(records -> {
      Map<String, Record> byKey = byKey(records);
      index = byKey;
      indexLoadedAt = System.currentTimeMillis();
      log.debug("client {}: lead index loaded, {} leads", clientId, byKey.size());
      return byKey;
    });
  }

  /**
   * The stored leads of these canonical keys only, for a store whose lookups are cheap: memory does not grow
   * with the base. The oldest lead wins a key held by duplicates from the old server, as in the index.
   */
  private Future<Map<String, Record>> lookup(Set<String> keys) {
    Filter anyKey = Filter.or(keys.stream().map(k -> Filter.urlKeyEq(Leads.LINKEDIN_PROFILE_URL, k)).toList());
    return store.listAll(baseId, Leads.TABLE, ListQuery.where(anyKey).withFields(SNAPSHOT_FIELDS)).map(LeadIngestor::byKey);
  }

  private static Map<String, Record> byKey(List<Record> records) {
    Map<String, Record> byKey = new HashMap<>();
    for (Record r : records) {
      String key = LinkedInUrl.canonicalKey(r.string(Leads.LINKEDIN_PROFILE_URL));
      if (!key.isEmpty()) byKey.putIfAbsent(key, r); // duplicates from the old server: the oldest wins
    }
    return byKey;
  }

  private Future<Void> write(Map<String, Record> idx, Map<String, List<Pending>> batch) {
    List<JsonObject> rows = new ArrayList<>();
    List<String> rowKeys = new ArrayList<>();
    for (var e : batch.entrySet()) {
      Record current = idx.get(e.getKey());
      JsonObject accumulated = current == null ? null : current.fields().copy();
      JsonObject toWrite = new JsonObject();
      for (Pending p : e.getValue()) {
        // Later profiles of the same lead are planned against what the earlier ones will have written.
        Record base = accumulated == null ? null : new Record(current == null ? null : current.id(), null, accumulated);
        JsonObject planned = LeadUpsertPlanner.plan(p.lead(), base, p.receivedAt());
        toWrite.mergeIn(planned);
        accumulated = accumulated == null ? planned.copy() : accumulated.mergeIn(planned);
      }
      if (current != null && toWrite.isEmpty()) {
        e.getValue().forEach(p -> p.done().tryComplete(Outcome.UNCHANGED));
        continue;
      }
      if (current != null) {
        // Merge on the URL exactly as stored, whatever spelling this payload used.
        toWrite.put(Leads.LINKEDIN_PROFILE_URL, current.string(Leads.LINKEDIN_PROFILE_URL));
      }
      rows.add(toWrite);
      rowKeys.add(e.getKey());
    }
    if (rows.isEmpty()) return Future.succeededFuture();
    return store.upsert(baseId, Leads.TABLE, rows, List.of(Leads.LINKEDIN_PROFILE_URL)).map(result -> {
      remember(idx, rowKeys, rows, result);
      for (int i = 0; i < rowKeys.size(); i++) {
        Outcome outcome = result.createdIds().contains(result.records().get(i).id()) ? Outcome.CREATED : Outcome.UPDATED;
        batch.get(rowKeys.get(i)).forEach(p -> p.done().tryComplete(outcome));
      }
      return null;
    });
  }

  private static void remember(Map<String, Record> idx, List<String> keys, List<JsonObject> rows, UpsertResult result) {
    for (int i = 0; i < keys.size(); i++) {
      Record written = result.records().get(i);
      Record before = idx.get(keys.get(i));
      JsonObject snapshot = before == null ? new JsonObject() : before.fields().copy();
      rows.get(i).forEach(f -> { if (SNAPSHOT.contains(f.getKey())) snapshot.put(f.getKey(), f.getValue()); });
      idx.put(keys.get(i), new Record(written.id(), written.createdTime(), snapshot));
    }
  }
}
