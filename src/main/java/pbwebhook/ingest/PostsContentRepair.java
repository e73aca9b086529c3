package pbwebhook.ingest;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Page;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.Leads;

/**
 * The admin's {@code Posts Content} maintenance (system.md §1 admin tools and §3.4, fixing §8 item 29): goes through
 * every lead that has a Posts Content, one page at a time (never the whole table in memory; the store keeps to the
 * base's rate limit), and sorts each one: already valid; repaired, when the §3.4 steps ({@link StoredPosts}) recover
 * every post whole, in which case the repaired array is written back with {@code Posts JSON Status = Parsed}; or
 * failed, when they cannot (not an array, or cut off inside a post): the text is kept byte for byte and marked
 * {@code Posts JSON Status = Failed}. A dry run writes nothing and counts the same.
 *
 * <p>A writing pass reads and writes each page inside {@link PostIngestor#exclusively}, so posts arriving from a
 * webhook never merge into a text the repair is about to replace.
 */
public final class PostsContentRepair {

  /** What a pass found; {@code repaired} and {@code failed} are what a dry run would repair and mark. */
  public record Counts(int scanned, int alreadyValid, int repaired, int failed) {
    public static final Counts NONE = new Counts(0, 0, 0, 0);

    Counts plus(Counts o) {
      return new Counts(scanned + o.scanned, alreadyValid + o.alreadyValid, repaired + o.repaired, failed + o.failed);
    }

    public JsonObject toJson() {
      return new JsonObject().put("scanned", scanned).put("alreadyValid", alreadyValid).put("repaired", repaired)
          .put("failed", failed);
    }
  }

  private static final Filter HAS_POSTS = Filter.not(Filter.blank(Leads.POSTS_CONTENT));
  private static final ListQuery LEADS_WITH_POSTS = ListQuery.where(HAS_POSTS)
      .withFields(List.of(Leads.POSTS_CONTENT, Leads.POSTS_JSON_STATUS));

  private final RecordStore store;
  private final String baseId;
  private final PostIngestor writer;

  /** {@code writer}: the base's single Posts Content writer, whose merges a writing pass holds back page by page. */
  public PostsContentRepair(RecordStore store, String baseId, PostIngestor writer) {
    this.store = store;
    this.baseId = baseId;
    this.writer = writer;
  }

  /** How many leads have a Posts Content: a listing of one short field, for a run's progress figure. */
  public Future<Integer> count() {
    return countFrom(ListQuery.where(HAS_POSTS).withFields(List.of(Leads.LINKEDIN_PROFILE_URL)), 0);
  }

  private Future<Integer> countFrom(ListQuery q, int acc) {
    return store.list(baseId, Leads.TABLE, q).compose(page -> page.offset() == null
        ? Future.succeededFuture(acc + page.records().size())
        : countFrom(q.withOffset(page.offset()), acc + page.records().size()));
  }

  /** Goes through every lead, writing unless {@code dryRun}; {@code onPage} gets the counts so far after each page. */
  public Future<Counts> run(boolean dryRun, Consumer<Counts> onPage) {
    return pages(null, !dryRun, Counts.NONE, onPage);
  }

  private Future<Counts> pages(String offset, boolean write, Counts acc, Consumer<Counts> onPage) {
    Supplier<Future<PageResult>> step = () -> store.list(baseId, Leads.TABLE, LEADS_WITH_POSTS.withOffset(offset))
        .compose(page -> sort(page, write));
    return (write ? writer.exclusively(step) : step.get()).compose(r -> {
      Counts sofar = acc.plus(r.counts());
      onPage.accept(sofar);
      return r.offset() == null ? Future.succeededFuture(sofar) : pages(r.offset(), write, sofar, onPage);
    });
  }

  private record PageResult(Counts counts, String offset) {}

  private Future<PageResult> sort(Page page, boolean write) {
    int valid = 0, repaired = 0, failed = 0;
    List<Record> updates = new ArrayList<>();
    for (Record lead : page.records()) {
      StoredPosts stored = StoredPosts.read(lead.fields().getValue(Leads.POSTS_CONTENT));
      String status = lead.string(Leads.POSTS_JSON_STATUS);
      String text = stored.state() == StoredPosts.State.REPAIRABLE ? PostsMerger.encode(stored.posts()) : null;
      switch (stored.state()) {
        case EMPTY, VALID -> {
          valid++;
          // Marked Failed by an earlier reading that could not parse it (or by hand): it parses now.
          if (PostsMerger.JSON_FAILED.equals(status)) updates.add(statusUpdate(lead, PostsMerger.JSON_PARSED));
        }
        case REPAIRABLE -> {
          if (text.length() > PostsMerger.MAX_CHARS) {
            failed++;
            if (!PostsMerger.JSON_FAILED.equals(status)) updates.add(statusUpdate(lead, PostsMerger.JSON_FAILED));
          } else {
            repaired++;
            updates.add(new Record(lead.id(), null, new JsonObject().put(Leads.POSTS_CONTENT, text)
                .put(Leads.POSTS_JSON_STATUS, PostsMerger.JSON_PARSED)));
          }
        }
        case CUT_OFF, BROKEN -> {
          failed++;
          if (!PostsMerger.JSON_FAILED.equals(status)) updates.add(statusUpdate(lead, PostsMerger.JSON_FAILED));
        }
      }
    }
    Counts counts = new Counts(page.records().size(), valid, repaired, failed);
    Future<Void> written = write ? writeAll(updates, 0) : Future.succeededFuture();
    return written.map(v -> new PageResult(counts, page.offset()));
  }

  private static Record statusUpdate(Record lead, String status) {
    return new Record(lead.id(), null, new JsonObject().put(Leads.POSTS_JSON_STATUS, status));
  }

  private Future<Void> writeAll(List<Record> updates, int from) {
    if (from >= updates.size()) return Future.succeededFuture();
    List<Record> batch = updates.subList(from, Math.min(updates.size(), from + RecordStore.MAX_BATCH));
    return store.update(baseId, Leads.TABLE, batch).compose(w -> writeAll(updates, from + RecordStore.MAX_BATCH));
  }
}
