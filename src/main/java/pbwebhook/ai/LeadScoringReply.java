package pbwebhook.ai;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a scorer answered for a batch: one object per lead it scored, in the system.md §4.3 shape
 * plus an {@code id} field naming the lead, and the tokens the call used. {@code cutOff}: the reply stopped at
 * the output token limit, so {@code results} holds only the leads it completed before that (possibly none).
 */
public record LeadScoringReply(List<JsonObject> results, TokenUsage tokens, boolean cutOff) {

  public LeadScoringReply { results = List.copyOf(results); }

  public LeadScoringReply(List<JsonObject> results, TokenUsage tokens) {
    this(results, tokens, false);
  }

  /** A reply cut off at the output limit: the complete lead objects in its text, none when it holds none. */
  static LeadScoringReply cutOff(String text, TokenUsage tokens) {
    List<JsonObject> complete;
    try {
      complete = AiReplyParser.objects(text);
    } catch (AiException e) {
      complete = List.of();
    }
    return new LeadScoringReply(complete, tokens, true);
  }
}
