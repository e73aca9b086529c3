package pbwebhook.scoring;

import java.util.ArrayList;
import java.util.List;
import pbwebhook.ai.LeadInput;
import pbwebhook.ai.LeadPromptBuilder;
import pbwebhook.ai.Rubric;

/**
 * Packs leads into AI calls: as many per call as fit the prompt-token budget (the rubric is sent once per call,
 * so fuller calls cost fewer tokens per lead), at most {@code maxLeads} per call. Tokens are estimated before
 * sending at one per four characters, the usual rule of thumb for English JSON.
 */
public final class LeadChunkPlanner {

  static final int CHARS_PER_TOKEN = 4;

  private LeadChunkPlanner() {}

  public static int estimateTokens(int chars) {
    return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  /** Estimated prompt tokens of one lead as sent in the user message. */
  public static int leadTokens(LeadInput lead) {
    return estimateTokens(LeadPromptBuilder.userMessage(List.of(lead)).length() - fixedUserChars());
  }

  /** Estimated prompt tokens every call pays whatever its leads: the system instruction and the user intro. */
  public static int fixedTokens(Rubric rubric) {
    return estimateTokens(LeadPromptBuilder.systemInstruction(rubric).length() + fixedUserChars());
  }

  /**
   * Consecutive chunks in input order; each holds at least one lead, so a lead too large for the budget on its
   * own still gets its own call.
   */
  public static List<List<LeadInput>> plan(Rubric rubric, List<LeadInput> leads, int maxPromptTokens, int maxLeads) {
    int fixed = fixedTokens(rubric);
    int cap = Math.max(1, maxLeads);
    List<List<LeadInput>> chunks = new ArrayList<>();
    List<LeadInput> current = new ArrayList<>();
    int used = fixed;
    for (LeadInput lead : leads) {
      int t = leadTokens(lead);
      if (!current.isEmpty() && (current.size() >= cap || used + t > maxPromptTokens)) {
        chunks.add(current);
        current = new ArrayList<>();
        used = fixed;
      }
      current.add(lead);
      used += t;
    }
    if (!current.isEmpty()) chunks.add(current);
    return chunks;
  }

  /** Characters of the user message around the leads: the intro and {@code {"leads":[]}}. */
  private static int fixedUserChars() {
    return LeadPromptBuilder.userMessage(List.of()).length();
  }
}
