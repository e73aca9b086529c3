package pbwebhook.fakes;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import pbwebhook.ai.AiException;
import pbwebhook.ai.AiScorer;
import pbwebhook.ai.LeadInput;
import pbwebhook.ai.LeadScoringReply;
import pbwebhook.ai.PostScoringReply;
import pbwebhook.ai.TokenUsage;
import pbwebhook.ai.Rubric;
import pbwebhook.ai.ScoringAttribute;

/**
 * The AI port scripted by a test: each call is answered by the next queued {@link Script}, or by the default
 * one (full marks). Every call is recorded with the rubric and lead ids it was given. Answers are delivered
 * on the caller's Vert.x context, as a real HTTP-based provider would.
 */
public final class ScriptedScorer implements AiScorer {

  /** How one scoring call is answered. */
  @FunctionalInterface
  public interface Script {
    Future<LeadScoringReply> answer(Rubric rubric, List<LeadInput> leads);
  }

  /** One call as the pipeline made it. */
  public record Call(Rubric rubric, List<String> leadIds) {
    public List<String> positiveIds() {
      return rubric.positives().stream().map(ScoringAttribute::id).toList();
    }
  }

  public static final TokenUsage TOKENS_PER_CALL = new TokenUsage(100, 20, 5);

  private final ConcurrentLinkedDeque<Script> queued = new ConcurrentLinkedDeque<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile Script fallback = fullMarks();

  @Override
  public String describe() {
    return "scripted (test)";
  }

  @Override
  public Future<LeadScoringReply> scoreLeads(Rubric rubric, List<LeadInput> leads) {
    calls.add(new Call(rubric, leads.stream().map(LeadInput::id).toList()));
    Script script = queued.poll();
    Future<LeadScoringReply> answer;
    try {
      answer = (script == null ? fallback : script).answer(rubric, leads);
    } catch (RuntimeException e) {
      answer = Future.failedFuture(e);
    }
    Context caller = Vertx.currentContext();
    if (caller == null) return answer;
    Promise<LeadScoringReply> onCaller = Promise.promise();
    answer.onComplete(ar -> caller.runOnContext(v -> onCaller.handle(ar)));
    return onCaller.future();
  }

  @Override
  public Future<PostScoringReply> scorePosts(String systemInstruction, JsonObject leadPosts) {
    return Future.failedFuture(new AiException(AiException.Kind.API_ERROR, "post scoring is not scripted"));
  }

  /** Answers the next call with {@code script}; queued scripts are used in order. */
  public ScriptedScorer then(Script script) {
    queued.add(script);
    return this;
  }

  public ScriptedScorer thenTimes(int times, Script script) {
    for (int i = 0; i < times; i++) queued.add(script);
    return this;
  }

  /** Answers every call that has no queued script. */
  public ScriptedScorer byDefault(Script script) {
    fallback = script;
    return this;
  }

  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** Every call's lead ids, flattened: which leads the AI was asked about. */
  public List<String> askedLeadIds() {
    List<String> out = new ArrayList<>();
    calls.forEach(c -> out.addAll(c.leadIds()));
    return out;
  }

  /** One result per lead, in input order, built by {@code perLead}. */
  public static Script answering(Function<LeadInput, JsonObject> perLead) {
    return (rubric, leads) -> Future.succeededFuture(
        new LeadScoringReply(leads.stream().map(perLead).toList(), TOKENS_PER_CALL));
  }

  /** Exactly these results, whatever was asked (for reordering, dropping and unknown ids). */
  public static Script replying(Function<List<LeadInput>, List<JsonObject>> results) {
    return (rubric, leads) -> Future.succeededFuture(new LeadScoringReply(results.apply(leads), TOKENS_PER_CALL));
  }

  /** Every positive attribute of the given rubric at its max: each lead scores 100 %. */
  public static Script fullMarks() {
    return (rubric, leads) -> Future.succeededFuture(new LeadScoringReply(
        leads.stream().map(l -> fullMarks(rubric, l.id())).toList(), TOKENS_PER_CALL));
  }

  public static Script failing(AiException.Kind kind) {
    return (rubric, leads) -> Future.failedFuture(new AiException(kind, "scripted " + kind + " failure"));
  }

  /** Fails with the kind mapped to the first listed lead of the call, answers full marks otherwise. */
  public static Script failingFor(Map<String, AiException.Kind> kindByLead) {
    return (rubric, leads) -> leads.stream().map(l -> kindByLead.get(l.id())).filter(k -> k != null).findFirst()
        .map(kind -> failing(kind).answer(rubric, leads))
        .orElseGet(() -> fullMarks().answer(rubric, leads));
  }

  /** Holds the call until the test completes {@code release}, then answers with {@code then}. */
  public static Script heldUntil(CompletableFuture<Void> release, Script then) {
    return (rubric, leads) -> {
      Promise<LeadScoringReply> p = Promise.promise();
      release.whenComplete((v, err) -> then.answer(rubric, leads).onComplete(p));
      return p.future();
    };
  }

  /**
   * Holds each call until {@code parties} calls are waiting at once, then answers them all with {@code then};
   * if they never meet within {@code timeout} (the calls were not concurrent) they fail, so the test fails
   * instead of hanging.
   */
  public static Script together(int parties, Duration timeout, Script then) {
    AtomicInteger arrived = new AtomicInteger();
    CompletableFuture<Void> all = new CompletableFuture<>();
    all.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return (rubric, leads) -> {
      if (arrived.incrementAndGet() >= parties) all.complete(null);
      Promise<LeadScoringReply> p = Promise.promise();
      all.whenComplete((v, err) -> {
        if (err != null) {
          p.fail(new AiException(AiException.Kind.API_ERROR, "only " + arrived.get() + " of " + parties
              + " calls were in flight together"));
        } else {
          then.answer(rubric, leads).onComplete(p);
        }
      });
      return p.future();
    };
  }

  public static JsonObject fullMarks(Rubric rubric, String leadId) {
    JsonObject positives = new JsonObject();
    JsonObject reasons = new JsonObject();
    for (ScoringAttribute a : rubric.positives()) {
      positives.put(a.id(), a.maxPoints());
      reasons.put(a.id(), "Scripted evidence for " + a.id() + ".");
    }
    return result(leadId, positives, new JsonObject()).put("attribute_reasoning", reasons);
  }

  /** A result in the system.md §4.3 shape; the assessment names the lead so a misassigned result shows. */
  public static JsonObject result(String leadId, JsonObject positives, JsonObject negatives) {
    return new JsonObject()
        .put("id", leadId)
        .put("positive_scores", positives)
        .put("negative_scores", negatives)
        .put("attribute_reasoning", new JsonObject())
        .put("contact_readiness", false)
        .put("unscored_attributes", new JsonArray())
        .put("aiProfileAssessment", assessmentOf(leadId))
        .put("ai_excluded", "No")
        .put("exclude_details", "");
  }

  public static String assessmentOf(String leadId) {
    return "Scripted assessment of " + leadId + ".";
  }
}
