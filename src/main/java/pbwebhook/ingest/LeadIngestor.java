package pbwebhook.ingest;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.StoreException;
import pbwebhook.store.schema.Leads;

/**
 * The single writer of one base's Leads for ingest. Profiles from concurrent webhooks queue here and
 * are written in coalesced batches of at most 10 profiles: one lookup by canonical URL, then at most one
 * create and one update request. Because only one batch is in flight per base, the same profile posted
 * twice (even concurrently) becomes one lead. Must be used from one Vert.x context.
 */
public class LeadIngestor {

  private static final Logger log = LoggerFactory.getLogger(LeadIngestor.class);

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

  public LeadIngestor(RecordStore store, String baseId, String clientId) {
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
    if (draining || queue.isEmpty()) return;
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
    write(batch).onComplete(ar -> {
      if (ar.failed()) batch.values().forEach(ps -> ps.forEach(p -> p.done().tryFail(ar.cause())));
      draining = false;
      drain();
    });
  }

  private Future<Void> write(Map<String, List<Pending>> batch) {
    List<Filter> keys = batch.keySet().stream().map(k -> Filter.urlKeyEq(Leads.LINKEDIN_PROFILE_URL, k)).toList();
    return store.listAll(baseId, Leads.TABLE, ListQuery.where(Filter.or(keys))).compose(found -> {
      Map<String, Record> existing = new LinkedHashMap<>();
      for (Record r : found) existing.putIfAbsent(LinkedInUrl.canonicalKey(r.string(Leads.LINKEDIN_PROFILE_URL)), r);
      List<JsonObject> creates = new ArrayList<>();
      List<List<Pending>> createdBy = new ArrayList<>();
      List<Record> updates = new ArrayList<>();
      List<List<Pending>> updatedBy = new ArrayList<>();
      for (var e : batch.entrySet()) {
        Record current = existing.get(e.getKey());
        JsonObject accumulated = current == null ? null : current.fields().copy();
        JsonObject toWrite = new JsonObject();
        for (Pending p : e.getValue()) {
          // Later profiles of the same lead are planned against what the earlier ones will have written.
          Record base = accumulated == null ? null : new Record(current == null ? null : current.id(), null, accumulated);
          JsonObject planned = LeadUpsertPlanner.plan(p.lead(), base, p.receivedAt());
          toWrite.mergeIn(planned);
          accumulated = accumulated == null ? planned.copy() : accumulated.mergeIn(planned);
        }
        if (current == null) {
          creates.add(toWrite);
          createdBy.add(e.getValue());
        } else if (toWrite.isEmpty()) {
          e.getValue().forEach(p -> p.done().tryComplete(Outcome.UNCHANGED));
        } else {
          updates.add(new Record(current.id(), null, toWrite));
          updatedBy.add(e.getValue());
        }
      }
      Future<Void> c = creates.isEmpty() ? Future.succeededFuture()
          : store.create(baseId, Leads.TABLE, creates).map(recs -> {
            createdBy.forEach(ps -> ps.forEach(p -> p.done().tryComplete(Outcome.CREATED)));
            return null;
          });
      Future<Void> u = updates.isEmpty() ? Future.succeededFuture()
          : store.update(baseId, Leads.TABLE, updates).map(recs -> {
            updatedBy.forEach(ps -> ps.forEach(p -> p.done().tryComplete(Outcome.UPDATED)));
            return null;
          });
      return Future.join(c, u).onFailure(err -> log.warn("client {}: lead write failed: {}", clientId, err.getMessage()))
          .mapEmpty();
    });
  }
}
