package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;
import pbwebhook.Addresses;
import pbwebhook.clients.Client;

/** Finds the client a request is for: {@code ?clientId=}, {@code ?client=}, {@code X-Client-Id}, or the default. */
public final class ClientResolver {

  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private final Vertx vertx;

  public ClientResolver(Vertx vertx) {
    this.vertx = vertx;
  }

  public static String requested(RoutingContext ctx) {
    String id = ctx.pathParam("clientId");
    if (id == null) id = ctx.request().getParam("clientId");
    if (id == null) id = ctx.request().getParam("client");
    if (id == null) id = ctx.request().getHeader("X-Client-Id");
    if (id != null) {
      id = id.trim();
      if (!CLIENT_ID.matcher(id).matches()) {
        throw ApiError.badRequest("invalid client id: expected 1-64 letters, digits, '-', '_' or '.'");
      }
    }
    return id;
  }

  public Future<Client> resolve(RoutingContext ctx) {
    return byId(requested(ctx));
  }

  public Future<Client> byId(String id) {
    JsonObject q = new JsonObject();
    if (id != null) q.put("clientId", id);
    return vertx.eventBus().<JsonObject>request(Addresses.CLIENTS_GET, q, Addresses.local()).map(m -> Client.fromJson(m.body()));
  }
}
