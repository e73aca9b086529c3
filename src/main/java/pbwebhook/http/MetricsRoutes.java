package pbwebhook.http;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.Route;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.List;
import org.slf4j.LoggerFactory;
import pbwebhook.config.AppConfig;
import pbwebhook.metrics.ServerMetrics;

/**
 * {@code GET /metrics}: every meter in Prometheus text format, through vertx-micrometer's scraping handler. On the
 * main port it is an admin route (the admin token; in demo mode open to 127.0.0.1 as the others). With
 * {@code METRICS_PORT} set, {@link LoopbackServer} also serves it without a token on 127.0.0.1 only, for a
 * Prometheus agent on the same machine.
 */
public final class MetricsRoutes {

  private final ServerMetrics metrics;

  public MetricsRoutes(ServerMetrics metrics) {
    this.metrics = metrics;
  }

  /** On the main router, behind {@code auth}. */
  public void mount(Router router, RequestAuth auth) {
    scrape(router.get("/metrics").handler(auth::requireAdmin));
  }

  /** The scrape-time gauges brought up to date, then the scrape. */
  private void scrape(Route route) {
    route.handler(ctx -> {
      metrics.refresh();
      ctx.next();
    }).handler(PrometheusScrapingHandler.create(metrics.registry()));
  }

  /** {@code GET /metrics} without a token, on 127.0.0.1:{@code port} only; nothing else is served there. */
  public static final class LoopbackServer extends VerticleBase {

    private final int port;
    private final List<String> allowedHosts;

    public LoopbackServer(int port, List<String> allowedHosts) {
      this.port = port;
      this.allowedHosts = allowedHosts;
    }

    @Override
    public Future<?> start() {
      Router router = Router.router(vertx);
      // A web page resolving its own name to 127.0.0.1 (DNS rebinding) must not read it either.
      router.route().handler(new HostCheck(true, allowedHosts)::handle);
      new MetricsRoutes(ServerMetrics.of(vertx)).scrape(router.get("/metrics"));
      router.route().last().handler(ctx -> ErrorResponder.send(ctx, 404, "only GET /metrics is served on this port"));
      router.route().failureHandler(ErrorResponder::respondStatus);
      return vertx.createHttpServer(new HttpServerOptions().setHost(AppConfig.LOOPBACK_HOST).setPort(port))
          .requestHandler(router).listen().onSuccess(s -> LoggerFactory.getLogger(MetricsRoutes.class)
          .info("metrics: GET http://{}:{}/metrics (no token; this machine only)", AppConfig.LOOPBACK_HOST, s.actualPort()));
    }
  }
}
