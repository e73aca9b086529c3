package pbwebhook.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pbwebhook.inbox.Inbox;

/** Operators' view of the inbox: counts, the dead-letter list, and replay of one dead entry. Admin routes. */
public final class InboxRoutes {

  private static final int MAX_LIST = 1000;

  private final Inbox inbox;

  public InboxRoutes(Inbox inbox) {
    this.inbox = inbox;
  }

  public void mount(Router router) {
    router.get("/api/inbox").handler(this::counts);
    router.get("/api/inbox/dead").handler(this::dead);
    router.post("/api/inbox/dead/:inboxId/replay").handler(this::replay);
  }

  private void counts(RoutingContext ctx) {
    int limit = Responses.positiveInt(ctx, "limit", 20, MAX_LIST);
    // Sizing the journal lists its directory, and listing retries walks the backlog: off the event loop.
    Responses.reply(ctx, 200, ctx.vertx().executeBlocking(
        () -> inbox.counts().put("retrying", inbox.retrying(limit)).put("diskBytes", inbox.diskBytes()), false));
  }

  private void dead(RoutingContext ctx) {
    int limit = Responses.positiveInt(ctx, "limit", 100, MAX_LIST);
    String clientId = ClientResolver.requested(ctx);
    JsonArray entries = inbox.dead(clientId, limit);
    Responses.json(ctx, 200, new JsonObject().put("count", entries.size()).put("entries", entries));
  }

  private void replay(RoutingContext ctx) {
    String id = ctx.pathParam("inboxId");
    inbox.replay(id).onComplete(ar -> {
      if (ar.failed()) {
        ErrorResponder.respond(ctx, ar.cause());
        return;
      }
      switch (ar.result()) {
        case NOT_FOUND -> ErrorResponder.send(ctx, 404, "no inbox entry " + truncate(id));
        case NOT_DEAD -> ErrorResponder.send(ctx, 409, "inbox entry " + truncate(id) + " is not on the dead-letter list");
        case REPLAYED -> Responses.json(ctx, 202, new JsonObject().put("inboxId", id).put("status", "pending"));
      }
    });
  }

  private static String truncate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 60) + "…";
  }
}
