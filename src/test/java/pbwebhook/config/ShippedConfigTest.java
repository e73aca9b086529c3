package pbwebhook.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The shipped {@code conf/config.yaml} as the README's run command reads it, with nothing in the environment: the
 * embedded demo default. A setting whose name starts like a secret variable (WEBHOOK_SECRET_…) would be taken for
 * a client's secret and turn demo mode off; this catches it.
 */
class ShippedConfigTest {

  @Test
  void theShippedDefaultsGiveTheEmbeddedDemoModeWithNoSecret() throws Exception {
    Map<String, Object> yaml;
    try (Reader r = Files.newBufferedReader(Path.of("conf", "config.yaml"))) {
      yaml = new Yaml().load(r);
    }
    AppConfig config = AppConfig.from(new JsonObject(yaml));
    assertThat(config.store()).isEqualTo(AppConfig.StoreKind.EMBEDDED);
    assertThat(config.clientWebhookSecrets()).as("no setting may look like a client's secret variable").isEmpty();
    assertThat(config.adminToken()).isNull();
    assertThat(config.pbWebhookSecret()).isNull();
    assertThat(config.demoMode()).isTrue();
    assertThat(config.tenants().webhookSecretGraceH()).isEqualTo(24);
  }
}
