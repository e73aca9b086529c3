package pbwebhook.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import pbwebhook.clients.ClientAdmin;

/**
 * The client management API (admin): add, change, provision and check clients, rotate their webhook secrets.
 * Mounted after the admin auth and body handlers of {@code /api/*}.
 */
public final class ClientAdminRoutes {

  private final ClientAdmin admin;

  public ClientAdminRoutes(ClientAdmin admin) {
    this.admin = admin;
  }

  public void mount(Router router) {
    router.post("/api/clients").handler(ctx -> Responses.reply(ctx, 201, admin.create(body(ctx))));
    router.patch("/api/clients/:clientId").handler(ctx -> Responses.reply(ctx, 200, admin.update(id(ctx), body(ctx))));
    router.post("/api/clients/:clientId/webhook-secret").handler(ctx -> Responses.reply(ctx, 200,
        admin.rotateSecret(id(ctx))));
    router.post("/api/clients/:clientId/provision").handler(ctx -> Responses.reply(ctx, 200, admin.provision(id(ctx))));
    router.get("/api/clients/:clientId/schema").handler(ctx -> Responses.reply(ctx, 200, admin.schema(id(ctx))));
    router.post("/api/clients/:clientId/schema/repair").handler(ctx -> Responses.reply(ctx, 200,
        admin.repairSchema(id(ctx))));
    router.get("/api/master/schema").handler(ctx -> Responses.reply(ctx, 200, admin.masterSchema()));
    router.post("/api/master/schema/repair").handler(ctx -> Responses.reply(ctx, 200, admin.repairMasterSchema()));
  }

  private static String id(RoutingContext ctx) {
    return ClientResolver.requested(ctx);
  }

  /** The request's JSON object; 400 naming the problem otherwise. */
  private static JsonObject body(RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
      throw ApiError.badRequest("a JSON object body is required");
    }
    Object parsed = JsonBodies.parse(ctx.body().buffer());
    if (!(parsed instanceof JsonObject o)) throw ApiError.badRequest("the body must be a JSON object");
    return o;
  }

}
