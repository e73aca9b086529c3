package pbwebhook.scoring;

import pbwebhook.json.JsonRepair;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.ai.AiException;
import pbwebhook.ai.AiScorer;
import pbwebhook.ai.PostScoringReply;
import pbwebhook.ai.TokenUsage;
import pbwebhook.clients.Client;
import pbwebhook.ingest.PostsMerger;
import pbwebhook.runs.RunProgress;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.Leads;

/**
 * Post scoring for one client (system.md §5 steps 1–10 with the decisions): select leads with posts not yet
 * scored, keep the lead's original posts, pre-filter them by keyword, score the relevant ones, and write the
 * top post, the evaluation and the date. Every outcome, errors included, is written with
 * {@code Date Posts Scored}. Leads are evaluated POST_BATCH_CHUNK_SIZE (at most 10) at a time and written in one request per group. Used from
 * the client's worker context only.
 */
public final class PostScoringService {

  private static final Logger log = LoggerFactory.getLogger(PostScoringService.class);
  private static final int AI_RETRIES = 2;
  private static final long AI_RETRY_BASE_MS = 1000;

  /** What happened to one lead. */
  public enum Outcome { SCORED, NO_RELEVANT_POSTS, POSTS_JSON_FAILED, ERROR }

  /** One lead's evaluation: the fields to write and what the answer to test-post-score shows. */
  public record Evaluation(String leadId, Outcome outcome, JsonObject fields, int originalPosts, int relevantPosts,
                           TokenUsage tokens) {
    public JsonObject toJson() {
      return new JsonObject().put("id", leadId).put("outcome", outcome.name().toLowerCase())
          .put("originalPosts", originalPosts).put("relevantPosts", relevantPosts)
          .put("tokens", tokens.toJson()).put("fields", fields);
    }
  }

  private final Vertx vertx;
  private final Client client;
  private final RecordStore store;
  private final AiScorer scorer;
  private final PostScoringSetup.Loader setup;
  private final ZoneId zone;
  /** Leads evaluated at once and written in one request: POST_BATCH_CHUNK_SIZE, at most Airtable's 10. */
  private final int chunk;
  private final Function<TokenUsage, Double> costUsd;

  /** @param costUsd the estimated cost of the tokens a run used (from AI_PRICES), as for lead runs */
  public PostScoringService(Vertx vertx, Client client, RecordStore store, AiScorer scorer,
                            PostScoringSetup.Loader setup, ZoneId zone, int chunkSize,
                            Function<TokenUsage, Double> costUsd) {
    this.chunk = Math.max(1, Math.min(RecordStore.MAX_BATCH, chunkSize));
    this.costUsd = costUsd;
    this.vertx = vertx;
    this.client = client;
    this.store = store;
    this.scorer = scorer;
    this.setup = setup;
    this.zone = zone;
  }

  /**
   * Scores up to {@code limit} leads whose posts are not scored yet ({@code forceRescore}: every lead with
   * posts). Progress is reported after each chunk through {@code onProgress}.
   */
  public Future<Void> runBatch(RunProgress run, int limit, boolean forceRescore, Runnable onProgress) {
    return setup.load()
        .recover(e -> Future.failedFuture("could not load the post-scoring prompt: " + e.getMessage()))
        .compose(s -> select(limit, forceRescore).compose(leads -> {
          run.total(leads.size());
          onProgress.run();
          log.info("client {} run {}: {} leads with posts to score", client.clientId(), run.runId(), leads.size());
          return chunks(s, run, leads, 0, onProgress);
        }));
  }

  private Future<List<Record>> select(int limit, boolean forceRescore) {
    Filter hasPosts = Filter.not(Filter.blank(Leads.POSTS_CONTENT));
    Filter filter = forceRescore ? hasPosts : Filter.and(hasPosts, Filter.blank(Leads.DATE_POSTS_SCORED));
    return store.listAll(client.baseId(), Leads.TABLE, ListQuery.where(filter)
        .withFields(List.of(Leads.LINKEDIN_PROFILE_URL, Leads.POSTS_CONTENT, Leads.POSTS_JSON_STATUS))
        .withMaxRecords(limit));
  }

  private Future<Void> chunks(PostScoringSetup s, RunProgress run, List<Record> leads, int from, Runnable onProgress) {
    if (from >= leads.size()) return Future.succeededFuture();
    List<Record> group = leads.subList(from, Math.min(leads.size(), from + chunk));
    List<Future<Evaluation>> evaluations = group.stream().map(r -> evaluate(s, r)).toList();
    return Future.join(evaluations)
        .transform(ar -> write(run, evaluations.stream().map(Future::result).toList()))
        .onComplete(ar -> onProgress.run())
        .compose(v -> chunks(s, run, leads, from + chunk, onProgress));
  }

  private Future<Void> write(RunProgress run, List<Evaluation> evaluations) {
    List<Record> updates = evaluations.stream().map(e -> new Record(e.leadId(), null, e.fields())).toList();
    // The tokens were spent whether or not the write succeeds.
    evaluations.forEach(e -> run.addTokens(e.tokens()));
    run.estimatedCostUsd(costUsd.apply(run.tokens()));
    return store.update(client.baseId(), Leads.TABLE, updates).map(written -> {
      for (Evaluation e : evaluations) {
        switch (e.outcome()) {
          case SCORED, NO_RELEVANT_POSTS -> run.succeeded(1);
          case POSTS_JSON_FAILED -> run.skippedLeads(1);
          case ERROR -> {
            run.failedLeads(1);
            run.error(e.leadId() + ": " + e.fields().getString(Leads.POSTS_AI_EVALUATION));
          }
        }
      }
      return (Void) null;
    }).recover(e -> {
      // Nothing of the group was written: each of its leads is a failure of this run, with its own entry.
      for (Evaluation ev : evaluations) {
        run.failedLeads(1);
        run.error(ev.leadId() + ": result not written: " + e.getMessage());
      }
      return Future.succeededFuture();
    });
  }

  /** {@code /api/test-post-score/{leadId}}: evaluates one lead now, writes the result and answers it. */
  public Future<JsonObject> scoreOne(String leadId) {
    return store.get(client.baseId(), Leads.TABLE, leadId).compose(lead -> setup.load()
        .compose(s -> evaluate(s, lead))
        .compose(e -> store.update(client.baseId(), Leads.TABLE, List.of(new Record(lead.id(), null, e.fields())))
            .map(w -> e.toJson())));
  }

  /** Never fails: an error becomes an ERROR evaluation with the message to write. */
  Future<Evaluation> evaluate(PostScoringSetup s, Record lead) {
    Instant now = Instant.now();
    JsonRepair.Result parsed = JsonRepair.repairAndParse(lead.string(Leads.POSTS_CONTENT));
    if (!(parsed.data() instanceof JsonArray posts)) {
      String why = parsed.success() ? "it is not a JSON array" : parsed.error();
      JsonObject fields = PostResultFields.error("Posts Content does not parse: " + why, now)
          .put(Leads.POSTS_JSON_STATUS, PostsMerger.JSON_FAILED);
      return Future.succeededFuture(new Evaluation(lead.id(), Outcome.POSTS_JSON_FAILED, fields, 0, 0, TokenUsage.NONE));
    }
    List<JsonObject> originals = OriginalPosts.of(posts, lead.string(Leads.LINKEDIN_PROFILE_URL));
    List<JsonObject> relevant = new ArrayList<>();
    List<String> edgeCases = new ArrayList<>();
    for (JsonObject p : originals) {
      if (s.keywords().matches(PostKeywordFilter.textOf(p))) {
        relevant.add(p);
      } else {
        String edge = PostKeywordFilter.edgeCase(p);
        if (edge != null) edgeCases.add(edge);
      }
    }
    if (relevant.isEmpty()) {
      return Future.succeededFuture(new Evaluation(lead.id(), Outcome.NO_RELEVANT_POSTS,
          PostResultFields.noRelevantPosts(originals.size(), edgeCases, now), originals.size(), 0, TokenUsage.NONE));
    }
    JsonObject leadPosts = new JsonObject().put("lead_id", lead.id()).put("posts", new JsonArray(new ArrayList<>(relevant)));
    return callWithRetry(s.prompt(), leadPosts, 0)
        .map(reply -> {
          List<JsonObject> evaluated = PostReplyMerger.merge(reply.results(), relevant);
          JsonObject top = PostReplyMerger.top(evaluated);
          return new Evaluation(lead.id(), Outcome.SCORED, PostResultFields.scored(evaluated, top, now, zone),
              originals.size(), relevant.size(), reply.tokens());
        })
        .otherwise(e -> {
          log.warn("client {}: post scoring of lead {} failed: {}", client.clientId(), lead.id(), e.getMessage());
          return new Evaluation(lead.id(), Outcome.ERROR, PostResultFields.error(String.valueOf(e.getMessage()), now),
              originals.size(), relevant.size(), e instanceof AiException ai ? ai.tokens() : TokenUsage.NONE);
        });
  }

  private Future<PostScoringReply> callWithRetry(String prompt, JsonObject leadPosts, int attempt) {
    return scorer.scorePosts(prompt, leadPosts).recover(e -> {
      boolean retry = attempt < AI_RETRIES && (!(e instanceof AiException ai) || ai.transientFailure());
      if (!retry) return Future.failedFuture(e);
      return vertx.timer(AI_RETRY_BASE_MS << attempt).compose(t -> callWithRetry(prompt, leadPosts, attempt + 1));
    });
  }
}
