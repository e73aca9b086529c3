package pbwebhook.ai;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a scorer answered for a batch: one object per lead it scored, in the system.md §4.3 shape
 * plus an {@code id} field naming the lead, and the tokens the call used.
 */
public record LeadScoringReply(List<JsonObject> results, TokenUsage tokens) {
  public LeadScoringReply { results = List.copyOf(results); }
}
