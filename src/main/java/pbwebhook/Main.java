package pbwebhook;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.cluster.ClusterVertx;
import pbwebhook.config.AppConfig;
import pbwebhook.config.ConfigLoader;

/** Boots Vert.x, reads the settings, starts the server; stops it cleanly on SIGTERM. */
public final class Main {

  private static final Logger log = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    // Settings first (on a short-lived instance): they say whether the real one is clustered.
    Vertx boot = Vertx.vertx();
    AppConfig config;
    try {
      config = ConfigLoader.load(boot).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("settings could not be read: {}", e.getMessage());
      System.exit(1);
      return;
    } finally {
      try {
        boot.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("settings reader did not close: {}", e.getMessage());
      }
    }
    Vertx vertx;
    try {
      vertx = ClusterVertx.create(config.cluster()).await(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.error("could not join the cluster: {}", e.getMessage());
      System.exit(1);
      return;
    }
    Server.start(vertx, config)
        .onSuccess(server -> Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          Duration limit = Duration.ofSeconds(Math.max(1, server.config().shutdownTimeoutS()));
          try {
            // Deliveries in flight get three quarters of the limit; the rest is for flushing and closing.
            server.shutdown(limit.multipliedBy(3).dividedBy(4)).eventually(vertx::close)
                .await(limit.toMillis(), TimeUnit.MILLISECONDS);
          } catch (Exception e) {
            log.warn("shutdown did not finish cleanly: {}", e.getMessage());
          }
        }, "shutdown")))
        .onFailure(e -> {
          log.error("server failed to start: {}", e.getMessage());
          vertx.close().onComplete(ar -> System.exit(1));
        });
  }
}
