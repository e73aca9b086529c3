package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import pbwebhook.ai.AiScorer;
import pbwebhook.config.AppConfig;
import pbwebhook.runs.RunTracker;
import pbwebhook.store.RecordStore;

/** The HTTP front: routes, auth, body limits and error mapping. Everything else happens over the event bus. */
public class HttpVerticle extends VerticleBase {

  static final long ADMIN_BODY_LIMIT = 64 * 1024;

  private final AppConfig config;
  private final RecordStore store;
  private final AiScorer scorer;
  private HttpServer server;

  public HttpVerticle(AppConfig config, RecordStore store, AiScorer scorer) {
    this.config = config;
    this.store = store;
    this.scorer = scorer;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    RequestAuth auth = new RequestAuth(config);
    ClientResolver clients = new ClientResolver(vertx);

    new HealthRoutes(vertx, config, store, scorer).mount(router);
    new WebhookRoutes(vertx, clients, auth).mount(router);
    new PostWebhookRoutes(vertx, clients, auth).mount(router);
    router.route("/run-batch-score").handler(auth::requireAdmin);
    router.route("/score-lead").handler(auth::requireAdmin);
    router.route("/api/*").handler(auth::requireAdmin);
    router.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(ADMIN_BODY_LIMIT));
    new ScoringRoutes(vertx, config, clients, new RunTracker(vertx)).mount(router);
    new ClientRoutes(vertx, clients).mount(router);
    new PostScoringRoutes(vertx, config, clients, auth, new RunTracker(vertx)).mount(router);

    router.route().last().handler(ctx -> ErrorResponder.send(ctx, 404, "no such endpoint: " + ctx.request().method()
        + " " + ctx.request().path()));
    router.route().failureHandler(ErrorResponder::respondStatus);

    server = vertx.createHttpServer(new HttpServerOptions().setHost(config.httpHost()).setPort(config.port()));
    return server.requestHandler(router).listen();
  }

  public int actualPort() {
    return server.actualPort();
  }
}
