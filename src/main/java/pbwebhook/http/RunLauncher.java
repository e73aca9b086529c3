package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import pbwebhook.Addresses;
import pbwebhook.clients.Client;
import pbwebhook.runs.RunTracker;

/**
 * What every batch trigger ({@code /run-batch-score}, {@code /run-post-batch-score}, the internal post trigger)
 * does: pick the clients, start one run per client in parallel over the event bus, and turn refusals (already
 * running, paused) into entries of the reply rather than failures of the whole trigger.
 */
final class RunLauncher {

  /** A synchronous ({@code ?wait=true}) run may take long; cron jobs that ask for it accept that. */
  private static final long WAIT_TIMEOUT_MS = 6L * 3600 * 1000;
  private static final long START_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final ClientResolver clients;
  private final RunTracker runs;

  RunLauncher(Vertx vertx, ClientResolver clients, RunTracker runs) {
    this.vertx = vertx;
    this.clients = clients;
    this.runs = runs;
  }

  /** The client named (404 unknown, 409 not Active), or every Active client. */
  Future<List<Client>> targets(String requested) {
    if (requested != null) {
      return clients.byId(requested).compose(c -> c.active() ? Future.succeededFuture(List.of(c))
          : Future.failedFuture(new ApiError(409, "client " + c.clientId() + " is " + c.status()
              + "; only Active clients are scored")));
    }
    return vertx.eventBus().<JsonObject>request(Addresses.CLIENTS_LIST, new JsonObject(), Addresses.local())
        .map(m -> m.body().getJsonArray("clients").stream().map(o -> Client.fromJson((JsonObject) o))
            .filter(Client::active).toList());
  }

  /**
   * Starts a run of {@code kind} for every target at once; each result is the run (its start, or with
   * {@code wait} its end) or a {@code {clientId, status:"rejected", httpStatus, error, runId}} entry.
   */
  Future<List<JsonObject>> launch(List<Client> targets, Function<String, String> address, String kind,
                                  JsonObject message, boolean wait) {
    List<Future<JsonObject>> started = new ArrayList<>();
    for (Client c : targets) started.add(start(c, address, kind, message.copy().put("wait", wait), wait));
    return Future.join(started).transform(ar -> Future.succeededFuture(started.stream().map(Future::result).toList()));
  }

  private Future<JsonObject> start(Client c, Function<String, String> address, String kind, JsonObject message,
                                   boolean wait) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(wait ? WAIT_TIMEOUT_MS : START_TIMEOUT_MS);
    // Past this the caller has been answered 503: a worker that gets the trigger later (a frozen owner) drops it.
    message.put("notAfter", System.currentTimeMillis() + (wait ? WAIT_TIMEOUT_MS : START_TIMEOUT_MS));
    return vertx.eventBus().<JsonObject>request(address.apply(c.clientId()), message, opts)
        .map(m -> m.body())
        .recover(e -> {
          int code = e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE ? re.failureCode() : 503;
          return runs.activeRun(c.clientId(), kind).otherwise((String) null)
              .map(active -> new JsonObject().put("clientId", c.clientId()).put("status", "rejected")
                  .put("httpStatus", code).put("error", e.getMessage()).put("runId", code == 409 ? active : null));
        });
  }

  /** A trigger for one named client that was refused answers with the refusal's status; true when it did. */
  static boolean answeredRefusal(RoutingContext ctx, String requested, List<JsonObject> results) {
    if (requested == null || results.size() != 1 || !"rejected".equals(results.get(0).getString("status"))) return false;
    JsonObject r = results.get(0);
    int status = r.getInteger("httpStatus", 409);
    Responses.json(ctx, status, new JsonObject().put("ok", false).put("status", status).put("error", r.getString("error"))
        .put("runId", r.getString("runId")));
    return true;
  }

  /** The 202 body's {@code runs}: {@code [{runId, clientId, kind, status, error}]}. */
  static JsonArray runList(List<JsonObject> results, String kind) {
    JsonArray out = new JsonArray();
    for (JsonObject r : results) {
      out.add(new JsonObject().put("runId", r.getString("runId")).put("clientId", r.getString("clientId"))
          .put("kind", kind).put("status", r.getString("status")).put("error", r.getString("error")));
    }
    return out;
  }
}
