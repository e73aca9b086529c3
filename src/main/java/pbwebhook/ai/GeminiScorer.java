package pbwebhook.ai;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import pbwebhook.config.AiSettings;

/**
 * Gemini {@code generateContent}, on AI Studio (API key in the {@code x-goog-api-key} header, never in the URL)
 * or on Vertex AI (a service account's bearer token). JSON mode with a response schema, temperature 0, a
 * thinking budget. A lead reply cut off at the output limit ({@code MAX_TOKENS}) answers the leads it completed,
 * marked cut off; a block by safety is a {@link SplittableAiException} so the caller can isolate the leads concerned.
 *
 * <p>Safety settings: {@code BLOCK_ONLY_HIGH} for the four adjustable categories. The old server turned the
 * filters off (system.md §8 item 8); business profiles and posts almost never reach "high", and a block that
 * does happen fails only the leads concerned, with the reason in the run's errors.
 */
public final class GeminiScorer implements AiScorer {

  static final int LEAD_MAX_OUTPUT_TOKENS = 60_000;
  static final int POST_MAX_OUTPUT_TOKENS = 16_384;
  static final List<String> SAFETY_CATEGORIES = List.of("HARM_CATEGORY_HARASSMENT", "HARM_CATEGORY_HATE_SPEECH",
      "HARM_CATEGORY_SEXUALLY_EXPLICIT", "HARM_CATEGORY_DANGEROUS_CONTENT");
  static final String SAFETY_THRESHOLD = "BLOCK_ONLY_HIGH";
  private static final Set<String> BLOCKING_FINISH = Set.of("SAFETY", "RECITATION", "BLOCKLIST",
      "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY");

  private final String label;
  private final String url;
  private final Supplier<Future<MultiMap>> auth;
  private final AiHttp http;
  private final AiRetry retry;
  private final int thinkingBudget;

  private GeminiScorer(String label, String url, Supplier<Future<MultiMap>> auth, AiHttp http, AiRetry retry,
                       int thinkingBudget) {
    this.label = label;
    this.url = url;
    this.auth = auth;
    this.http = http;
    this.retry = retry;
    this.thinkingBudget = thinkingBudget;
  }

  /** Google AI Studio: {@code POST {GEMINI_ENDPOINT_URL}/v1beta/models/{model}:generateContent}. */
  public static GeminiScorer aiStudio(Vertx vertx, WebClient client, AiSettings s, AiRetry retry) {
    String url = trimSlash(s.geminiEndpointUrl()) + "/v1beta/models/" + s.geminiModelId() + ":generateContent";
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("x-goog-api-key", s.geminiApiKey());
    return new GeminiScorer("gemini " + s.geminiModelId() + " (AI Studio)", url, () -> Future.succeededFuture(headers),
        new AiHttp(client, "Gemini", s.geminiTimeoutMs(), List.of(s.geminiApiKey())), retry, s.geminiThinkingBudget());
  }

  /** Vertex AI: {@code POST {endpoint}/v1/projects/{p}/locations/{l}/publishers/google/models/{model}:generateContent}. */
  public static GeminiScorer vertex(Vertx vertx, WebClient client, AiSettings s, ServiceAccountTokens tokens, AiRetry retry) {
    String endpoint = s.vertexEndpointUrl() != null ? s.vertexEndpointUrl()
        : "https://" + s.gcpLocation() + "-aiplatform.googleapis.com";
    String url = trimSlash(endpoint) + "/v1/projects/" + s.gcpProjectId() + "/locations/" + s.gcpLocation()
        + "/publishers/google/models/" + s.geminiModelId() + ":generateContent";
    Supplier<Future<MultiMap>> auth = () -> tokens.accessToken()
        .map(t -> MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + t));
    return new GeminiScorer("vertex " + s.geminiModelId() + " (" + s.gcpProjectId() + ", " + s.gcpLocation() + ")", url,
        auth, new AiHttp(client, "Vertex AI", s.geminiTimeoutMs(), List.of()), retry, s.geminiThinkingBudget());
  }

  @Override
  public String describe() { return label; }

  @Override
  public Future<LeadScoringReply> scoreLeads(Rubric rubric, List<LeadInput> leads) {
    if (leads.isEmpty()) return Future.succeededFuture(new LeadScoringReply(List.of(), TokenUsage.NONE));
    JsonObject body = request(LeadPromptBuilder.systemInstruction(rubric), LeadPromptBuilder.userMessage(leads),
        ReplySchemas.forGemini(ReplySchemas.leads(rubric)), LEAD_MAX_OUTPUT_TOKENS);
    List<String> ids = leads.stream().map(LeadInput::id).toList();
    return send(body, ids).map(r -> r.cutOff() ? LeadScoringReply.cutOff(r.text(), r.tokens())
        : new LeadScoringReply(AiReplyParser.objects(r.text()), r.tokens()));
  }

  @Override
  public Future<PostScoringReply> scorePosts(String systemInstruction, JsonObject leadPosts) {
    JsonObject body = request(systemInstruction, PostPromptText.userMessage(leadPosts),
        ReplySchemas.forGemini(ReplySchemas.posts()), POST_MAX_OUTPUT_TOKENS);
    String leadId = leadPosts == null ? "" : String.valueOf(leadPosts.getValue("lead_id", ""));
    return send(body, List.of(leadId)).compose(r -> r.cutOff()
        ? Future.failedFuture(AiException.outputLimit("Gemini").withTokens(r.tokens()))
        : Future.succeededFuture(new PostScoringReply(AiReplyParser.objects(r.text()), r.tokens())));
  }

  JsonObject request(String system, String user, JsonObject schema, int maxOutputTokens) {
    JsonArray safety = new JsonArray();
    SAFETY_CATEGORIES.forEach(c -> safety.add(new JsonObject().put("category", c).put("threshold", SAFETY_THRESHOLD)));
    return new JsonObject()
        .put("systemInstruction", new JsonObject().put("parts", new JsonArray().add(new JsonObject().put("text", system))))
        .put("contents", new JsonArray().add(new JsonObject().put("role", "user")
            .put("parts", new JsonArray().add(new JsonObject().put("text", user)))))
        .put("generationConfig", new JsonObject()
            .put("temperature", 0)
            .put("responseMimeType", "application/json")
            .put("responseSchema", schema)
            .put("maxOutputTokens", maxOutputTokens)
            .put("thinkingConfig", new JsonObject().put("thinkingBudget", thinkingBudget)))
        .put("safetySettings", safety);
  }

  /** The reply text (thoughts left out), the tokens, and whether it stopped at the output limit. */
  private record Answer(String text, TokenUsage tokens, boolean cutOff) {}

  private Future<Answer> send(JsonObject body, List<String> ids) {
    return retry.run(label, () -> auth.get().compose(h -> http.post(url, h, body)))
        .compose(resp -> {
          try {
            return Future.succeededFuture(read(resp, ids));
          } catch (AiException e) {
            return Future.failedFuture(e);
          }
        });
  }

  /** The reply text and tokens, or the failure the response stands for. */
  private Answer read(JsonObject resp, List<String> ids) {
    TokenUsage tokens = usage(resp.getJsonObject("usageMetadata"));
    JsonObject feedback = resp.getJsonObject("promptFeedback");
    if (feedback != null && feedback.getString("blockReason") != null) {
      throw SplittableAiException.blocked("Gemini", "prompt blocked (" + feedback.getString("blockReason") + ")", ids)
          .withTokens(tokens);
    }
    JsonArray candidates = resp.getJsonArray("candidates");
    if (candidates == null || candidates.isEmpty()) {
      throw new AiException(AiException.Kind.EMPTY_RESPONSE, "Gemini answered no candidate");
    }
    JsonObject first = candidates.getJsonObject(0);
    String finish = first.getString("finishReason", "");
    if (BLOCKING_FINISH.contains(finish)) {
      throw SplittableAiException.blocked("Gemini", "reply stopped (finishReason " + finish + ")", ids).withTokens(tokens);
    }
    StringBuilder text = new StringBuilder();
    JsonObject content = first.getJsonObject("content");
    JsonArray parts = content == null ? null : content.getJsonArray("parts");
    if (parts != null) {
      for (Object p : parts) {
        if (p instanceof JsonObject part && !part.getBoolean("thought", false) && part.getString("text") != null) {
          text.append(part.getString("text"));
        }
      }
    }
    return new Answer(text.toString(), tokens, "MAX_TOKENS".equals(finish));
  }

  static TokenUsage usage(JsonObject u) {
    if (u == null) return TokenUsage.NONE;
    return new TokenUsage(u.getLong("promptTokenCount", 0L), u.getLong("candidatesTokenCount", 0L),
        u.getLong("thoughtsTokenCount", 0L));
  }

  static String trimSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }
}
