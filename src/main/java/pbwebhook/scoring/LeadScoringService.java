package pbwebhook.scoring;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.ai.AiException;
import pbwebhook.ai.AiScorer;
import pbwebhook.ai.LeadInput;
import pbwebhook.ai.LeadScoringReply;
import pbwebhook.ai.Rubric;
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
      Leads.FAILED_PARSE_ERROR, Leads.FAILED_MISSING_IN_BATCH, Leads.FAILED_REPLY_CUT_OFF);
  private static final int MIN_ABOUT_CHARS = 40;
  private static final int AI_RETRIES = 2;
  private static final long AI_RETRY_BASE_MS = 1000;
  /** Leads selected at once by a run on a store with cheap lookups. */
  static final int WINDOW = 500;

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
        .compose(rubric -> store.cheapLookups() ? windows(rubric, run, limit, onProgress)
            : select(limit).compose(leads -> {
              run.total(leads.size());
              return scoreWindow(rubric, run, leads, onProgress);
            }));
  }

  /**
   * On a store whose lookups are cheap (the embedded one) a run selects and scores {@link #WINDOW} fresh leads at a
   * time, so its memory does not grow with the backlog: a scored lead leaves {@code To Be Scored}, so each window is
   * the first page still to score. The run's total grows by each window. The retryable failures come last, once.
   * Each window starts from the previous one's completion callback, so no finished window stays reachable.
   */
  private Future<Void> windows(Rubric rubric, RunProgress run, int limit, Runnable onProgress) {
    Promise<Void> done = Promise.promise();
    nextWindow(rubric, run, limit, new HashSet<>(), onProgress, done);
    return done.future();
  }

  private void nextWindow(Rubric rubric, RunProgress run, int limit, Set<String> taken, Runnable onProgress,
                          Promise<Void> done) {
    int room = limit - taken.size();
    if (room <= 0) {
      done.complete();
      return;
    }
    ListQuery fresh = ListQuery.where(Filter.eq(Leads.SCORING_STATUS, Leads.TO_BE_SCORED)).withMaxRecords(Math.min(WINDOW, room));
    boolean[] last = new boolean[1];
    store.listAll(client.baseId(), Leads.TABLE, fresh).compose(page -> {
      // a lead taken before is still To Be Scored only when its write failed: it waits for the next run
      List<Record> leads = page.stream().filter(r -> taken.add(r.id())).toList();
      last[0] = leads.isEmpty();
      return last[0] ? withRetries(List.of(), room, taken) : Future.succeededFuture(leads);
    }).compose(window -> {
      if (window.isEmpty()) {
        last[0] = true;
        return Future.<Void>succeededFuture();
      }
      run.total(run.total() + window.size());
      return scoreWindow(rubric, run, window, onProgress);
    }).onComplete(ar -> {
      if (ar.failed()) done.fail(ar.cause());
      else if (last[0]) done.complete();
      else nextWindow(rubric, run, limit, taken, onProgress, done);
    });
  }

  /** Scores one selection: thin profiles skipped, the rest in calls by the prompt budget, then every write. */
  private Future<Void> scoreWindow(Rubric rubric, RunProgress run, List<Record> leads, Runnable onProgress) {
    onProgress.run();
    Instant now = Instant.now();
    List<Update> skipped = new ArrayList<>();
    List<LeadInput> inputs = new ArrayList<>();
    for (Record r : leads) {
      JsonObject profile = profileOf(r);
      if (about(profile).length() < MIN_ABOUT_CHARS) {
        skipped.add(new Update(r.id(), LeadResultFields.skipped(Leads.SKIPPED_TOO_THIN, now), Kind.SKIPPED, null));
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
  }

  private Future<List<Record>> select(int limit) {
    ListQuery fresh = ListQuery.where(Filter.eq(Leads.SCORING_STATUS, Leads.TO_BE_SCORED)).withMaxRecords(limit);
    return store.listAll(client.baseId(), Leads.TABLE, fresh).compose(toScore -> withRetries(toScore, limit, Set.of()));
  }

  /** The fresh leads, then retryable failures (none of {@code exclude}) up to {@code limit} in all. */
  private Future<List<Record>> withRetries(List<Record> toScore, int limit, Set<String> exclude) {
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
        if (failedRuns.getOrDefault(r.id(), 0) <= maxAttempts && !exclude.contains(r.id())) all.add(r);
      }
      return all;
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

  /** One lead's fields to write; a failed lead carries its entry for the run's errors, so counts and errors agree. */
  private record Update(String id, JsonObject fields, Kind kind, String error) {
    static Update failed(String id, String status, String why) {
      return new Update(id, LeadResultFields.failed(status), Kind.FAILED, errorEntry(id, status, why));
    }
  }

  static String errorEntry(String leadId, String status, String why) {
    return "Lead " + leadId + ": " + status + ": " + why;
  }

  /**
   * The updates for one planned call's leads. Results are matched by lead id. Leads the reply left out are sent
   * once more: together, or in two halves when the reply was cut off at the output limit (what it completed is
   * kept; a smaller call fits). Leads still without a result then fail, {@code Failed – AI Reply Cut Off} when
   * their last reply was cut off, else {@code Failed – Missing in AI Batch Response}. So a planned call costs at
   * most three calls, plus retries of transient failures. A call blocked by a safety filter is split in halves
   * down to the blocked lead (at most 2·log2(n) more calls); any other failure fails every lead of the call.
   */
  private Future<List<Update>> scoreInputs(Rubric rubric, RunProgress run, List<LeadInput> inputs, Instant now) {
    return callWithRetry(rubric, inputs, 0)
        .compose(reply -> {
          addTokens(run, reply.tokens());
          Outcomes outcomes = new Outcomes();
          outcomes.add(reply, inputs);
          List<LeadInput> missing = outcomes.missing(inputs);
          // A single lead whose reply was cut off would be cut off the same way again.
          if (missing.isEmpty() || (reply.cutOff() && inputs.size() == 1)) return Future.succeededFuture(outcomes);
          if (reply.cutOff()) {
            log.info("client {} run {}: the reply for {} leads was cut off at the output limit after {}; the other {} "
                + "go again in two halves", client.clientId(), run.runId(), inputs.size(), inputs.size() - missing.size(),
                missing.size());
          }
          return rescore(rubric, run, reply.cutOff() ? halves(missing) : List.of(missing), 0, outcomes);
        })
        .map(outcomes -> inputs.stream().map(in -> outcomes.update(rubric, in.id(), now)).toList())
        .recover(e -> {
          if (e instanceof AiException ai) addTokens(run, ai.tokens());
          if (e instanceof SplittableAiException && inputs.size() > 1) {
            log.info("client {} run {}: {}; scoring the {} leads in two halves", client.clientId(), run.runId(),
                e.getMessage(), inputs.size());
            List<List<LeadInput>> halves = halves(inputs);
            return scoreInputs(rubric, run, halves.get(0), now).compose(first ->
                scoreInputs(rubric, run, halves.get(1), now).map(second -> {
                  List<Update> all = new ArrayList<>(first);
                  all.addAll(second);
                  return all;
                }));
          }
          String status = failureStatus(e);
          log.warn("client {} run {}: call with {} leads failed: {}", client.clientId(), run.runId(), inputs.size(), e.getMessage());
          return Future.succeededFuture(inputs.stream().map(in -> Update.failed(in.id(), status, e.getMessage())).toList());
        });
  }

  /** The second calls for the leads a reply left out, one after another; a failed call fails only its leads. */
  private Future<Outcomes> rescore(Rubric rubric, RunProgress run, List<List<LeadInput>> calls, int i, Outcomes outcomes) {
    if (i >= calls.size()) return Future.succeededFuture(outcomes);
    List<LeadInput> call = calls.get(i);
    return callWithRetry(rubric, call, 0)
        .map(reply -> {
          addTokens(run, reply.tokens());
          outcomes.add(reply, call);
          return outcomes;
        })
        .recover(e -> {
          if (e instanceof AiException ai) addTokens(run, ai.tokens());
          outcomes.failed(call, e);
          return Future.succeededFuture(outcomes);
        })
        .compose(o -> rescore(rubric, run, calls, i + 1, o));
  }

  private static List<List<LeadInput>> halves(List<LeadInput> leads) {
    int half = leads.size() / 2;
    return half == 0 ? List.of(leads) : List.of(leads.subList(0, half), leads.subList(half, leads.size()));
  }

  /** Per lead of one planned call: its result, or why the last call that carried it gave none. */
  private final class Outcomes {
    private final Map<String, JsonObject> results = new LinkedHashMap<>();
    private final Map<String, Update> failures = new HashMap<>();

    void add(LeadScoringReply reply, List<LeadInput> asked) {
      byId(reply, asked).forEach(results::putIfAbsent);
      List<LeadInput> missing = missing(asked);
      String why = reply.cutOff()
          ? "the AI reply stopped at its output token limit (" + asked.size() + " leads in the call, "
              + (asked.size() - missing.size()) + " answered)"
          : "the AI reply left this lead out";
      String status = reply.cutOff() ? Leads.FAILED_REPLY_CUT_OFF : Leads.FAILED_MISSING_IN_BATCH;
      for (LeadInput in : missing) failures.put(in.id(), Update.failed(in.id(), status, why));
    }

    void failed(List<LeadInput> asked, Throwable e) {
      for (LeadInput in : missing(asked)) failures.put(in.id(), Update.failed(in.id(), failureStatus(e), e.getMessage()));
    }

    List<LeadInput> missing(List<LeadInput> asked) {
      return asked.stream().filter(in -> !results.containsKey(in.id())).toList();
    }

    Update update(Rubric rubric, String id, Instant now) {
      JsonObject result = results.get(id);
      return result == null ? failures.get(id) : evaluate(rubric, id, result, now);
    }
  }

  private void addTokens(RunProgress run, TokenUsage tokens) {
    run.addTokens(tokens);
    run.estimatedCostUsd(costUsd.apply(run.tokens()));
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
    try {
      LeadScore score = LeadScoreCalculator.calculate(rubric, result);
      String breakdown = BreakdownFormatter.format(rubric, score);
      return new Update(id, LeadResultFields.scored(score, breakdown, Leads.SCORED, now), Kind.SCORED, null);
    } catch (RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      return new Update(id, LeadResultFields.logicError(message), Kind.FAILED,
          errorEntry(id, Leads.FAILED_SCORING_LOGIC, message));
    }
  }

  private Future<Void> writeBatch(RunProgress run, List<Update> batch) {
    return store.update(client.baseId(), Leads.TABLE, batch.stream().map(u -> new Record(u.id(), null, u.fields())).toList())
        .map(written -> {
          batch.forEach(this::count);
          batch.forEach(u -> tally(run, u));
          return (Void) null;
        })
        .recover(e -> {
          // Nothing of the batch was written: each of its leads is a failure of this run, with its own entry.
          for (Update u : batch) {
            run.failedLeads(1);
            run.error("Lead " + u.id() + ": result not written: " + e.getMessage());
          }
          return Future.succeededFuture();
        });
  }

  private void count(Update u) {
    if (u.kind() == Kind.FAILED) failedRuns.merge(u.id(), 1, Integer::sum);
    else failedRuns.remove(u.id());
  }

  private static void tally(RunProgress run, Update u) {
    switch (u.kind()) {
      case SCORED -> run.succeeded(1);
      case SKIPPED -> run.skippedLeads(1);
      case FAILED -> {
        run.failedLeads(1);
        run.error(u.error());
      }
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
          String status = reply.cutOff() ? Leads.FAILED_REPLY_CUT_OFF : Leads.FAILED_MISSING_IN_BATCH;
          AiException none = reply.cutOff()
              ? new AiException(AiException.Kind.OUTPUT_LIMIT, "the AI reply for lead " + r.id()
                  + " stopped at its output token limit")
              : new AiException(AiException.Kind.EMPTY_RESPONSE, "the scorer returned no result for lead " + r.id());
          return store.update(client.baseId(), Leads.TABLE, List.of(new Record(r.id(), null, LeadResultFields.failed(status))))
              .compose(w -> Future.failedFuture(none));
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
        case OUTPUT_LIMIT -> Leads.FAILED_REPLY_CUT_OFF;
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
