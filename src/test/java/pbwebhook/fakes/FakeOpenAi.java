package pbwebhook.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake OpenAI-compatible {@code POST /v1/chat/completions}. With {@link #jsonSchemaUnsupported} it refuses
 * {@code response_format: json_schema} with HTTP 400, as Ollama and older vLLM builds do.
 */
public final class FakeOpenAi extends FakeAiServer {

  private final String apiKey;
  public volatile boolean jsonSchemaUnsupported;
  public final AtomicInteger schemaRefusals = new AtomicInteger();
  public volatile JsonObject lastRequest;

  public FakeOpenAi(Vertx vertx, String apiKey) {
    super(vertx);
    this.apiKey = apiKey;
  }

  /** The OPENAI_BASE_URL to point the server at. */
  public String apiBase() { return baseUrl() + "/v1"; }

  @Override
  protected void handle(HttpServerRequest req, String body) {
    if (!req.path().equals("/v1/chat/completions")) {
      reply(req, 404, new JsonObject().put("error", new JsonObject().put("message", "not found")), Map.of());
      return;
    }
    if (!("Bearer " + apiKey).equals(req.getHeader("Authorization"))) {
      reply(req, 401, new JsonObject().put("error", new JsonObject().put("message", "Incorrect API key provided")), Map.of());
      return;
    }
    JsonObject request = new JsonObject(body);
    lastRequest = request;
    String format = request.getJsonObject("response_format", new JsonObject()).getString("type", "");
    if (jsonSchemaUnsupported && "json_schema".equals(format)) {
      schemaRefusals.incrementAndGet();
      reply(req, 400, new JsonObject().put("error", new JsonObject()
          .put("message", "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.")
          .put("type", "invalid_request_error").put("param", "response_format")), Map.of());
      return;
    }
    Integer burst = burstStatus();
    if (burst != null) {
      calls.incrementAndGet();
      reply(req, burst, burstBody(burst), burstHeaders(burst));
      return;
    }
    JsonArray messages = request.getJsonArray("messages");
    String system = messages.getJsonObject(0).getString("content");
    String user = messages.getJsonObject(1).getString("content");
    int promptTokens = tokens(system.length() + user.length());
    LeadOutcome lead = leadReply(system, user, true);
    String text;
    String finish;
    int reasoning = 0;
    if (lead == null) {
      text = postReply(user, true);
      finish = "stop";
    } else {
      text = lead.unsafe() ? "" : lead.text();
      finish = lead.unsafe() ? "content_filter" : lead.outputLimit() ? "length" : "stop";
      reasoning = 5 * lead.leads();
    }
    int completion = tokens(text.length()) + reasoning;
    reported(promptTokens, completion - reasoning, reasoning);
    JsonObject resp = new JsonObject()
        .put("id", "chatcmpl-fake")
        .put("object", "chat.completion")
        .put("model", request.getString("model"))
        .put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("finish_reason", finish)
            .put("message", new JsonObject().put("role", "assistant").put("content", text))))
        .put("usage", new JsonObject().put("prompt_tokens", promptTokens).put("completion_tokens", completion)
            .put("total_tokens", promptTokens + completion)
            .put("completion_tokens_details", new JsonObject().put("reasoning_tokens", reasoning)));
    later(() -> reply(req, 200, resp, Map.of()));
  }
}
