package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import pbwebhook.clients.Client;
import pbwebhook.inbox.Inbox;
import pbwebhook.ingest.InvalidPayloadException;
import pbwebhook.ingest.LhProfileMapper;
import pbwebhook.ingest.LinkedHelperWebhook;

/**
 * The LinkedHelper webhook. It answers once the body is in the durable inbox, before the store write:
 * 200 {@code {message: "Accepted <n> LH profiles, Failed: <m>", inboxId, ...}}. With {@code ?wait=true}
 * it answers after delivery with the store's counts and the old message {@code "Upserted/Updated <n> LH
 * profiles, Failed: <m>"} (202 if delivery takes longer than {@link #WAIT_LIMIT_MS}).
 */
public final class WebhookRoutes {

  private final Vertx vertx;
  private final WebhookIntake intake;
  private final ItemCap profileCap;

  public WebhookRoutes(Vertx vertx, WebhookIntake intake, int maxProfilesPerBody) {
    this.vertx = vertx;
    this.intake = intake;
    this.profileCap = new ItemCap("profiles", maxProfilesPerBody, "LH_MAX_PROFILES_PER_BODY");
  }

  public void mount(Router router) {
    intake.guard(router, "/lh-webhook/upsertLeadOnly", WebhookIntake.WEBHOOK_BODY_LIMIT)
        .handler(this::upsertLeadOnly);
  }

  private record Checked(int usable, List<String> invalid) {}

  private void upsertLeadOnly(RoutingContext ctx) {
    Instant receivedAt = Instant.now();
    boolean wait = Responses.flag(ctx, "wait");
    intake.admit(ctx)
        .compose(client -> {
          boolean empty = ctx.body().length() == 0;
          List<JsonObject> profiles = empty ? List.of() : JsonBodies.objects(WebhookIntake.parse(ctx), "profile");
          if (profiles.isEmpty()) {
            return Future.succeededFuture(new JsonObject().put("message", "No leads provided…").put("accepted", 0)
                .put("failed", 0).put("clientId", client.clientId()));
          }
          profileCap.check(profiles.size());
          Checked checked = check(profiles, receivedAt);
          return intake.accept(ctx, client, LinkedHelperWebhook.KIND, receivedAt)
              .compose(a -> wait ? awaitDelivery(a, checked, client) : Future.succeededFuture(accepted(a, checked, client)));
        })
        .onSuccess(body -> Responses.json(ctx, "pending".equals(body.getString("status")) ? 202 : 200, body))
        .onFailure(e -> ErrorResponder.respond(ctx, e));
  }

  /** Profiles without a usable URL are reported now; if none is usable the whole webhook is a 400. */
  private static Checked check(List<JsonObject> profiles, Instant receivedAt) {
    List<String> invalid = new ArrayList<>();
    for (int i = 0; i < profiles.size(); i++) {
      try {
        LhProfileMapper.map(profiles.get(i), receivedAt);
      } catch (InvalidPayloadException e) {
        invalid.add((profiles.size() == 1 ? "" : "profile[" + i + "]: ") + e.getMessage());
      }
    }
    if (invalid.size() == profiles.size()) {
      throw ApiError.badRequest(profiles.size() == 1 ? invalid.get(0) : "no valid profile: " + String.join("; ", invalid));
    }
    return new Checked(profiles.size() - invalid.size(), invalid);
  }

  private static JsonObject accepted(Inbox.Acceptance a, Checked c, Client client) {
    return new JsonObject().put("ok", true).put("status", "accepted").put("inboxId", a.inboxId())
        .put("duplicate", a.duplicate()).put("clientId", client.clientId())
        .put("accepted", c.usable()).put("failed", c.invalid().size()).put("errors", new JsonArray(new ArrayList<>(c.invalid())))
        .put("message", "Accepted " + c.usable() + " LH profiles, Failed: " + c.invalid().size());
  }

  /** {@code ?wait=true}: the old synchronous answer, once the worker has written the profiles. */
  private Future<JsonObject> awaitDelivery(Inbox.Acceptance a, Checked c, Client client) {
    JsonObject base = accepted(a, c, client);
    return intake.awaitOutcome(vertx, a).map(o -> {
      String status = o.getString("status");
      if ("pending".equals(status)) {
        return base.put("status", "pending").put("message", base.getString("message") + " (delivery still pending)");
      }
      JsonObject reply = o.getJsonObject("reply", new JsonObject());
      int upserted = reply.getInteger("upserted", 0);
      int failed = reply.getInteger("failed", 0) + c.invalid().size();
      JsonArray errors = new JsonArray(new ArrayList<>(c.invalid())).addAll(reply.getJsonArray("errors", new JsonArray()));
      base.put("status", status).put("created", reply.getInteger("created", 0)).put("updated", reply.getInteger("updated", 0))
          .put("unchanged", reply.getInteger("unchanged", 0)).put("upserted", upserted).put("failed", failed)
          .put("errors", errors).put("message", "Upserted/Updated " + upserted + " LH profiles, Failed: " + failed);
      if (o.getString("reason") != null) base.put("reason", o.getString("reason"));
      return base;
    });
  }
}
