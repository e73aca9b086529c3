package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import pbwebhook.config.AppConfig;

/** The start-up demo-mode warning names only what is really open: never "no secret" while one is enforced. */
class DemoModeWarningTest {

  static String warning(JsonObject settings) {
    return Server.demoModeWarning(AppConfig.from(settings));
  }

  @Test
  void aFreshStartWarnsThatWebhooksAndAdminRoutesAreOpen() {
    assertThat(warning(new JsonObject())).isEqualTo("DEMO MODE: webhooks need no secret and admin routes are open to "
        + "127.0.0.1 without a token. Set ADMIN_TOKEN and PB_WEBHOOK_SECRET (or DEMO_MODE=false) before exposing this server.");
  }

  @Test
  void withAWebhookSecretSetItNoLongerClaimsWebhooksAreOpen() {
    assertThat(warning(new JsonObject().put("DEMO_MODE", "true").put("PB_WEBHOOK_SECRET", "s3cret")))
        .isEqualTo("DEMO MODE: admin routes are open to 127.0.0.1 without a token. Set ADMIN_TOKEN (or DEMO_MODE=false) "
            + "before exposing this server.");
    assertThat(warning(new JsonObject().put("DEMO_MODE", "true").put("ADMIN_TOKEN", "t0ken")))
        .isEqualTo("DEMO MODE: webhooks need no secret. Set PB_WEBHOOK_SECRET (or DEMO_MODE=false) before exposing this server.");
    assertThat(warning(new JsonObject().put("DEMO_MODE", "true").put("ADMIN_TOKEN", "t0ken").put("WEBHOOK_SECRET_ACME", "a")))
        .isEqualTo("DEMO MODE: webhooks of clients without their own WEBHOOK_SECRET_<CLIENTID> need no secret. "
            + "Set PB_WEBHOOK_SECRET (or DEMO_MODE=false) before exposing this server.");
    assertThat(warning(new JsonObject().put("DEMO_MODE", "true").put("ADMIN_TOKEN", "t0ken").put("PB_WEBHOOK_SECRET", "s")))
        .isEqualTo("DEMO MODE is on, but nothing is open by it: PB_WEBHOOK_SECRET and ADMIN_TOKEN are set and enforced.");
  }

  @Test
  void outsideDemoModeThereIsNoWarning() {
    assertThat(warning(new JsonObject().put("PB_WEBHOOK_SECRET", "s"))).isNull();
    assertThat(warning(new JsonObject().put("DEMO_MODE", "false"))).isNull();
  }
}
