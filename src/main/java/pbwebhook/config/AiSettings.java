package pbwebhook.config;

import io.vertx.core.json.JsonObject;
import pbwebhook.ai.AiPrices;

/**
 * The AI provider settings: which provider, its endpoint and credentials, and the batching and concurrency
 * limits of scoring calls. Secrets (GEMINI_API_KEY, OPENAI_API_KEY) come from the environment only and are never
 * printed ({@link #toString()} shows only whether they are set).
 */
public record AiSettings(
    String provider,
    String geminiApiKey,
    String geminiEndpointUrl,
    String geminiModelId,
    int geminiTimeoutMs,
    int geminiThinkingBudget,
    String gcpProjectId,
    String gcpLocation,
    String googleApplicationCredentials,
    String vertexEndpointUrl,
    String openaiApiKey,
    String openaiBaseUrl,
    String openaiModel,
    int maxPromptTokens,
    int concurrency,
    int globalConcurrency,
    int postBatchChunkSize,
    AiPrices prices) {

  public static final String GEMINI = "gemini";
  public static final String VERTEX = "vertex";
  public static final String OPENAI = "openai";
  public static final String HEURISTIC = "heuristic";

  public static final String DEFAULT_GEMINI_ENDPOINT_URL = "https://generativelanguage.googleapis.com";
  public static final String DEFAULT_GEMINI_MODEL_ID = "gemini-2.5-flash";
  public static final int DEFAULT_GEMINI_TIMEOUT_MS = 300_000;
  /** 0 turns thinking off on Flash models (cheapest); -1 lets the model decide. */
  public static final int DEFAULT_GEMINI_THINKING_BUDGET = 0;
  public static final String DEFAULT_GCP_LOCATION = "us-central1";
  public static final String DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";
  public static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
  public static final int DEFAULT_AI_MAX_PROMPT_TOKENS = 30_000;
  public static final int DEFAULT_AI_CONCURRENCY = 4;
  public static final int DEFAULT_AI_GLOBAL_CONCURRENCY = 8;
  public static final int DEFAULT_POST_BATCH_CHUNK_SIZE = 10;

  static AiSettings from(JsonObject c) {
    String geminiKey = AppConfig.text(c, "GEMINI_API_KEY");
    String project = AppConfig.text(c, "GCP_PROJECT_ID");
    String credentials = AppConfig.text(c, "GOOGLE_APPLICATION_CREDENTIALS");
    String openaiKey = AppConfig.text(c, "OPENAI_API_KEY");
    String asked = AppConfig.textOr(c, "AI_PROVIDER", "auto").toLowerCase();
    String provider = switch (asked) {
      case "auto" -> geminiKey != null ? GEMINI
          : project != null && credentials != null ? VERTEX
          : openaiKey != null ? OPENAI : HEURISTIC;
      case GEMINI, VERTEX, OPENAI, HEURISTIC -> asked;
      default -> throw new IllegalArgumentException("AI_PROVIDER must be gemini, vertex, openai, heuristic or auto, not: " + asked);
    };
    if (provider.equals(GEMINI) && geminiKey == null) throw new IllegalArgumentException("AI_PROVIDER=gemini needs GEMINI_API_KEY");
    if (provider.equals(VERTEX) && (project == null || credentials == null)) {
      throw new IllegalArgumentException("AI_PROVIDER=vertex needs GCP_PROJECT_ID and GOOGLE_APPLICATION_CREDENTIALS");
    }
    return new AiSettings(provider, geminiKey,
        AppConfig.textOr(c, "GEMINI_ENDPOINT_URL", DEFAULT_GEMINI_ENDPOINT_URL),
        AppConfig.textOr(c, "GEMINI_MODEL_ID", DEFAULT_GEMINI_MODEL_ID),
        AppConfig.intOr(c, "GEMINI_TIMEOUT_MS", DEFAULT_GEMINI_TIMEOUT_MS),
        AppConfig.intOr(c, "GEMINI_THINKING_BUDGET", DEFAULT_GEMINI_THINKING_BUDGET),
        project,
        AppConfig.textOr(c, "GCP_LOCATION", DEFAULT_GCP_LOCATION),
        credentials,
        AppConfig.text(c, "VERTEX_ENDPOINT_URL"),
        openaiKey,
        AppConfig.textOr(c, "OPENAI_BASE_URL", DEFAULT_OPENAI_BASE_URL),
        AppConfig.textOr(c, "OPENAI_MODEL", DEFAULT_OPENAI_MODEL),
        Math.max(1, AppConfig.intOr(c, "AI_MAX_PROMPT_TOKENS", DEFAULT_AI_MAX_PROMPT_TOKENS)),
        Math.max(1, AppConfig.intOr(c, "AI_CONCURRENCY", DEFAULT_AI_CONCURRENCY)),
        Math.max(1, AppConfig.intOr(c, "AI_GLOBAL_CONCURRENCY", DEFAULT_AI_GLOBAL_CONCURRENCY)),
        Math.max(1, AppConfig.intOr(c, "POST_BATCH_CHUNK_SIZE", DEFAULT_POST_BATCH_CHUNK_SIZE)),
        AiPrices.parse(AppConfig.textOr(c, "AI_PRICES", AiPrices.DEFAULT_JSON)));
  }

  /** The model whose prices apply: Gemini's for gemini and vertex, OPENAI_MODEL for openai, none for the heuristic. */
  public String model() {
    return switch (provider) {
      case GEMINI, VERTEX -> geminiModelId;
      case OPENAI -> openaiModel;
      default -> HEURISTIC;
    };
  }

  @Override
  public String toString() {
    return "AiSettings{provider=" + provider + ", model=" + model() + ", geminiApiKeySet=" + (geminiApiKey != null)
        + ", openaiApiKeySet=" + (openaiApiKey != null) + ", maxPromptTokens=" + maxPromptTokens + ", concurrency="
        + concurrency + ", globalConcurrency=" + globalConcurrency + "}";
  }
}
