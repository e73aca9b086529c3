package pbwebhook.ai;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.config.AiSettings;

/**
 * Any OpenAI-compatible chat completions endpoint (OpenAI, Ollama, vLLM, LM Studio): temperature 0 and a
 * {@code json_schema} response format; a server that refuses that format (HTTP 400 naming it) is asked again in
 * {@code json_object} mode, and this scorer remembers that for its endpoint. The reply array comes wrapped as
 * {@code {"results": [...]}} because both modes need an object at the root.
 */
public final class OpenAiScorer implements AiScorer {

  private static final Logger log = LoggerFactory.getLogger(OpenAiScorer.class);
  static final String WRAP_INSTRUCTION = "\n\nAnswer with one JSON object {\"results\": [...]} whose \"results\" "
      + "array holds the objects described above.";

  private final String url;
  private final String model;
  private final MultiMap headers;
  private final AiHttp http;
  private final AiRetry retry;
  /** Set once the endpoint has refused json_schema; read and written from several clients' contexts. */
  private volatile boolean jsonObjectOnly;

  public OpenAiScorer(WebClient client, AiSettings s, AiRetry retry) {
    this.url = GeminiScorer.trimSlash(s.openaiBaseUrl()) + "/chat/completions";
    this.model = s.openaiModel();
    this.headers = MultiMap.caseInsensitiveMultiMap();
    if (s.openaiApiKey() != null) headers.add("Authorization", "Bearer " + s.openaiApiKey());
    this.http = new AiHttp(client, "OpenAI-compatible endpoint", s.geminiTimeoutMs(), List.of(s.openaiApiKey() == null ? "" : s.openaiApiKey()));
    this.retry = retry;
  }

  @Override
  public String describe() { return "openai " + model + " (" + url.replaceFirst("/chat/completions$", "") + ")"; }

  /** Whether this endpoint was found to lack json_schema response formats. */
  public boolean jsonObjectOnly() { return jsonObjectOnly; }

  @Override
  public Future<LeadScoringReply> scoreLeads(Rubric rubric, List<LeadInput> leads) {
    if (leads.isEmpty()) return Future.succeededFuture(new LeadScoringReply(List.of(), TokenUsage.NONE));
    List<String> ids = leads.stream().map(LeadInput::id).toList();
    return send(LeadPromptBuilder.systemInstruction(rubric), LeadPromptBuilder.userMessage(leads) + WRAP_INSTRUCTION,
        "lead_scores", ReplySchemas.leads(rubric), ids)
        .map(a -> a.cutOff() ? LeadScoringReply.cutOff(a.text(), a.tokens())
            : new LeadScoringReply(AiReplyParser.objects(a.text()), a.tokens()));
  }

  @Override
  public Future<PostScoringReply> scorePosts(String systemInstruction, JsonObject leadPosts) {
    String leadId = leadPosts == null ? "" : String.valueOf(leadPosts.getValue("lead_id", ""));
    return send(systemInstruction, PostPromptText.userMessage(leadPosts) + WRAP_INSTRUCTION, "post_scores",
        ReplySchemas.posts(), List.of(leadId))
        .compose(a -> a.cutOff()
            ? Future.failedFuture(AiException.outputLimit("OpenAI-compatible endpoint").withTokens(a.tokens()))
            : Future.succeededFuture(new PostScoringReply(AiReplyParser.objects(a.text()), a.tokens())));
  }

  /** The reply text, the tokens, and whether it stopped at the output limit ({@code finish_reason: length}). */
  private record Answer(String text, TokenUsage tokens, boolean cutOff) {}

  private Future<Answer> send(String system, String user, String schemaName, JsonObject arraySchema, List<String> ids) {
    boolean schemaMode = !jsonObjectOnly;
    return call(system, user, schemaName, arraySchema, schemaMode)
        .recover(e -> {
          if (!schemaMode || !refusesSchema(e)) return Future.failedFuture(e);
          jsonObjectOnly = true;
          log.info("{} does not support json_schema response formats; using json_object from now on", describe());
          return call(system, user, schemaName, arraySchema, false);
        })
        .compose(resp -> {
          try {
            return Future.succeededFuture(read(resp, ids));
          } catch (AiException e) {
            return Future.failedFuture(e);
          }
        });
  }

  private Future<JsonObject> call(String system, String user, String schemaName, JsonObject arraySchema, boolean schemaMode) {
    JsonObject body = new JsonObject()
        .put("model", model)
        .put("temperature", 0)
        .put("messages", new JsonArray()
            .add(new JsonObject().put("role", "system").put("content", system))
            .add(new JsonObject().put("role", "user").put("content", user)))
        .put("response_format", schemaMode
            ? new JsonObject().put("type", "json_schema").put("json_schema", new JsonObject().put("name", schemaName)
                .put("schema", ReplySchemas.wrappedForOpenAi(arraySchema)))
            : new JsonObject().put("type", "json_object"));
    return retry.run(describe(), () -> http.post(url, headers, body));
  }

  private static boolean refusesSchema(Throwable e) {
    if (!(e instanceof AiException ai) || e instanceof RetryableAiException || ai.kind() != AiException.Kind.API_ERROR) {
      return false;
    }
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    return m.contains("http 400") && (m.contains("response_format") || m.contains("json_schema"));
  }

  private static Answer read(JsonObject resp, List<String> ids) {
    TokenUsage tokens = usage(resp.getJsonObject("usage"));
    JsonArray choices = resp.getJsonArray("choices");
    if (choices == null || choices.isEmpty()) throw new AiException(AiException.Kind.EMPTY_RESPONSE, "the endpoint answered no choice");
    JsonObject choice = choices.getJsonObject(0);
    String finish = choice.getString("finish_reason", "");
    JsonObject message = choice.getJsonObject("message", new JsonObject());
    if ("content_filter".equals(finish)) {
      throw SplittableAiException.blocked("OpenAI-compatible endpoint", "content filter", ids).withTokens(tokens);
    }
    if (message.getString("refusal") != null) {
      throw SplittableAiException.blocked("OpenAI-compatible endpoint", "refusal: " + message.getString("refusal"), ids)
          .withTokens(tokens);
    }
    return new Answer(message.getString("content", ""), tokens, "length".equals(finish));
  }

  static TokenUsage usage(JsonObject u) {
    if (u == null) return TokenUsage.NONE;
    long completion = u.getLong("completion_tokens", 0L);
    JsonObject details = u.getJsonObject("completion_tokens_details");
    long reasoning = details == null || details.getValue("reasoning_tokens") == null ? 0L : details.getLong("reasoning_tokens");
    // completion_tokens includes reasoning tokens; report them apart so the total is not counted twice.
    return new TokenUsage(u.getLong("prompt_tokens", 0L), Math.max(0, completion - reasoning), reasoning);
  }
}
