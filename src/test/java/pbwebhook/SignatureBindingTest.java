package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.store.schema.Clients;

/**
 * What a signature binds: a captured signed webhook cannot be sent to another client, and its idempotency key
 * counts only when signed. Signatures here are made by this test's own HMAC code, following the published
 * schemes, not by the server's.
 */
class SignatureBindingTest {

  static final String GLOBAL = "shared-global-secret";
  /** acme's own secret is the Standard Webhooks published example secret. */
  static final String ACME = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String HOOK = "/lh-webhook/upsertLeadOnly";

  @TempDir
  static Path dataDir;
  static TestServer server;
  static TestHttp http;
  static int counter;

  @BeforeAll
  static void start() {
    server = TestServer.start(dataDir, new ScriptedScorer(), new JsonObject().put("PB_WEBHOOK_SECRET", GLOBAL)
        .put("ADMIN_TOKEN", "admin-sig-token").put("WEBHOOK_SECRET_ACME", ACME).put("DEFAULT_CLIENT_ID", "demo"));
    for (String id : List.of("acme", "bravo")) server.addClient(id, Clients.STATUS_ACTIVE, List.of());
    http = server.http();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  static String body() {
    return "{\"profileUrl\":\"https://www.linkedin.com/in/signed-" + (++counter) + "\",\"firstName\":\"S\"}";
  }

  static byte[] hmac(byte[] key, String content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> xSignature(String secret, String signedContentAfterTs, long ts) {
    String hex = HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), ts + "." + signedContentAfterTs));
    return new HashMap<>(Map.of("Content-Type", "application/json", "X-Signature", "sha256=" + hex,
        "X-Signature-Timestamp", Long.toString(ts)));
  }

  static Map<String, String> standard(String secret, String msgId, long ts, String body) {
    byte[] key = secret.startsWith("whsec_") ? Base64.getDecoder().decode(secret.substring(6))
        : secret.getBytes(StandardCharsets.UTF_8);
    String sig = Base64.getEncoder().encodeToString(hmac(key, msgId + "." + ts + "." + body));
    return Map.of("Content-Type", "application/json", "webhook-id", msgId, "webhook-timestamp", Long.toString(ts),
        "webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v1," + sig);
  }

  static void assertStatus(TestHttp.Reply r, int status, String clientOrError) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    if (status == 200) assertThat(r.json().getString("clientId")).isEqualTo(clientOrError);
    else assertThat(r.json().getString("error")).isEqualTo(clientOrError);
  }

  @Test
  void theSharedSecretSignsTheClientSoACapturedWebhookCannotBeRedirected() {
    long now = Instant.now().getEpochSecond();
    String b = body();
    Map<String, String> forBravo = xSignature(GLOBAL, "bravo." + b, now);
    assertStatus(http.post(HOOK + "?clientId=bravo", b, forBravo), 200, "bravo");
    assertStatus(http.post(HOOK + "?clientId=demo", b, forBravo), 403, "invalid webhook signature: with the shared secret "
        + "a webhook naming its client must sign <timestamp>.<clientId>.<body>");
    Map<String, String> viaHeader = new HashMap<>(forBravo);
    viaHeader.put("X-Client-Id", "demo");
    assertStatus(http.post(HOOK, b, viaHeader), 403, "invalid webhook signature: with the shared secret "
        + "a webhook naming its client must sign <timestamp>.<clientId>.<body>");

    // The earlier form, <ts>.<body>, with the shared secret: good for the default client only.
    String d = body();
    Map<String, String> unbound = xSignature(GLOBAL, d, now);
    assertStatus(http.post(HOOK, d, unbound), 200, "demo");
    assertStatus(http.post(HOOK + "?clientId=bravo", d, unbound), 403, "invalid webhook signature: with the shared "
        + "secret a webhook naming its client must sign <timestamp>.<clientId>.<body>");
    // The client-bound form also works for the default client.
    String e = body();
    assertStatus(http.post(HOOK, e, xSignature(GLOBAL, "demo." + e, now)), 200, "demo");
  }

  @Test
  void aClientsOwnSecretBindsItAlreadySoItsExistingSendersKeepWorking() {
    long now = Instant.now().getEpochSecond();
    String b = body();
    Map<String, String> acmeOld = xSignature(ACME, b, now);
    assertStatus(http.post(HOOK + "?clientId=acme", b, acmeOld), 200, "acme");
    assertStatus(http.post(HOOK + "?clientId=bravo", b, acmeOld), 403, "invalid webhook signature: with the shared "
        + "secret a webhook naming its client must sign <timestamp>.<clientId>.<body>");
    assertStatus(http.post(HOOK, b, acmeOld), 403, "invalid webhook signature");
    String c = body();
    assertStatus(http.post(HOOK + "?clientId=acme", c, xSignature(ACME, "acme." + c, now)), 200, "acme");
  }

  @Test
  void standardWebhooksWithTheClientsOwnWhsecSecret() {
    long now = Instant.now().getEpochSecond();
    String b = body();
    Map<String, String> signed = standard(ACME, "msg_" + counter, now, b);
    TestHttp.Reply first = http.post(HOOK + "?clientId=acme", b, signed);
    assertStatus(first, 200, "acme");
    assertThat(first.json().getBoolean("duplicate")).isFalse();
    TestHttp.Reply again = http.post(HOOK + "?clientId=acme", b, signed);
    assertThat(again.json().getString("inboxId")).as("webhook-id is the signed idempotency key")
        .isEqualTo(first.json().getString("inboxId"));
    assertThat(again.json().getBoolean("duplicate")).isTrue();

    assertStatus(http.post(HOOK + "?clientId=bravo", b, signed), 403, "a Standard Webhooks signature does not cover the "
        + "client, so with the shared secret it cannot name one: give this client its own WEBHOOK_SECRET_<CLIENTID>, "
        + "or use X-Signature");
    Map<String, String> otherId = new HashMap<>(signed);
    otherId.put("webhook-id", "msg_forged");
    assertStatus(http.post(HOOK + "?clientId=acme", b, otherId), 403, "invalid webhook signature");
    assertStatus(http.post(HOOK + "?clientId=acme", b, standard(ACME, "msg_old", now - 360, b)), 401,
        "signature timestamp is outside the 5-minute tolerance; check the sender's clock");
    Map<String, String> noId = new HashMap<>(signed);
    noId.remove("webhook-id");
    assertStatus(http.post(HOOK + "?clientId=acme", b, noId), 401, "webhook-signature needs a webhook-id header");
  }

  @Test
  void standardWebhooksWithTheSharedSecretOnlyForTheDefaultClient() {
    long now = Instant.now().getEpochSecond();
    String b = body();
    assertStatus(http.post(HOOK, b, standard(GLOBAL, "msg_shared_" + counter, now, b)), 200, "demo");
    String c = body();
    assertStatus(http.post(HOOK + "?clientId=bravo", c, standard(GLOBAL, "msg_shared_" + counter, now, c)), 403,
        "a Standard Webhooks signature does not cover the client, so with the shared secret it cannot name one: give "
            + "this client its own WEBHOOK_SECRET_<CLIENTID>, or use X-Signature");
  }

  @Test
  void anUnsignedIdempotencyKeyIsIgnoredSoAReplayUnderANewKeyIsStillADuplicate() {
    long now = Instant.now().getEpochSecond();
    String b = body();
    Map<String, String> first = xSignature(GLOBAL, "bravo." + b, now);
    first.put("Idempotency-Key", "key-1");
    TestHttp.Reply one = http.post(HOOK + "?clientId=bravo", b, first);
    assertStatus(one, 200, "bravo");
    Map<String, String> replay = new HashMap<>(first);
    replay.put("Idempotency-Key", "key-2-chosen-by-the-attacker");
    TestHttp.Reply two = http.post(HOOK + "?clientId=bravo", b, replay);
    assertStatus(two, 200, "bravo");
    assertThat(two.json().getBoolean("duplicate")).isTrue();
    assertThat(two.json().getString("inboxId")).isEqualTo(one.json().getString("inboxId"));
  }
}
