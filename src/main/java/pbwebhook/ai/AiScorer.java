package pbwebhook.ai;

import io.vertx.core.Future;
import java.util.List;

/**
 * The AI port: scores a batch of leads against a rubric. Providers answer one object per lead in the
 * system.md §4.3 shape, each carrying the lead's {@code id}; the caller matches results by that id.
 * Failures are {@link AiException}s.
 */
public interface AiScorer {

  /** Short name for start-up, health output and assessments, e.g. {@code heuristic (offline)}. */
  String describe();

  Future<LeadScoringReply> scoreLeads(Rubric rubric, List<LeadInput> leads);

  /**
   * Scores one lead's relevant posts (system.md §5 step 6). {@code systemInstruction} is the prompt built
   * from the client's Post Scoring Instructions and Post Scoring Attributes; {@code leadPosts} is
   * {@code {lead_id, posts:[{postUrl, postContent, postDate, pbMeta}]}}. Answers one object per post:
   * {@code {post_url, post_score, scoring_rationale}}.
   */
  Future<PostScoringReply> scorePosts(String systemInstruction, io.vertx.core.json.JsonObject leadPosts);
}
