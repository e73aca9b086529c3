package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import pbwebhook.Addresses;
import pbwebhook.clients.Client;
import pbwebhook.ingest.InvalidPayloadException;
import pbwebhook.ingest.PbPostsParser;
import pbwebhook.ingest.PhantomBusterWebhook;

/**
 * The PhantomBuster posts webhook ({@code POST /api/pb-webhook}) and the Text Blaze webhook
 * ({@code POST /textblaze-linkedin-webhook}). PhantomBuster posts once and never retries, so its body is
 * acknowledged only once it is in the durable inbox, which delivers it to the client's worker (system.md §8
 * item 20). Text Blaze answers with the lead's record id, so it answers after the worker's write.
 */
public final class PostWebhookRoutes {

  private static final long WORKER_TIMEOUT_MS = 120_000;
  private static final List<String> TEXT_BLAZE_FIELDS = List.of("linkedinMessage", "profileUrl", "timestamp");

  private final Vertx vertx;
  private final WebhookIntake intake;
  private final RequestAuth auth;

  private final ItemCap postCap;

  public PostWebhookRoutes(Vertx vertx, WebhookIntake intake, RequestAuth auth, int maxPostsPerBody) {
    this.vertx = vertx;
    this.intake = intake;
    this.auth = auth;
    this.postCap = new ItemCap("posts", maxPostsPerBody, "PB_MAX_POSTS_PER_BODY");
  }

  /** Mount before the {@code /api/*} admin handlers: this webhook authenticates with the webhook secret. */
  public void mount(Router router) {
    intake.guard(router, "/api/pb-webhook", WebhookIntake.PHANTOMBUSTER_BODY_LIMIT, true, this::pbSecret)
        .handler(this::pbWebhook);
    intake.guard(router, "/textblaze-linkedin-webhook", WebhookIntake.WEBHOOK_BODY_LIMIT)
        .handler(this::textBlaze);
  }

  /** Where {@link #pbSecret} leaves the parsed body, so it is parsed once. */
  private static final String PARSED_BODY = "pb.parsedBody";

  /**
   * The secret check of {@code /api/pb-webhook}, off the event loop: a body of up to 10 MB may have to be
   * parsed (for its {@code secret} field) or signed, which would hold up every other request meanwhile.
   */
  private void pbSecret(RoutingContext ctx) {
    vertx.executeBlocking(() -> {
      boolean elsewhere = ctx.request().getHeader("X-Webhook-Secret") != null || ctx.request().getParam("secret") != null
          || ctx.request().getHeader(RequestAuth.SIGNATURE_HEADER) != null;
      if (!elsewhere && ctx.body().buffer() != null) {
        try {
          Object body = parseJson(ctx.body().buffer());
          ctx.put(PARSED_BODY, body);
          if (body instanceof JsonObject o && o.getValue("secret") instanceof String secret) {
            ctx.put(RequestAuth.BODY_SECRET, secret);
          }
        } catch (ApiError unreadable) {
          // no usable body secret; the route reports the bad body once the caller is known to be allowed
        }
      }
      auth.checkWebhookSecretOrBodySecret(ctx);
      return null;
    }, false).onSuccess(v -> ctx.next()).onFailure(ctx::fail);
  }

  private record Prepared(PbPostsParser.Parsed parsed, int posts, Buffer journaled) {}

  /**
   * Parses, repairs and checks the body, and drops its {@code secret} field from what is journaled. Runs
   * on a worker thread: the body may be 10 MB.
   */
  private static Prepared prepare(RoutingContext ctx) {
    Buffer raw = ctx.body().buffer();
    Object body = ctx.data().containsKey(PARSED_BODY) ? ctx.get(PARSED_BODY) : raw == null ? null : parseJson(raw);
    PbPostsParser.Parsed parsed;
    try {
      parsed = PhantomBusterWebhook.parse(body);
    } catch (InvalidPayloadException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    // The resultObject string itself may be megabytes; the posts in it are held to the per-field cap.
    JsonArray items = new JsonArray();
    parsed.profiles().forEach(p -> items.add(p.toJson()));
    BodyChecks.requireFieldSizes(items);
    int posts = parsed.profiles().stream().mapToInt(p -> p.posts().size()).sum();
    Buffer journaled = raw == null ? Buffer.buffer() : raw;
    // PhantomBuster's body secret is a credential: it is never written to the inbox journal.
    if (body instanceof JsonObject o && o.containsKey("secret")) {
      o.remove("secret");
      journaled = o.toBuffer();
    }
    return new Prepared(parsed, posts, journaled);
  }

  private static Object parseJson(Buffer raw) {
    BodyChecks.requireUtf8(raw);
    return JsonBodies.parse(raw);
  }

  private void pbWebhook(RoutingContext ctx) {
    Instant receivedAt = Instant.now();
    boolean wait = Responses.flag(ctx, "wait");
    intake.admit(ctx).compose(client -> vertx.executeBlocking(() -> prepare(ctx), false).compose(prepared -> {
      PbPostsParser.Parsed parsed = prepared.parsed();
      postCap.check(prepared.posts());
      return intake.accept(ctx, client, PhantomBusterWebhook.KIND, receivedAt, prepared.journaled()).compose(a -> {
        JsonObject accepted = new JsonObject()
            .put("ok", true).put("status", "accepted")
            .put("message", "Webhook received. Processing in background.")
            .put("inboxId", a.inboxId()).put("duplicate", a.duplicate()).put("clientId", client.clientId())
            .put("profiles", parsed.profiles().size()).put("posts", prepared.posts()).put("ignoredItems", parsed.ignored())
            .put("resultObjectParse", parsed.repair() == null ? null : parsed.repair().name());
        if (!wait) return Future.succeededFuture(accepted);
        // ?wait=true: answer once the posts are merged, with the worker's counts.
        return intake.awaitOutcome(vertx, a).map(o -> {
          accepted.put("status", o.getString("status")).mergeIn(o.getJsonObject("reply", new JsonObject()));
          if (o.getString("reason") != null) accepted.put("reason", o.getString("reason"));
          if (!"pending".equals(o.getString("status"))) accepted.put("message", "Webhook received. Posts merged.");
          return accepted;
        });
      });
    }))
        .onSuccess(r -> Responses.json(ctx, "pending".equals(r.getString("status")) ? 202 : 200, r))
        .onFailure(e -> ErrorResponder.respond(ctx, e));
  }

  private void textBlaze(RoutingContext ctx) {
    // The client (and with it the secret to check) first, then the body: the same checks as every webhook.
    intake.admit(ctx)
        .compose(client -> {
          JsonObject note = textBlazeNote(WebhookIntake.parse(ctx));
          String profileUrl = note.getString("profileUrl");
          return vertx.eventBus().<JsonObject>request(Addresses.leadNote(client.clientId()), note,
                  new DeliveryOptions().setSendTimeout(WORKER_TIMEOUT_MS))
              .map(m -> reply(client, m.body().getString("recordId"), profileUrl));
        })
        .onSuccess(r -> Responses.json(ctx, 200, r))
        .onFailure(e -> ErrorResponder.respond(ctx, e));
  }

  private static JsonObject textBlazeNote(Object parsed) {
    if (!(parsed instanceof JsonObject body)) {
      throw ApiError.badRequest(parsed == null ? "empty body: expected a JSON object {linkedinMessage, profileUrl, timestamp}"
          : "body must be a JSON object {linkedinMessage, profileUrl, timestamp}");
    }
    List<String> missing = new ArrayList<>();
    for (String f : TEXT_BLAZE_FIELDS) {
      Object v = body.getValue(f);
      if (v == null || String.valueOf(v).isBlank()) missing.add(f);
    }
    if (!missing.isEmpty()) {
      throw ApiError.badRequest("missing required field" + (missing.size() == 1 ? "" : "s") + ": " + String.join(", ", missing));
    }
    String profileUrl = String.valueOf(body.getValue("profileUrl")).trim();
    if (pbwebhook.ingest.LinkedInUrl.canonicalKey(profileUrl).isEmpty()) {
      throw ApiError.badRequest("profileUrl is not a profile URL: " + (profileUrl.length() > 80 ? profileUrl.substring(0, 80) + "…" : profileUrl));
    }
    return new JsonObject().put("profileUrl", profileUrl)
        .put("linkedinMessage", String.valueOf(body.getValue("linkedinMessage")))
        .put("timestamp", String.valueOf(body.getValue("timestamp")));
  }

  private static JsonObject reply(Client client, String recordId, String profileUrl) {
    return new JsonObject()
        .put("status", "success")
        .put("message", "LinkedIn message logged to the Notes of " + profileUrl)
        .put("airtableRecordUrl", "https://airtable.com/" + client.baseId() + "/Leads/" + recordId)
        .put("recordId", recordId);
  }
}
