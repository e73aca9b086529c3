package pbwebhook.http;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import pbwebhook.Addresses;
import pbwebhook.clients.ClientWorker;
import pbwebhook.runs.RunTracker;

/**
 * The admin's {@code Posts Content} maintenance (system.md §1 admin tools, §3.4; replaces the old hard-coded repair
 * list and the scans that hung, §8 item 29): a repair that runs as a tracked run of its own kind, one at a time per
 * client, and a read-only count. Mounted behind the admin handler of {@code /api/*}.
 */
public final class PostsContentRoutes {

  /** A count reads every lead with posts: at Airtable's 5 requests a second, 100,000 leads take minutes. */
  private static final long QUALITY_TIMEOUT_MS = 60L * 60 * 1000;

  private final Vertx vertx;
  private final ClientResolver clients;
  private final RunLauncher launcher;

  public PostsContentRoutes(Vertx vertx, ClientResolver clients, RunTracker runs) {
    this.vertx = vertx;
    this.clients = clients;
    this.launcher = new RunLauncher(vertx, clients, runs);
  }

  public void mount(Router router) {
    router.post("/api/clients/:clientId/posts-content/repair").handler(this::repair);
    router.get("/api/clients/:clientId/posts-content/quality").handler(this::quality);
  }

  /**
   * 202 {@code {runId, runs:[…]}} at once, or with {@code ?wait=true} 200 {@code {runId, clientId, status, dryRun,
   * scanned, alreadyValid, repaired, failed}} when done; 409 with the running run's id when one is going.
   */
  private void repair(RoutingContext ctx) {
    boolean dryRun = Responses.flag(ctx, "dryRun");
    boolean wait = Responses.flag(ctx, "wait");
    clients.resolve(ctx)
        .compose(c -> launcher.launch(List.of(c), Addresses::postsContentRepair, ClientWorker.KIND_POSTS_CONTENT,
            new JsonObject().put("dryRun", dryRun), wait).map(results -> {
              if (RunLauncher.answeredRefusal(ctx, c.clientId(), results)) return null;
              JsonObject run = results.get(0);
              if (wait) {
                JsonObject result = run.getJsonObject("result", new JsonObject());
                Responses.json(ctx, 200, new JsonObject().put("runId", run.getString("runId"))
                    .put("clientId", c.clientId()).put("status", run.getString("status")).mergeIn(result)
                    .put("dryRun", dryRun).put("errors", run.getJsonArray("errors")));
              } else {
                Responses.json(ctx, 202, new JsonObject().put("runId", run.getString("runId"))
                    .put("runs", RunLauncher.runList(results, ClientWorker.KIND_POSTS_CONTENT)));
              }
              return null;
            }))
        .onFailure(e -> ErrorResponder.respond(ctx, e));
  }

  /** {@code {clientId, scanned, alreadyValid, repaired, failed}}: what a repair would find now; nothing is written. */
  private void quality(RoutingContext ctx) {
    Responses.reply(ctx, 200, clients.resolve(ctx).compose(c -> vertx.eventBus().<JsonObject>request(
        Addresses.postsContentQuality(c.clientId()), new JsonObject(),
        new DeliveryOptions().setSendTimeout(QUALITY_TIMEOUT_MS))).map(m -> m.body()));
  }
}
