package pbwebhook.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Signatures against fixed vectors computed elsewhere, not against this code's own output. */
class WebhookSignatureTest {

  static final String BODY = "{\"profileUrl\":\"https://www.linkedin.com/in/vector\"}";

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void standardWebhooksPublishedExample() {
    // standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts, "sign function works".
    assertThat(WebhookSignature.signStandard("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330L, bytes("{\"test\": 2432232314}"))).isEqualTo("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void xSignatureVectorsFromOpenssl() {
    // printf '%s' '1700000000.<body>' | openssl dgst -sha256 -hmac global-hook-secret -hex
    assertThat(WebhookSignature.sign("global-hook-secret", 1700000000L, bytes(BODY)))
        .isEqualTo("412594a0d93829e22bd2c6aea5bdd10f8ac61fe69f23685eb62cbd2f6fa71c25");
    // printf '%s' '1700000000.acme-co.<body>' | openssl dgst -sha256 -hmac global-hook-secret -hex
    assertThat(WebhookSignature.sign("global-hook-secret", 1700000000L, "acme-co", bytes(BODY)))
        .isEqualTo("53588b849f07aafc236cd00dcf052a1e05fa44901607490cfce2257366bfe2cd");
  }

  @Test
  void aSecretWithoutWhsecIsUsedAsItsBytesAndAnEmptyOrBrokenWhsecPartToo() {
    assertThat(WebhookSignature.standardKey("plain-secret")).isEqualTo(bytes("plain-secret"));
    assertThat(WebhookSignature.standardKey("whsec_")).isEqualTo(bytes("whsec_"));
    assertThat(WebhookSignature.standardKey("whsec_not base64!")).isEqualTo(bytes("whsec_not base64!"));
    assertThat(WebhookSignature.standardKey("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).hasSize(24);
  }
}
