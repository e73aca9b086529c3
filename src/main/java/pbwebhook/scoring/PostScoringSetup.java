package pbwebhook.scoring;

import io.vertx.core.Future;
import java.util.List;
import pbwebhook.store.ListQuery;
import pbwebhook.store.RecordStore;
import pbwebhook.store.Sort;
import pbwebhook.store.schema.Credentials;
import pbwebhook.store.schema.PostScoringAttributes;
import pbwebhook.store.schema.PostScoringInstructions;

/** What post scoring needs from a client's base: the system instruction and the keyword pre-filter. */
public record PostScoringSetup(String prompt, PostKeywordFilter keywords) {

  /** Reads it from the client's own base, cached for the rubric TTL; never shared between clients. */
  public static final class Loader {
    private final RecordStore store;
    private final String baseId;
    private final long ttlMs;
    private PostScoringSetup cached;
    private long loadedAt;

    public Loader(RecordStore store, String baseId, long ttlMs) {
      this.store = store;
      this.baseId = baseId;
      this.ttlMs = ttlMs;
    }

    public Future<PostScoringSetup> load() {
      if (cached != null && System.currentTimeMillis() - loadedAt < ttlMs) return Future.succeededFuture(cached);
      var instructions = store.listAll(baseId, PostScoringInstructions.TABLE,
          ListQuery.all().withSort(Sort.asc(PostScoringInstructions.SORT_ORDER)));
      var attributes = store.listAll(baseId, PostScoringAttributes.TABLE, ListQuery.all());
      var credentials = store.listAll(baseId, Credentials.TABLE,
          ListQuery.all().withFields(List.of(Credentials.POST_SCORING_AI_KEYWORDS)).withMaxRecords(1));
      return Future.all(instructions, attributes, credentials).compose(all -> {
        String prompt;
        try {
          prompt = PostPromptBuilder.build(instructions.result(), attributes.result());
        } catch (IllegalArgumentException e) {
          return Future.failedFuture(e.getMessage() + " in base " + baseId);
        }
        String keywords = credentials.result().isEmpty() ? null
            : credentials.result().get(0).string(Credentials.POST_SCORING_AI_KEYWORDS);
        cached = new PostScoringSetup(prompt, PostKeywordFilter.of(keywords));
        loadedAt = System.currentTimeMillis();
        return Future.succeededFuture(cached);
      });
    }
  }
}
