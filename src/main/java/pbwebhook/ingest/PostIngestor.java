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
import pbwebhook.ingest.PbPostsParser.ProfilePosts;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.Leads;

/**
 * The single writer of one base's {@code Posts Content} (system.md §3.3 with the decisions). Profiles' posts
 * from concurrent webhooks queue here and are merged in batches of at most 10 profiles: one lookup by
 * canonical URL for the whole batch (never a scan of all leads, §8 item 26), then one update request. Only
 * one batch is in flight, so the same posts delivered twice are merged once. Must be used from one context.
 */
public class PostIngestor {

  private static final Logger log = LoggerFactory.getLogger(PostIngestor.class);

  public enum Kind { UPDATED, UNCHANGED, UNMATCHED, EXISTING_BROKEN }

  private record Outcome(Kind kind, int added, String error) {}

  /**
   * Per profile: {@code updated} (posts added), {@code skipped} (nothing new), {@code unmatched} (no lead has that
   * URL), {@code failed} (new posts refused because the stored Posts Content is broken or cut off and is kept as it
   * is; {@code errors} says which and why, and the caller keeps the delivery as a dead letter).
   */
  public record Result(int processed, int updated, int skipped, int unmatched, int postsAdded, int failed,
                       List<String> errors) {
    public Result {
      errors = List.copyOf(errors);
    }
  }

  private record Pending(ProfilePosts profile, Instant receivedAt, Promise<Outcome> done) {}

  private final RecordStore store;
  private final String baseId;
  private final String clientId;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private boolean draining;

  public PostIngestor(RecordStore store, String baseId, String clientId) {
    this.store = store;
    this.baseId = baseId;
    this.clientId = clientId;
  }

  /** Queues every profile's posts; completes when all are merged, or fails when a store write failed. */
  public Future<Result> submit(List<ProfilePosts> profiles, Instant receivedAt) {
    List<Future<Outcome>> writes = new ArrayList<>();
    List<ProfilePosts> queued = new ArrayList<>();
    for (ProfilePosts p : profiles) {
      if (p.canonicalKey().isEmpty()) continue;
      queued.add(p);
      Promise<Outcome> done = Promise.promise();
      queue.add(new Pending(p, receivedAt, done));
      writes.add(done.future());
    }
    drain();
    return Future.all(writes).map(all -> {
      int updated = 0, skipped = 0, unmatched = 0, added = 0, failed = 0;
      List<String> errors = new ArrayList<>();
      for (int k = 0; k < writes.size(); k++) {
        Outcome o = writes.get(k).result();
        switch (o.kind()) {
          case UPDATED -> updated++;
          case UNCHANGED -> skipped++;
          case UNMATCHED -> unmatched++;
          case EXISTING_BROKEN -> {
            failed++;
            errors.add(queued.get(k).profileUrl() + ": " + o.error());
          }
        }
        added += o.added();
      }
      return new Result(writes.size(), updated, skipped, unmatched, added, failed, errors);
    });
  }

  private void drain() {
    if (draining || queue.isEmpty()) return;
    draining = true;
    Map<String, List<Pending>> batch = new LinkedHashMap<>();
    for (var it = queue.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      String key = p.profile().canonicalKey();
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
    ListQuery q = ListQuery.where(Filter.or(keys))
        .withFields(List.of(Leads.LINKEDIN_PROFILE_URL, Leads.POSTS_CONTENT, Leads.POSTS_JSON_STATUS));
    return store.listAll(baseId, Leads.TABLE, q).compose(found -> {
      Map<String, Record> leads = new LinkedHashMap<>();
      for (Record r : found) leads.putIfAbsent(LinkedInUrl.canonicalKey(r.string(Leads.LINKEDIN_PROFILE_URL)), r);
      List<Record> updates = new ArrayList<>();
      Map<Pending, Outcome> outcomes = new LinkedHashMap<>();
      for (var e : batch.entrySet()) {
        Record lead = leads.get(e.getKey());
        if (lead == null) {
          log.info("client {}: no lead for profile {}; its {} posts were not stored", clientId,
              e.getValue().get(0).profile().profileUrl(), e.getValue().stream().mapToInt(p -> p.profile().posts().size()).sum());
          e.getValue().forEach(p -> outcomes.put(p, new Outcome(Kind.UNMATCHED, 0, null)));
          continue;
        }
        // Later deliveries for the same lead merge into what the earlier ones will have written.
        JsonObject current = lead.fields().copy();
        JsonObject toWrite = new JsonObject();
        for (Pending p : e.getValue()) {
          PostsMerger.Merge m = PostsMerger.merge(current, p.profile().posts(), p.receivedAt());
          current.mergeIn(m.fields());
          toWrite.mergeIn(m.fields());
          outcomes.put(p, switch (m.outcome()) {
            case ADDED -> new Outcome(Kind.UPDATED, m.added(), m.error());
            case NOTHING_NEW -> new Outcome(Kind.UNCHANGED, 0, null);
            case EXISTING_BROKEN -> new Outcome(Kind.EXISTING_BROKEN, 0, m.error());
          });
        }
        if (!toWrite.isEmpty()) updates.add(new Record(lead.id(), null, toWrite));
      }
      Future<?> written = updates.isEmpty() ? Future.succeededFuture() : store.update(baseId, Leads.TABLE, updates);
      return written.map(w -> {
        outcomes.forEach((p, o) -> p.done().tryComplete(o));
        return (Void) null;
      }).onFailure(err -> log.warn("client {}: posts write failed: {}", clientId, err.getMessage()));
    });
  }
}
