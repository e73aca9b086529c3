package pbwebhook.ai;

import io.vertx.core.Future;
import java.util.List;
import pbwebhook.scoring.Rubric;

/**
 * The AI port: scores a batch of leads against a rubric. Providers answer one object per lead in the
 * system.md §4.3 shape, each carrying the lead's {@code id}; the caller matches results by that id.
 * Failures are {@link AiException}s.
 */
public interface AiScorer {

  /** Short name for start-up, health output and assessments, e.g. {@code heuristic (offline)}. */
  String describe();

  Future<LeadScoringReply> scoreLeads(Rubric rubric, List<LeadInput> leads);
}
