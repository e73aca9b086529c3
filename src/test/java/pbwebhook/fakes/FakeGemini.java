package pbwebhook.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fake Gemini: {@code generateContent} on the AI Studio path (API key in {@code x-goog-api-key}) and on the
 * Vertex path (bearer token), plus a {@code /token} endpoint for the service-account flow that verifies the
 * JWT's RS256 signature against the test's public key before issuing a token.
 */
public final class FakeGemini extends FakeAiServer {

  private static final Pattern AI_STUDIO = Pattern.compile("^/v1beta/models/([^/:]+):generateContent$");
  private static final Pattern VERTEX = Pattern.compile(
      "^/v1/projects/([^/]+)/locations/([^/]+)/publishers/google/models/([^/:]+):generateContent$");

  private final String apiKey;
  private final PublicKey serviceAccountKey;
  private final Set<String> issuedTokens = ConcurrentHashMap.newKeySet();
  public final AtomicInteger tokenExchanges = new AtomicInteger();
  public final AtomicInteger unauthorized = new AtomicInteger();
  /** Request URIs as received, to check that no key travels in a URL. */
  public final java.util.List<String> uris = new CopyOnWriteArrayList<>();
  /** The last generateContent request body. */
  public volatile JsonObject lastRequest;
  public volatile String lastModel;
  public volatile long tokenLifetimeSeconds = 3600;

  public FakeGemini(Vertx vertx, String apiKey, PublicKey serviceAccountKey) {
    super(vertx);
    this.apiKey = apiKey;
    this.serviceAccountKey = serviceAccountKey;
  }

  public String tokenUri() { return baseUrl() + "/token"; }

  @Override
  protected void handle(HttpServerRequest req, String body) {
    uris.add(req.uri());
    String path = req.path();
    if (path.equals("/token")) {
      token(req, body);
      return;
    }
    Matcher studio = AI_STUDIO.matcher(path);
    Matcher vertex = VERTEX.matcher(path);
    boolean authorised;
    if (studio.matches()) {
      lastModel = studio.group(1);
      authorised = apiKey != null && apiKey.equals(req.getHeader("x-goog-api-key")) && req.getParam("key") == null;
    } else if (vertex.matches()) {
      lastModel = vertex.group(3);
      String auth = req.getHeader("Authorization");
      authorised = auth != null && auth.startsWith("Bearer ") && issuedTokens.contains(auth.substring(7));
    } else {
      reply(req, 404, new JsonObject().put("error", new JsonObject().put("code", 404).put("message", "no such path")), Map.of());
      return;
    }
    if (!authorised) {
      unauthorized.incrementAndGet();
      reply(req, 401, new JsonObject().put("error", new JsonObject().put("code", 401)
          .put("message", "Request had invalid authentication credentials.").put("status", "UNAUTHENTICATED")), Map.of());
      return;
    }
    generate(req, new JsonObject(body));
  }

  private void generate(HttpServerRequest req, JsonObject request) {
    lastRequest = request;
    Integer burst = burstStatus();
    if (burst != null) {
      calls.incrementAndGet();
      reply(req, burst, burstBody(burst), burstHeaders(burst));
      return;
    }
    String system = request.getJsonObject("systemInstruction").getJsonArray("parts").getJsonObject(0).getString("text");
    String user = request.getJsonArray("contents").getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("text");
    int promptTokens = tokens(system.length() + user.length());
    LeadOutcome lead = leadReply(system, user, false);
    JsonObject resp;
    if (lead == null) {
      String text = postReply(user, false);
      resp = candidate(text, "STOP", usage(promptTokens, tokens(text.length()), 0));
    } else if (lead.unsafe()) {
      resp = new JsonObject().put("promptFeedback", new JsonObject().put("blockReason", "SAFETY"))
          .put("usageMetadata", usage(promptTokens, 0, 0));
    } else {
      resp = candidate(lead.text(), lead.outputLimit() ? "MAX_TOKENS" : "STOP",
          usage(promptTokens, tokens(lead.text().length()), 5 * lead.leads()));
    }
    later(() -> reply(req, 200, resp, Map.of()));
  }

  private static JsonObject candidate(String text, String finish, JsonObject usage) {
    JsonObject content = new JsonObject().put("role", "model").put("parts", new JsonArray()
        .add(new JsonObject().put("text", "thinking about it").put("thought", true))
        .add(new JsonObject().put("text", text)));
    return new JsonObject()
        .put("candidates", new JsonArray().add(new JsonObject().put("content", content).put("finishReason", finish)))
        .put("usageMetadata", usage);
  }

  private JsonObject usage(int prompt, int output, int thoughts) {
    reported(prompt, output, thoughts);
    return new JsonObject().put("promptTokenCount", prompt).put("candidatesTokenCount", output)
        .put("thoughtsTokenCount", thoughts).put("totalTokenCount", prompt + output + thoughts);
  }

  /** The OAuth token endpoint: a JWT-bearer grant whose assertion is signed by the test's service-account key. */
  private void token(HttpServerRequest req, String body) {
    Map<String, String> form = new java.util.HashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    String problem = checkAssertion(form);
    if (problem != null) {
      reply(req, 400, new JsonObject().put("error", "invalid_grant").put("error_description", problem), Map.of());
      return;
    }
    String token = "ya29.fake-" + tokenExchanges.incrementAndGet();
    issuedTokens.add(token);
    reply(req, 200, new JsonObject().put("access_token", token).put("expires_in", tokenLifetimeSeconds)
        .put("token_type", "Bearer"), Map.of());
  }

  private String checkAssertion(Map<String, String> form) {
    if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))) return "wrong grant_type";
    String jwt = form.get("assertion");
    if (jwt == null) return "no assertion";
    String[] parts = jwt.split("\\.");
    if (parts.length != 3) return "not a JWT";
    try {
      Signature sig = Signature.getInstance("SHA256withRSA");
      sig.initVerify(serviceAccountKey);
      sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!sig.verify(Base64.getUrlDecoder().decode(parts[2]))) return "bad signature";
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return "bad signature: " + e;
    }
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
    if (!"RS256".equals(header.getString("alg"))) return "alg must be RS256";
    if (!tokenUri().equals(claims.getString("aud"))) return "aud must be the token uri";
    long now = System.currentTimeMillis() / 1000;
    if (claims.getLong("exp", 0L) < now || claims.getLong("iat", 0L) > now + 60) return "expired or future JWT";
    if (claims.getString("iss") == null || claims.getString("scope") == null) return "iss and scope are required";
    return null;
  }
}
