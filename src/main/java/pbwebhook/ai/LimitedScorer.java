package pbwebhook.ai;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Puts every call of a scorer under a shared {@link AiCallLimiter}: the AI_GLOBAL_CONCURRENCY cap across clients. */
public final class LimitedScorer implements AiScorer {

  private final AiScorer delegate;
  private final AiCallLimiter limiter;

  public LimitedScorer(AiScorer delegate, AiCallLimiter limiter) {
    this.delegate = delegate;
    this.limiter = limiter;
  }

  @Override
  public String describe() { return delegate.describe(); }

  @Override
  public Future<LeadScoringReply> scoreLeads(Rubric rubric, List<LeadInput> leads) {
    return limiter.submit(() -> delegate.scoreLeads(rubric, leads));
  }

  @Override
  public Future<PostScoringReply> scorePosts(String systemInstruction, JsonObject leadPosts) {
    return limiter.submit(() -> delegate.scorePosts(systemInstruction, leadPosts));
  }
}
