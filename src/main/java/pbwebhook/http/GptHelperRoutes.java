package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.regex.Pattern;
import pbwebhook.Addresses;
import pbwebhook.clients.Client;
import pbwebhook.clients.HelperKeyStore;
import pbwebhook.config.AppConfig;
import pbwebhook.gpt.GptHelpers;
import pbwebhook.gpt.LeadMessageUpdate;
import pbwebhook.gpt.RubricEdit;

/**
 * The Custom-GPT helper routes (system.md §1), per client and never open (§8 items 3 and 6): the caller holds the
 * client's helper key ({@code Authorization: Bearer <key>}, {@code X-Helper-Key}, or {@code ?key=} for the
 * {@code /pointer} link a browser opens) or the admin token. A key is checked before any body is read, then
 * against the client the request resolves to, so one client's key never reaches another client's base. Also
 * {@code POST /api/clients/{id}/helper-key} (admin), which makes or rotates the key.
 */
public final class GptHelperRoutes {

  private static final String[] PATHS = {"/pointer", "/latest-lead", "/update-lead", "/prompt", "/attribute/*",
      "/profileRecord"};
  private static final Pattern RECORD_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern ATTRIBUTE_ID = Pattern.compile("[A-Za-z0-9_ .-]{1,64}");
  private static final String KEY = "pb.helperKey";

  private final Vertx vertx;
  private final AppConfig config;
  private final ClientResolver clients;
  private final RequestAuth auth;
  private final HelperKeyStore keys;

  public GptHelperRoutes(Vertx vertx, AppConfig config, ClientResolver clients, RequestAuth auth) {
    this.vertx = vertx;
    this.config = config;
    this.clients = clients;
    this.auth = auth;
    this.keys = new HelperKeyStore(vertx, config.dataDir(), Duration.ofHours(config.tenants().webhookSecretGraceH()));
  }

  /** Loads the stored keys; the routes refuse every key until it has. */
  public Future<Void> start() {
    return keys.start();
  }

  public void mount(Router router) {
    for (String path : PATHS) router.route(path).handler(this::keyBeforeBody);
    router.route("/update-lead").handler(BodyHandler.create(false).setBodyLimit(HttpVerticle.ADMIN_BODY_LIMIT));
    router.route("/attribute/*").handler(BodyHandler.create(false).setBodyLimit(HttpVerticle.ADMIN_BODY_LIMIT));
    router.get("/pointer").handler(this::pointer);
    router.get("/latest-lead").handler(ctx -> Responses.reply(ctx, 200, ask(ctx, new JsonObject()
        .put("action", GptHelpers.LATEST_LEAD))));
    router.post("/update-lead").handler(this::updateLead);
    router.get("/prompt").handler(this::prompt);
    router.patch("/attribute/:attributeId").handler(this::attribute);
    router.get("/profileRecord").handler(ctx -> Responses.reply(ctx, 200, ask(ctx, new JsonObject()
        .put("action", GptHelpers.PROFILE).put("recordId", recordId(ctx, "id")))));
    // Under /api/*, so behind the admin token.
    router.post("/api/clients/:clientId/helper-key").handler(ctx -> Responses.reply(ctx, 200, clients.resolve(ctx)
        .compose(c -> keys.rotate(c.clientId()).map(key -> new JsonObject().put("clientId", c.clientId())
            .put("helperKey", key).put("previousKeyValidForHours", keys.grace().toHours())))));
  }

  /** Refuses, before the body is read, a caller with neither the admin token nor any client's helper key. */
  private void keyBeforeBody(RoutingContext ctx) {
    if (auth.hasAdminToken(ctx)) {
      ctx.next();
      return;
    }
    String given = ctx.request().getHeader("X-Helper-Key");
    if (given == null) given = ctx.request().getParam("key");
    if (given == null) {
      String header = ctx.request().getHeader("Authorization");
      if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) given = header.substring(7).trim();
    }
    if (given == null || given.isEmpty()) {
      throw new ApiError(401, "missing helper key: send Authorization: Bearer <key>, an X-Helper-Key header or ?key= "
          + "(POST /api/clients/{clientId}/helper-key makes one)");
    }
    if (!keys.matchesAnyClient(given, System.currentTimeMillis())) throw new ApiError(401, "invalid helper key");
    ctx.put(KEY, given);
    ctx.next();
  }

  /**
   * The client the request is for, once the caller is known to hold its key (or the admin token). A key holder
   * asking for a client that does not resolve hears 401, as for a client whose key it does not hold: no reply
   * tells a key holder which other clients exist.
   */
  private Future<Client> client(RoutingContext ctx) {
    String key = ctx.get(KEY);
    Future<Client> resolved = clients.resolve(ctx);
    if (key == null) return resolved;
    return resolved.recover(e -> Future.failedFuture(e instanceof ReplyException re
            && re.failureType() == ReplyFailure.RECIPIENT_FAILURE && re.failureCode() == 400 ? e : wrongClient()))
        .compose(c -> keys.matches(c.clientId(), key, System.currentTimeMillis()) ? Future.succeededFuture(c)
            : Future.failedFuture(wrongClient()));
  }

  private static ApiError wrongClient() {
    return new ApiError(401, "invalid helper key for this client");
  }

  private Future<JsonObject> ask(RoutingContext ctx, JsonObject request) {
    return client(ctx).compose(c -> vertx.eventBus().<JsonObject>request(Addresses.gptHelper(c.clientId()), request))
        .map(m -> m.body());
  }

  /** Stores the lead as the chat's, then sends the browser to the Custom GPT (302 to GPT_CHAT_URL). */
  private void pointer(RoutingContext ctx) {
    String recordId = recordId(ctx, "recordId");
    if (config.gptChatUrl() == null) {
      throw new ApiError(503, "GPT_CHAT_URL is not set: /pointer has no Custom GPT to send the browser to");
    }
    ask(ctx, new JsonObject().put("action", GptHelpers.POINTER).put("recordId", recordId))
        .onSuccess(r -> ctx.response().setStatusCode(302).putHeader("Location", config.gptChatUrl()).end())
        .onFailure(e -> ErrorResponder.respond(ctx, e));
  }

  private void updateLead(RoutingContext ctx) {
    JsonObject fields;
    try {
      fields = LeadMessageUpdate.fields(body(ctx));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    Responses.reply(ctx, 200, ask(ctx, new JsonObject().put("action", GptHelpers.UPDATE_LEAD).put("fields", fields)));
  }

  /** {@code {prompt}}, or with {@code ?raw=1} the prompt itself as markdown text. */
  private void prompt(RoutingContext ctx) {
    String raw = ctx.request().getParam("raw");
    boolean asText = raw != null && !raw.isBlank() && !raw.equals("0") && !raw.equalsIgnoreCase("false");
    ask(ctx, new JsonObject().put("action", GptHelpers.PROMPT)).onSuccess(r -> {
      if (asText) {
        ctx.response().putHeader("content-type", "text/markdown; charset=utf-8").end(r.getString("prompt"));
      } else {
        Responses.json(ctx, 200, r);
      }
    }).onFailure(e -> ErrorResponder.respond(ctx, e));
  }

  private void attribute(RoutingContext ctx) {
    String id = ctx.pathParam("attributeId").trim();
    if (!ATTRIBUTE_ID.matcher(id).matches()) throw ApiError.badRequest("invalid attribute id");
    JsonObject fields;
    try {
      fields = RubricEdit.fields(body(ctx));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    Responses.reply(ctx, 200, ask(ctx, new JsonObject().put("action", GptHelpers.ATTRIBUTE).put("attributeId", id)
        .put("fields", fields)));
  }

  private static String recordId(RoutingContext ctx, String param) {
    String id = ctx.request().getParam(param);
    if (id == null || id.isBlank()) throw ApiError.badRequest(param + " query parameter is required");
    id = id.trim();
    if (!RECORD_ID.matcher(id).matches()) throw ApiError.badRequest(param + " is not a record id");
    return id;
  }

  private static JsonObject body(RoutingContext ctx) {
    return JsonBodies.object(ctx);
  }
}
