package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import pbwebhook.ai.AiScorer;
import pbwebhook.clients.ClientAdmin;
import pbwebhook.clients.TokenBudget;
import pbwebhook.clients.WebhookSecretStore;
import pbwebhook.config.AppConfig;
import pbwebhook.inbox.Inbox;
import pbwebhook.runs.RunTracker;
import pbwebhook.store.RecordStore;

/** The HTTP front: routes, auth, body limits and error mapping. Everything else happens over the event bus. */
public class HttpVerticle extends VerticleBase {

  static final long ADMIN_BODY_LIMIT = 64 * 1024;

  private final AppConfig config;
  private final RecordStore store;
  private final AiScorer scorer;
  private final Inbox inbox;
  private final ConnectionGuard connections;
  private final BodyBudget bodyBudget;
  private HttpServer server;

  public HttpVerticle(AppConfig config, RecordStore store, AiScorer scorer, Inbox inbox) {
    this.config = config;
    this.connections = new ConnectionGuard(config.http().headerTimeoutS(), config.http().idleTimeoutS(),
        config.http().maxConnections());
    this.bodyBudget = new BodyBudget(config.http().maxInflightBodyBytes(), config.http().bodyTimeoutS() * 1000L);
    this.store = store;
    this.scorer = scorer;
    this.inbox = inbox;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    WebhookSecretStore secrets = new WebhookSecretStore(vertx, config.dataDir(),
        Duration.ofHours(config.tenants().webhookSecretGraceH()));
    RequestAuth auth = new RequestAuth(config, secrets);
    ClientResolver clients = new ClientResolver(vertx);

    router.route().handler(this::refuseWhileShuttingDown);
    router.route().handler(new HostCheck(config.demoMode(), config.http().allowedHosts())::handle);
    new HealthRoutes(vertx, config, store, scorer, auth).mount(router);
    WebhookIntake intake = new WebhookIntake(inbox, clients, auth,
        new AcceptRateLimiter(config.webhookRatePerS(), config.webhookRateBurst()), InboxBacklogLimit.from(inbox, config),
        bodyBudget);
    new WebhookRoutes(vertx, intake, config.lhMaxProfilesPerBody()).mount(router);
    // Before the /api/* admin handlers: /api/pb-webhook authenticates with the webhook secret.
    new PostWebhookRoutes(vertx, intake, auth, config.pbMaxPostsPerBody()).mount(router);
    router.route("/run-batch-score").handler(auth::requireAdmin);
    router.route("/score-lead").handler(auth::requireAdmin);
    router.route("/api/*").handler(auth::requireAdmin);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(ADMIN_BODY_LIMIT));
    new ScoringRoutes(vertx, config, clients, new RunTracker(vertx)).mount(router);
    new ClientAdminRoutes(new ClientAdmin(vertx, store, config, secrets)).mount(router);
    new ClientRoutes(vertx, clients, new TokenBudget(vertx, store, config)).mount(router);
    new PostScoringRoutes(vertx, config, clients, auth, new RunTracker(vertx)).mount(router);
    new InboxRoutes(inbox).mount(router);
    new DashboardRoutes(vertx).mount(router);

    router.route().last().handler(ctx -> ErrorResponder.send(ctx, 404, "no such endpoint: " + ctx.request().method()
        + " " + ctx.request().path()));
    router.route().failureHandler(ErrorResponder::respondStatus);

    connections.startSweeping(vertx);
    // HTTP/1.1 only (no h2c upgrade): every sender is HTTP/1.1, and one request per connection at a time is
    // what the connection guard and the early refusals assume.
    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.httpHost()).setPort(config.port())
            .setHttp2ClearTextEnabled(false))
        .connectionHandler(connections::onConnection);
    return secrets.start().compose(v -> server.requestHandler(request -> {
      connections.onRequest(request);
      router.handle(request);
    }).listen());
  }

  /** The open connections and the bodies being read, for tests and the operator. */
  public ConnectionGuard connections() {
    return connections;
  }

  public BodyBudget bodyBudget() {
    return bodyBudget;
  }

  /** After SIGTERM nothing new is taken on: senders get 503 and Retry-After and try again elsewhere or later. */
  private void refuseWhileShuttingDown(RoutingContext ctx) {
    if (inbox.accepting()) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Retry-After", "5");
    ErrorResponder.send(ctx, 503, "the server is shutting down; retry shortly");
  }

  public int actualPort() {
    return server.actualPort();
  }
}
