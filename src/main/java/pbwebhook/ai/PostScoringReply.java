package pbwebhook.ai;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a scorer answered for one lead's posts: one object per post in the system.md §9.4 shape
 * ({@code post_url, post_score, scoring_rationale}) and the tokens the call used.
 */
public record PostScoringReply(List<JsonObject> results, TokenUsage tokens) {
  public PostScoringReply { results = List.copyOf(results); }
}
