package pbwebhook.http;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two signature schemes a webhook may use instead of sending its secret, and what each covers.
 *
 * <ul>
 *   <li>{@code X-Signature: sha256=<hex>} with {@code X-Signature-Timestamp: <Unix seconds>}: lower-case hex
 *       HMAC-SHA256, keyed with the secret's UTF-8 bytes, of {@code <timestamp>.<clientId>.<raw body>}, where
 *       clientId is the client the webhook is for. The earlier form, {@code <timestamp>.<raw body>}, is still
 *       accepted where it cannot be moved to another client: when the key is the client's own
 *       WEBHOOK_SECRET_&lt;ID&gt; (no other client accepts it), or when the request names no client (it can only
 *       go to the default client, and naming one makes the check ask for the client-bound form).
 *   <li>Standard Webhooks: {@code webhook-id}, {@code webhook-timestamp} and {@code webhook-signature: v1,<base64>}
 *       (several space-separated signatures may be sent; one matching is enough), the base64 HMAC-SHA256 of
 *       {@code <webhook-id>.<webhook-timestamp>.<raw body>} keyed with the base64-decoded part of a
 *       {@code whsec_} secret (or with the secret's UTF-8 bytes when it has no {@code whsec_} prefix). It signs
 *       the id, which is also the idempotency key, but not the client: it is accepted with the client's own
 *       secret, or with the shared PB_WEBHOOK_SECRET only for a request that names no client.
 * </ul>
 *
 * Both timestamps must be within {@link #TOLERANCE} of the server's clock.
 */
public final class WebhookSignature {

  public static final String SIGNATURE_HEADER = "X-Signature";
  public static final String TIMESTAMP_HEADER = "X-Signature-Timestamp";
  public static final String STANDARD_ID = "webhook-id";
  public static final String STANDARD_TIMESTAMP = "webhook-timestamp";
  public static final String STANDARD_SIGNATURE = "webhook-signature";
  public static final Duration TOLERANCE = Duration.ofMinutes(5);
  private static final String WHSEC = "whsec_";
  /** Set on a request whose signature does not cover its idempotency key headers: they are then not trusted. */
  static final String KEY_UNSIGNED = "pb.idempotencyKeyUnsigned";

  private WebhookSignature() {}

  /** Whether the request carries a signature of either scheme. */
  static boolean present(RoutingContext ctx) {
    return ctx.request().getHeader(STANDARD_SIGNATURE) != null || ctx.request().getHeader(SIGNATURE_HEADER) != null;
  }

  /**
   * Returns when the request's signature is good for {@code clientId} (null when the client is not known);
   * throws the 401/403 otherwise. {@code keyIsClients}: the secret is the client's own; {@code named}: the request
   * names its client (query or header).
   */
  static void verify(RoutingContext ctx, String secret, String clientId, boolean keyIsClients, boolean named, Instant now) {
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String standard = ctx.request().getHeader(STANDARD_SIGNATURE);
    if (standard != null) {
      verifyStandard(ctx, standard, secret, body, keyIsClients || !named, now);
      return;
    }
    String ts = freshTimestamp(ctx.request().getHeader(TIMESTAMP_HEADER), TIMESTAMP_HEADER, now);
    String given = ctx.request().getHeader(SIGNATURE_HEADER).trim();
    if (!given.regionMatches(true, 0, "sha256=", 0, 7)) {
      throw new ApiError(401, SIGNATURE_HEADER + " must be sha256=<hex HMAC-SHA256>");
    }
    String hex = given.substring(7).toLowerCase(Locale.ROOT);
    long seconds = Long.parseLong(ts);
    boolean bound = clientId != null && constantTimeEquals(hex, sign(secret, seconds, clientId, body));
    boolean unboundAllowed = keyIsClients || !named;
    if (!bound && !(unboundAllowed && constantTimeEquals(hex, sign(secret, seconds, body)))) {
      throw new ApiError(403, "invalid webhook signature" + (unboundAllowed ? ""
          : ": with the shared secret a webhook naming its client must sign <timestamp>.<clientId>.<body>"));
    }
    // X-Signature covers neither webhook-id nor Idempotency-Key: a replay under another key must not count as new.
    ctx.put(KEY_UNSIGNED, Boolean.TRUE);
  }

  private static void verifyStandard(RoutingContext ctx, String header, String secret, byte[] body, boolean allowed,
                                     Instant now) {
    String id = ctx.request().getHeader(STANDARD_ID);
    if (id == null || id.isBlank()) throw new ApiError(401, STANDARD_SIGNATURE + " needs a " + STANDARD_ID + " header");
    String ts = freshTimestamp(ctx.request().getHeader(STANDARD_TIMESTAMP), STANDARD_TIMESTAMP, now);
    if (!allowed) {
      throw new ApiError(403, "a Standard Webhooks signature does not cover the client, so with the shared secret it "
          + "cannot name one: give this client its own WEBHOOK_SECRET_<CLIENTID>, or use X-Signature");
    }
    String expected = signStandard(secret, id, Long.parseLong(ts), body);
    boolean match = false;
    for (String part : header.trim().split(" +")) {
      // Every entry is compared, so the time taken does not tell which one matched.
      if (part.startsWith("v1,") && constantTimeEquals(part.substring(3), expected)) match = true;
    }
    if (!match) throw new ApiError(403, "invalid webhook signature");
  }

  /** The timestamp header as sent, once it is plain Unix seconds within the tolerance. */
  private static String freshTimestamp(String ts, String header, Instant now) {
    if (ts == null) throw new ApiError(401, "a signature needs an " + header + " header (Unix seconds)");
    // Signed exactly as sent, so it must be plain digits: no sign, no spaces, no leading zero.
    if (!ts.matches("[1-9][0-9]{0,11}")) throw new ApiError(401, header + " must be Unix seconds");
    if (Math.abs(now.getEpochSecond() - Long.parseLong(ts)) > TOLERANCE.toSeconds()) {
      throw new ApiError(401, "signature timestamp is outside the 5-minute tolerance; check the sender's clock");
    }
    return ts;
  }

  /** X-Signature, earlier form: lower-case hex HMAC-SHA256 of {@code "<timestamp>.<raw body>"}. */
  public static String sign(String secret, long timestampSeconds, byte[] body) {
    return HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), timestampSeconds + ".", body));
  }

  /** X-Signature, client-bound form: lower-case hex HMAC-SHA256 of {@code "<timestamp>.<clientId>.<raw body>"}. */
  public static String sign(String secret, long timestampSeconds, String clientId, byte[] body) {
    return HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), timestampSeconds + "." + clientId + ".", body));
  }

  /** Standard Webhooks: base64 HMAC-SHA256 of {@code "<msgId>.<timestamp>.<raw body>"} (without the {@code v1,}). */
  public static String signStandard(String secret, String msgId, long timestampSeconds, byte[] body) {
    return Base64.getEncoder().encodeToString(hmac(standardKey(secret), msgId + "." + timestampSeconds + ".", body));
  }

  /** A {@code whsec_} secret's key is its base64 part decoded; any other secret's key is its UTF-8 bytes. */
  static byte[] standardKey(String secret) {
    if (secret.startsWith(WHSEC)) {
      try {
        byte[] key = Base64.getDecoder().decode(secret.substring(WHSEC.length()));
        if (key.length > 0) return key;
      } catch (IllegalArgumentException notBase64) {
        // used as it is, below
      }
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] hmac(byte[] key, String prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(prefix.getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  static boolean constantTimeEquals(String given, String expected) {
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }
}
