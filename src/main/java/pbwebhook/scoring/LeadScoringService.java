package pbwebhook.scoring;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.ai.AiException;
import pbwebhook.ai.AiScorer;
import pbwebhook.ai.LeadInput;
import pbwebhook.ai.LeadScoringReply;
import pbwebhook.ai.SplittableAiException;
import pbwebhook.ai.TokenUsage;
import pbwebhook.clients.Client;
import pbwebhook.runs.RunProgress;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.Leads;

/**
 * Lead scoring for one client (system.md §4.6 with the decisions): select, pre-flight, score in chunks,
 * match results by lead id, compute, write back 10 records a request. Used from the client's worker
 * context only, so its failure counts need no locking.
 */
public final class LeadScoringService {

  private static final Logger log = LoggerFactory.getLogger(LeadScoringService.class);

  /** Failures worth another try in a later run; a logic error would fail the same way again. */
  private static final List<String> RETRYABLE_FAILURES = List.of(Leads.FAILED_API_ERROR, Leads.FAILED_EMPTY_RESPONSE,
      Leads.FAILED_PARSE_ERROR, Leads.FAILED_MISSING_IN_BATCH);
  private static final int MIN_ABOUT_CHARS = 40;
  private static final int AI_RETRIES = 2;
  private static final long AI_RETRY_BASE_MS = 1000;

  private final Vertx vertx;
  private final Client client;
  private final RecordStore store;
  private final AiScorer scorer;
  private final RubricLoader rubrics;
  private final int chunkSize;
  private final int maxAttempts;
  private final int maxPromptTokens;
  private final int concurrency;
  private final java.util.function.Function<TokenUsage, Double> costUsd;
  /** Runs each failed lead has failed in, so a lead is retried by at most {@code maxAttempts} runs. */
  private final Map<String, Integer> failedRuns = new HashMap<>();

  public LeadScoringService(Vertx vertx, Client client, RecordStore store, AiScorer scorer, RubricLoader rubrics,
                            int chunkSize, int maxAttempts) {
    this(vertx, client, store, scorer, rubrics, chunkSize, maxAttempts, Integer.MAX_VALUE, 1, t -> 0.0);
  }

  /**
   * @param maxPromptTokens estimated prompt tokens per AI call (AI_MAX_PROMPT_TOKENS); {@code chunkSize} stays the
   *                        upper bound on leads per call
   * @param concurrency     AI calls in flight at once for this client (AI_CONCURRENCY)
   * @param costUsd         the estimated cost of the tokens a run used (from AI_PRICES)
   */
  public LeadScoringService(Vertx vertx, Client client, RecordStore store, AiScorer scorer, RubricLoader rubrics,
                            int chunkSize, int maxAttempts, int maxPromptTokens, int concurrency,
                            java.util.function.Function<TokenUsage, Double> costUsd) {
    this.vertx = vertx;
    this.client = client;
    this.store = store;
    this.scorer = scorer;
    this.rubrics = rubrics;
    this.chunkSize = Math.max(1, chunkSize);
    this.maxAttempts = maxAttempts;
    this.maxPromptTokens = Math.max(1, maxPromptTokens);
    this.concurrency = Math.max(1, concurrency);
    this.costUsd = costUsd;
  }

  /**
   * Scores up to {@code limit} leads: thin profiles are skipped at once, the rest packed into calls by the prompt
   * budget and scored up to {@code concurrency} calls at a time; progress is reported after each call's writes.
   */
  public Future<Void> runBatch(RunProgress run, int limit, Runnable onProgress) {
    return rubrics.load()
        .recover(e -> Future.failedFuture("could not load the rubric: " + e.getMessage()))
        .compose(rubric -> select(limit).compose(leads -> {
          run.total(leads.size());
          onProgress.run();
          Instant now = Instant.now();
          List<Update> skipped = new ArrayList<>();
          List<LeadInput> inputs = new ArrayList<>();
          for (Record r : leads) {
            JsonObject profile = profileOf(r);
            if (about(profile).length() < MIN_ABOUT_CHARS) {
              skipped.add(new Update(r.id(), LeadResultFields.skipped(Leads.SKIPPED_TOO_THIN, now), Kind.SKIPPED));
            } else {
              inputs.add(new LeadInput(r.id(), profile));
            }
          }
          List<List<LeadInput>> calls = LeadChunkPlanner.plan(rubric, inputs, maxPromptTokens, chunkSize);
          log.info("client {} run {}: {} leads to score ({} skipped as too thin) in {} calls, {} at a time",
              client.clientId(), run.runId(), inputs.size(), skipped.size(), calls.size(), concurrency);
          ResultWriter writer = new ResultWriter(run, onProgress);
          writer.add(skipped);
          return lanes(rubric, run, calls, writer)
              .compose(v -> writer.flush(true))
              .onComplete(ar -> onProgress.run());
        }));
  }

  private Future<List<Record>> select(int limit) {
    ListQuery fresh = ListQuery.where(Filter.eq(Leads.SCORING_STATUS, Leads.TO_BE_SCORED)).withMaxRecords(limit);
    return store.listAll(client.baseId(), Leads.TABLE, fresh).compose(toScore -> {
      if (toScore.size() >= limit) return Future.succeededFuture(toScore);
      Filter failed = Filter.or(RETRYABLE_FAILURES.stream().map(s -> Filter.eq(Leads.SCORING_STATUS, s)).toList());
      return store.listAll(client.baseId(), Leads.TABLE, ListQuery.where(failed)).map(retry -> {
        List<Record> all = new ArrayList<>(toScore);
        // Forget leads that are no longer failed (scored by hand, deleted): the map holds failing leads only.
        java.util.Set<String> stillFailed = new java.util.HashSet<>();
        retry.forEach(r -> stillFailed.add(r.id()));
        failedRuns.keySet().retainAll(stillFailed);
        for (Record r : retry) {
          if (all.size() >= limit) break;
          // The first failing run is not a retry: a lead that failed in n runs has been retried by n - 1.
          if (failedRuns.getOrDefault(r.id(), 0) <= maxAttempts) all.add(r);
        }
        return all;
      });
    });
  }

  /** Runs the calls with at most {@code concurrency} in flight; each lane takes the next call when its own is done. */
  private Future<Void> lanes(Rubric rubric, RunProgress run, List<List<LeadInput>> calls, ResultWriter writer) {
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    RunBudget budget = new RunBudget(rubric, run, calls);
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < Math.min(concurrency, calls.size()); i++) lanes.add(lane(rubric, run, calls, next, writer, budget));
    return Future.join(lanes).mapEmpty();
  }

  private Future<Void> lane(Rubric rubric, RunProgress run, List<List<LeadInput>> calls,
                            java.util.concurrent.atomic.AtomicInteger next, ResultWriter writer, RunBudget budget) {
    if (run.stoppedReason() != null) return Future.succeededFuture();
    int i = next.getAndIncrement();
    if (i >= calls.size()) return Future.succeededFuture();
    long reserved = budget.reserve(i);
    if (reserved < 0) return Future.succeededFuture();
    return scoreInputs(rubric, run, calls.get(i), Instant.now())
        .compose(updates -> {
          budget.done(reserved, calls.get(i).size());
          writer.add(updates);
          return writer.flush(false);
        })
        .compose(v -> lane(rubric, run, calls, next, writer, budget));
  }

  /**
   * The client's monthly token budget within a run: a call is made only when the tokens used so far, those
   * reserved by calls in flight and this call's estimate fit in the run's allowance. The estimate is the run's
   * actual tokens per lead once a call has answered, the prompt-size estimate before. When the next call does not
   * fit, the run stops taking leads; the leads left keep their status (To Be Scored).
   */
  private final class RunBudget {
    private final Rubric rubric;
    private final RunProgress run;
    private final List<List<LeadInput>> calls;
    private long inFlight;
    private int leadsAnswered;

    RunBudget(Rubric rubric, RunProgress run, List<List<LeadInput>> calls) {
      this.rubric = rubric;
      this.run = run;
      this.calls = calls;
    }

    /** The tokens reserved for call {@code i}, or -1 when it does not fit (the run is then stopped). */
    long reserve(int i) {
      if (run.tokenAllowance() == Long.MAX_VALUE) return 0;
      List<LeadInput> call = calls.get(i);
      long estimate = leadsAnswered > 0
          ? (long) Math.ceil((double) run.tokens().total() * call.size() / leadsAnswered)
          : LeadChunkPlanner.fixedTokens(rubric) + call.stream().mapToLong(LeadChunkPlanner::leadTokens).sum();
      if (run.tokens().total() + inFlight + estimate > run.tokenAllowance()) {
        int left = calls.subList(i, calls.size()).stream().mapToInt(List::size).sum();
        run.stopped("budget", "Monthly token budget reached: the next call (about " + estimate + " tokens) would exceed "
            + "what is left of the budget (" + Math.max(0, run.tokenAllowance() - run.tokens().total()) + " of "
            + "this run's " + run.tokenAllowance() + "); " + left + " leads left To Be Scored");
        log.warn("client {} run {}: monthly token budget reached; {} leads left To Be Scored", client.clientId(),
            run.runId(), left);
        return -1;
      }
      inFlight += estimate;
      return estimate;
    }

    void done(long reserved, int leads) {
      inFlight -= reserved;
      leadsAnswered += leads;
    }
  }

  /**
   * A run's results on their way to the store, 10 a request. Results carry over between calls so that every
   * request but the last is full, and writes proceed while the next calls are scored, so a rate-limited store
   * is kept busy. Scoring waits only when too many writes are queued.
   */
  private final class ResultWriter {
    private static final int MAX_QUEUED_WRITES = 20;
    private final RunProgress run;
    private final Runnable onProgress;
    private final List<Update> unwritten = new ArrayList<>();
    private Future<Void> tail = Future.succeededFuture();
    private int queued;

    ResultWriter(RunProgress run, Runnable onProgress) {
      this.run = run;
      this.onProgress = onProgress;
    }

    void add(List<Update> updates) {
      unwritten.addAll(updates);
    }

    /** Queues every full batch (every batch when {@code all}); completes when there is room for more. */
    Future<Void> flush(boolean all) {
      int n = all ? unwritten.size() : unwritten.size() - unwritten.size() % RecordStore.MAX_BATCH;
      List<Update> now = new ArrayList<>(unwritten.subList(0, n));
      unwritten.subList(0, n).clear();
      for (List<Update> batch : RecordStore.batches(now)) {
        queued++;
        tail = tail.compose(v -> writeBatch(run, batch)).onComplete(ar -> {
          queued--;
          onProgress.run();
        });
      }
      return all || queued > MAX_QUEUED_WRITES ? tail : Future.succeededFuture();
    }
  }

  private enum Kind { SCORED, SKIPPED, FAILED }

  private record Update(String id, JsonObject fields, Kind kind) {}

  /**
   * The updates for one call's leads. A call that failed because of its content (output limit, safety block) is
   * split in halves so only the leads concerned fail; any other failure fails every lead of the call.
   */
  private Future<List<Update>> scoreInputs(Rubric rubric, RunProgress run, List<LeadInput> inputs, Instant now) {
    return scoreMatched(rubric, run, inputs).map(results -> {
      List<Update> updates = new ArrayList<>();
      for (LeadInput in : inputs) updates.add(evaluate(rubric, in.id(), results.get(in.id()), now));
      return updates;
    }).recover(e -> {
      if (e instanceof SplittableAiException split) {
        addTokens(run, split.tokens());
        if (inputs.size() > 1) {
          int half = inputs.size() / 2;
          log.info("client {} run {}: {}; scoring the {} leads in two halves", client.clientId(), run.runId(),
              e.getMessage(), inputs.size());
          return scoreInputs(rubric, run, inputs.subList(0, half), now).compose(first ->
              scoreInputs(rubric, run, inputs.subList(half, inputs.size()), now).map(second -> {
                List<Update> all = new ArrayList<>(first);
                all.addAll(second);
                return all;
              }));
        }
        run.error("Lead " + inputs.get(0).id() + ": " + e.getMessage());
      } else {
        run.error("Chunk error: " + e.getMessage());
      }
      String status = failureStatus(e);
      log.warn("client {} run {}: call with {} leads failed: {}", client.clientId(), run.runId(), inputs.size(), e.getMessage());
      List<Update> failed = new ArrayList<>();
      for (LeadInput in : inputs) failed.add(new Update(in.id(), LeadResultFields.failed(status), Kind.FAILED));
      return Future.succeededFuture(failed);
    });
  }

  private void addTokens(RunProgress run, TokenUsage tokens) {
    run.addTokens(tokens);
    run.estimatedCostUsd(costUsd.apply(run.tokens()));
  }

  /** Scores the inputs and matches results by id; leads left out are retried once in a smaller call. */
  private Future<Map<String, JsonObject>> scoreMatched(Rubric rubric, RunProgress run, List<LeadInput> inputs) {
    return callWithRetry(rubric, inputs, 0).compose(reply -> {
      addTokens(run, reply.tokens());
      Map<String, JsonObject> byId = byId(reply, inputs);
      List<LeadInput> missing = inputs.stream().filter(in -> !byId.containsKey(in.id())).toList();
      if (missing.isEmpty()) return Future.succeededFuture(byId);
      return callWithRetry(rubric, missing, 0).map(again -> {
        addTokens(run, again.tokens());
        byId(again, missing).forEach(byId::putIfAbsent);
        return byId;
      }).recover(e -> Future.succeededFuture(byId));
    });
  }

  private static Map<String, JsonObject> byId(LeadScoringReply reply, List<LeadInput> asked) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    var askedIds = asked.stream().map(LeadInput::id).toList();
    for (JsonObject r : reply.results()) {
      String id = r.getValue("id") == null ? null : String.valueOf(r.getValue("id"));
      if (id != null && askedIds.contains(id)) out.putIfAbsent(id, r);
    }
    return out;
  }

  private Future<LeadScoringReply> callWithRetry(Rubric rubric, List<LeadInput> inputs, int attempt) {
    return scorer.scoreLeads(rubric, inputs).recover(e -> {
      // A call that failed for its content fails the same way again: it is split by the caller instead.
      boolean retry = attempt < AI_RETRIES && !(e instanceof SplittableAiException)
          && (!(e instanceof AiException ai) || ai.transientFailure());
      if (!retry) return Future.failedFuture(e);
      long delay = AI_RETRY_BASE_MS << attempt;
      return vertx.timer(delay).compose(t -> callWithRetry(rubric, inputs, attempt + 1));
    });
  }

  private Update evaluate(Rubric rubric, String id, JsonObject result, Instant now) {
    if (result == null) return new Update(id, LeadResultFields.failed(Leads.FAILED_MISSING_IN_BATCH), Kind.FAILED);
    try {
      LeadScore score = LeadScoreCalculator.calculate(rubric, result);
      String breakdown = BreakdownFormatter.format(rubric, score);
      return new Update(id, LeadResultFields.scored(score, breakdown, Leads.SCORED, now), Kind.SCORED);
    } catch (RuntimeException e) {
      return new Update(id, LeadResultFields.logicError(String.valueOf(e.getMessage())), Kind.FAILED);
    }
  }

  private Future<Void> writeBatch(RunProgress run, List<Update> batch) {
    return store.update(client.baseId(), Leads.TABLE, batch.stream().map(u -> new Record(u.id(), null, u.fields())).toList())
        .map(written -> {
          batch.forEach(this::count);
          batch.forEach(u -> tally(run, u.kind()));
          return (Void) null;
        })
        .recover(e -> {
          run.error("Write error: " + e.getMessage());
          run.failedLeads(batch.size());
          return Future.succeededFuture();
        });
  }

  private void count(Update u) {
    if (u.kind() == Kind.FAILED) failedRuns.merge(u.id(), 1, Integer::sum);
    else failedRuns.remove(u.id());
  }

  private static void tally(RunProgress run, Kind kind) {
    switch (kind) {
      case SCORED -> run.succeeded(1);
      case SKIPPED -> run.skippedLeads(1);
      case FAILED -> run.failedLeads(1);
    }
  }

  /**
   * Scores one lead now ({@code /score-lead}): skips a missing or too-small profile, otherwise scores,
   * writes and answers {@code {id, finalPct, aiProfileAssessment, breakdown}}.
   */
  public Future<JsonObject> scoreOne(String recordId) {
    Instant now = Instant.now();
    return store.get(client.baseId(), Leads.TABLE, recordId).compose(r -> {
      String json = r.string(Leads.PROFILE_FULL_JSON);
      String skip = json == null || json.isBlank() ? Leads.SKIPPED_JSON_MISSING
          : about(profileOf(r)).length() < MIN_ABOUT_CHARS ? Leads.SKIPPED_JSON_TOO_SMALL : null;
      if (skip != null) {
        return store.update(client.baseId(), Leads.TABLE, List.of(new Record(r.id(), null, LeadResultFields.skipped(skip, now))))
            .map(w -> new JsonObject().put("ok", true).put("skipped", true).put("reason", skip));
      }
      LeadInput input = new LeadInput(r.id(), profileOf(r));
      return rubrics.load().compose(rubric -> callWithRetry(rubric, List.of(input), 0).compose(reply -> {
        JsonObject result = byId(reply, List.of(input)).get(r.id());
        if (result == null && reply.results().size() == 1) result = reply.results().get(0);
        if (result == null) {
          return store.update(client.baseId(), Leads.TABLE,
                  List.of(new Record(r.id(), null, LeadResultFields.failed(Leads.FAILED_MISSING_IN_BATCH))))
              .compose(w -> Future.failedFuture(new AiException(AiException.Kind.EMPTY_RESPONSE,
                  "the scorer returned no result for lead " + r.id())));
        }
        LeadScore score;
        String breakdown;
        try {
          score = LeadScoreCalculator.calculate(rubric, result);
          breakdown = BreakdownFormatter.format(rubric, score);
        } catch (RuntimeException e) {
          // As in a batch run: the lead records the failure; the caller gets it as a bad answer from the AI (502).
          String message = String.valueOf(e.getMessage());
          return store.update(client.baseId(), Leads.TABLE, List.of(new Record(r.id(), null, LeadResultFields.logicError(message))))
              .compose(w -> Future.failedFuture(new AiException(AiException.Kind.PARSE_ERROR,
                  "the scorer's answer for lead " + r.id() + " could not be scored: " + message)));
        }
        JsonObject fields = LeadResultFields.scored(score, breakdown, Leads.SCORED, now);
        return store.update(client.baseId(), Leads.TABLE, List.of(new Record(r.id(), null, fields)))
            .map(w -> new JsonObject().put("id", r.id()).put("finalPct", score.percentage())
                .put("aiProfileAssessment", fields.getString(Leads.AI_PROFILE_ASSESSMENT)).put("breakdown", breakdown));
      }));
    });
  }

  static String failureStatus(Throwable e) {
    if (e instanceof AiException ai) {
      return switch (ai.kind()) {
        case EMPTY_RESPONSE -> Leads.FAILED_EMPTY_RESPONSE;
        case PARSE_ERROR -> Leads.FAILED_PARSE_ERROR;
        default -> Leads.FAILED_API_ERROR;
      };
    }
    return Leads.FAILED_API_ERROR;
  }

  private static JsonObject profileOf(Record r) {
    String json = r.string(Leads.PROFILE_FULL_JSON);
    if (json == null || json.isBlank()) return new JsonObject();
    try {
      return new JsonObject(json);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }

  private static String about(JsonObject profile) {
    for (String key : List.of("about", "summary", "linkedinDescription")) {
      Object v = profile.getValue(key);
      if (v instanceof String s && !s.isBlank()) return s.trim();
    }
    return "";
  }
}
