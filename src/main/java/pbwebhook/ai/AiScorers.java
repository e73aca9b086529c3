package pbwebhook.ai;

import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Clock;
import pbwebhook.config.AiSettings;
import pbwebhook.config.AppConfig;

/** Chooses the AI provider from the settings (AI_PROVIDER, or the first whose credentials are present). */
public final class AiScorers {
  private AiScorers() {}

  public static AiScorer create(Vertx vertx, AppConfig config) {
    AiSettings s = config.ai();
    return switch (s.provider()) {
      case AiSettings.HEURISTIC -> new HeuristicScorer();
      case AiSettings.GEMINI -> GeminiScorer.aiStudio(vertx, webClient(vertx, s), s, AiRetry.defaults(vertx));
      case AiSettings.VERTEX -> {
        WebClient client = webClient(vertx, s);
        ServiceAccountTokens tokens = new ServiceAccountTokens(vertx, client, s.googleApplicationCredentials(),
            Clock.systemUTC());
        yield GeminiScorer.vertex(vertx, client, s, tokens, AiRetry.defaults(vertx));
      }
      case AiSettings.OPENAI -> new OpenAiScorer(webClient(vertx, s), s, AiRetry.defaults(vertx));
      default -> throw new IllegalArgumentException("AI_PROVIDER " + s.provider() + " is not available");
    };
  }

  /** Enough pooled connections for every call the global cap lets run at once (Vert.x pools 5 per host by default). */
  private static WebClient webClient(Vertx vertx, AiSettings s) {
    return WebClient.create(vertx, new WebClientOptions().setUserAgent("pb-webhook-server").setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(Math.max(PoolOptions.DEFAULT_MAX_POOL_SIZE, s.globalConcurrency() + 2)));
  }
}
