package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Sends JSON replies, and maps a failed future through {@link ErrorResponder}. */
public final class Responses {
  private Responses() {}

  public static void json(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended()) return;
    String text = body instanceof JsonObject j ? j.encode() : io.vertx.core.json.Json.encode(body);
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(text);
  }

  public static void reply(RoutingContext ctx, int status, Future<?> result) {
    result.onComplete(ar -> {
      if (ar.succeeded()) json(ctx, status, ar.result());
      else ErrorResponder.respond(ctx, ar.cause());
    });
  }

  /** A positive integer query parameter, or the default; anything else is a 400 naming the parameter. */
  public static int positiveInt(RoutingContext ctx, String name, int def, int max) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isBlank()) return def;
    try {
      int n = Integer.parseInt(v.trim());
      if (n < 1 || n > max) throw ApiError.badRequest(name + " must be between 1 and " + max + ", not " + n);
      return n;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest(name + " must be a whole number, not \"" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "\"");
    }
  }

  public static boolean flag(RoutingContext ctx, String name) {
    String v = ctx.request().getParam(name);
    return v != null && (v.equalsIgnoreCase("true") || v.equals("1") || v.equalsIgnoreCase("yes"));
  }
}
