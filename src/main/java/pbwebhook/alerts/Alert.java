package pbwebhook.alerts;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One event worth telling an operator about. Raised by publishing on {@link #ADDRESS} on this member; the
 * {@link AlertDigestVerticle} groups them. {@code clientId} may be null for events of no one client.
 */
public record Alert(AlertKind kind, String clientId, String detail, Instant at) {

  public static final String ADDRESS = "alerts.raise";

  public JsonObject toJson() {
    return new JsonObject().put("kind", kind.name()).put("clientId", clientId).put("detail", detail)
        .put("at", at.toString());
  }

  public static Alert fromJson(JsonObject j) {
    return new Alert(AlertKind.valueOf(j.getString("kind")), j.getString("clientId"), j.getString("detail", ""),
        Instant.parse(j.getString("at")));
  }

  /** Fire and forget: alerting never holds up or fails the work that raised it. */
  public static void raise(Vertx vertx, AlertKind kind, String clientId, String detail) {
    vertx.eventBus().publish(ADDRESS, new Alert(kind, clientId, detail, Instant.now()).toJson(),
        new DeliveryOptions().setLocalOnly(true));
  }
}
