package pbwebhook.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Reads {@code conf/config.yaml} (optional; CONFIG_FILE overrides the path), then the environment, then -D properties. */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static Future<AppConfig> load(Vertx vertx) {
    String file = System.getenv().getOrDefault("CONFIG_FILE", "conf/config.yaml");
    ConfigStoreOptions yaml = new ConfigStoreOptions().setType("file").setFormat("yaml").setOptional(true)
        .setConfig(new JsonObject().put("path", file));
    ConfigStoreOptions env = new ConfigStoreOptions().setType("env");
    ConfigStoreOptions sys = new ConfigStoreOptions().setType("sys");
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
        new ConfigRetrieverOptions().setScanPeriod(0).addStore(yaml).addStore(env).addStore(sys));
    return retriever.getConfig()
        .map(AppConfig::from)
        .eventually(retriever::close);
  }
}
