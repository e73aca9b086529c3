package pbwebhook.ai;

import pbwebhook.config.AppConfig;

/** Chooses the AI provider from the settings. */
public final class AiScorers {
  private AiScorers() {}

  public static AiScorer create(AppConfig config) {
    return switch (config.aiProvider()) {
      case "heuristic" -> new HeuristicScorer();
      default -> throw new IllegalArgumentException("AI_PROVIDER " + config.aiProvider()
          + " is not available in this build; use heuristic");
    };
  }
}
