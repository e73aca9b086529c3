package pbwebhook.http;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import pbwebhook.execlog.ExecutionLogVerticle;
import pbwebhook.execlog.ExecutionSummaryViews;

/**
 * The operator dashboard: its static page under {@code /dashboard/} (classpath {@code webroot}, no auth: the files
 * hold no data) and {@code GET /api/execution-summary}, the one data call only it needs. Every data call the page
 * makes goes through the admin-protected {@code /api/*} routes and the run triggers.
 */
public final class DashboardRoutes {

  public static final String PATH = "/dashboard/";
  /** Webjars on the classpath, e.g. {@code /dashboard/vendor/echarts/5.3.1/dist/echarts.common.min.js}. */
  static final String VENDOR_PATH = "/dashboard/vendor/";
  static final int DEFAULT_SUMMARY_LIMIT = 50;
  static final int MAX_SUMMARY_LIMIT = 500;
  /**
   * Only our own files and API calls: even if a value ever reached the page as markup, no inline or foreign script
   * would run.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final Vertx vertx;

  public DashboardRoutes(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The {@code /api/execution-summary} route relies on the admin handler HttpVerticle mounts for {@code /api/*}. */
  public void mount(Router router) {
    router.get("/").handler(ctx -> redirect(ctx, PATH));
    router.route("/dashboard*").handler(DashboardRoutes::pageHeaders);
    // the chart library from its webjar, under a versioned path, so it can be cached for good
    router.route(VENDOR_PATH + "*").handler(StaticHandler.create("META-INF/resources/webjars")
        .setDirectoryListing(false).setMaxAgeSeconds(86_400));
    router.route("/dashboard/*").handler(StaticHandler.create("webroot")
        // revalidated on every load, so an upgraded server never runs with a stale app.js
        .setCachingEnabled(false)
        .setDirectoryListing(false));
    router.get("/api/execution-summary").handler(this::summary);
  }

  private static void pageHeaders(RoutingContext ctx) {
    if (ctx.request().path().equals("/dashboard")) {
      redirect(ctx, PATH);
      return;
    }
    ctx.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("Cache-Control", "no-cache");
    ctx.next();
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(302).putHeader("Location", location).end();
  }

  private void summary(RoutingContext ctx) {
    int limit = Responses.positiveInt(ctx, "limit", DEFAULT_SUMMARY_LIMIT, MAX_SUMMARY_LIMIT);
    JsonObject q = new JsonObject().put("limit", limit);
    String viewName = ctx.request().getParam("view");
    if (viewName != null) {
      ExecutionSummaryViews.View view = ExecutionSummaryViews.View.parse(viewName);
      if (view == null) {
        throw new ApiError(400, "unknown view '" + viewName + "': use one of " + ExecutionSummaryViews.View.names());
      }
      int defaultDays = view == ExecutionSummaryViews.View.TRENDS
          ? ExecutionSummaryViews.DEFAULT_TREND_DAYS : ExecutionSummaryViews.DEFAULT_BY_CLIENT_DAYS;
      q.put("view", view.param).put("days", Responses.positiveInt(ctx, "days", defaultDays, ExecutionSummaryViews.MAX_DAYS));
    }
    String clientId = ClientResolver.requested(ctx);
    if (clientId != null) q.put("clientId", clientId);
    Responses.reply(ctx, 200, vertx.eventBus().<JsonObject>request(ExecutionLogVerticle.SUMMARY, q, pbwebhook.Addresses.local()).map(m -> m.body()));
  }
}
