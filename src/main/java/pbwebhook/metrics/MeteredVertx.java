package pbwebhook.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.UUID;
import java.util.function.Function;

/**
 * Builds the Vert.x instance with vertx-micrometer on, so Vert.x's own HTTP server meters and the JVM's go to the
 * same Prometheus registry as the server's {@code pbwebhook_*} meters ({@link ServerMetrics}). Only the HTTP server,
 * worker pools and JVM are measured: event-bus addresses and client connections would add series without telling an
 * operator more than the server's own meters do.
 */
public final class MeteredVertx {

  private MeteredVertx() {}

  /** A plain (not clustered) instance. */
  public static Vertx create() {
    return build(new VertxOptions(), b -> Future.succeededFuture(b.build())).result();
  }

  /** Builds with {@code build} (e.g. {@code VertxBuilder::buildClustered}) and binds the registry to what it makes. */
  public static Future<Vertx> build(VertxOptions options, Function<VertxBuilder, Future<Vertx>> build) {
    PrometheusMeterRegistry registry = ServerMetrics.newRegistry();
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        // one registry per instance: two members in one JVM (tests) must not share the default one
        .setRegistryName("pbwebhook-" + UUID.randomUUID())
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.NET_CLIENT)
        .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET);
    VertxBuilder builder = Vertx.builder().with(new VertxOptions(options).setMetricsOptions(metrics))
        .withMetrics(new MicrometerMetricsFactory(registry));
    return build.apply(builder).map(vertx -> {
      ServerMetrics.attach(vertx, registry);
      return vertx;
    });
  }
}
