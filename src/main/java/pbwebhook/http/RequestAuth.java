package pbwebhook.http;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import pbwebhook.clients.WebhookSecretStore;
import pbwebhook.config.AppConfig;

/**
 * Admin bearer token and webhook secret checks (behaviour-decisions.md, Security). Secrets are compared
 * in constant time and never echoed. In demo mode admin routes are open to loopback callers only.
 *
 * <p>A webhook proves itself with the client's secret ({@code WEBHOOK_SECRET_<CLIENTID>}, else
 * PB_WEBHOOK_SECRET) in one of three ways: {@code ?secret=}, an {@code X-Webhook-Secret} header, or an
 * HMAC signature {@code X-Signature: sha256=<hex>} where hex is HMAC-SHA256(secret, timestamp + "." +
 * raw body) and timestamp is the {@code X-Signature-Timestamp} header (Unix seconds), within five minutes
 * of our clock.
 */
public final class RequestAuth {

  private static final String SECRET_DEFERRED = "pb.webhookSecretDeferred";

  public static final String SIGNATURE_HEADER = "X-Signature";
  public static final String TIMESTAMP_HEADER = "X-Signature-Timestamp";
  public static final Duration SIGNATURE_TOLERANCE = Duration.ofMinutes(5);

  private final AppConfig config;
  private final WebhookSecretStore secretStore;

  public RequestAuth(AppConfig config) {
    this(config, null);
  }

  /** With the client API's secrets file, asked after the environment's {@code WEBHOOK_SECRET_<CLIENTID>}. */
  public RequestAuth(AppConfig config, WebhookSecretStore secretStore) {
    this.config = config;
    this.secretStore = secretStore;
  }

  /** Route handler for every admin route. */
  public void requireAdmin(RoutingContext ctx) {
    if (config.adminToken() == null) {
      if (config.demoMode() && fromLoopback(ctx)) {
        ctx.next();
        return;
      }
      throw new ApiError(503, config.demoMode()
          ? "admin routes are open only to 127.0.0.1 in demo mode; set ADMIN_TOKEN to call them from elsewhere"
          : "admin routes are disabled: the ADMIN_TOKEN setting is not set");
    }
    String header = ctx.request().getHeader("Authorization");
    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    if (given == null) throw new ApiError(401, "missing Authorization: Bearer <ADMIN_TOKEN> header");
    if (!constantTimeEquals(given, config.adminToken())) throw new ApiError(401, "invalid admin token");
    ctx.next();
  }

  /**
   * Route handler for webhooks; needs the body already read (for the signature). The client whose
   * secret applies is the one the request names, else DEFAULT_CLIENT_ID.
   */
  public void requireWebhookSecret(RoutingContext ctx) {
    checkWebhookSecret(ctx, null);
  }

  /**
   * Like {@link #requireWebhookSecret}, and also accepts a top-level {@code "secret"} field of a JSON object
   * body, as PhantomBuster may send it (system.md §1). A body handler must run before this one.
   */
  public void requireWebhookSecretOrBodySecret(RoutingContext ctx) {
    String fromBody = null;
    boolean elsewhere = ctx.request().getHeader("X-Webhook-Secret") != null || ctx.request().getParam("secret") != null;
    if (!elsewhere) {
      try {
        if (ctx.body().asJsonObject().getValue("secret") instanceof String s) fromBody = s;
      } catch (RuntimeException notAnObject) {
        // no usable body secret; the route reports a bad body once the caller is known to be allowed
      }
    }
    checkWebhookSecret(ctx, fromBody);
  }

  private void checkWebhookSecret(RoutingContext ctx, String bodySecret) {
    String clientId = ClientResolver.requested(ctx);
    if (clientId == null) clientId = config.defaultClientId();
    if (clientId == null) {
      // No client named: the secret to check is the one of whichever client the request resolves to.
      ctx.put(SECRET_DEFERRED, Boolean.TRUE);
      ctx.next();
      return;
    }
    verify(ctx, clientId, bodySecret);
    ctx.next();
  }

  /**
   * For a webhook that named no client (and no DEFAULT_CLIENT_ID is set): once the client it goes to is known
   * (the only client there is), that client's secret is checked, as if the request had named it.
   */
  public void requireSecretOfResolvedClient(RoutingContext ctx, String resolvedClientId) {
    if (ctx.get(SECRET_DEFERRED) == null) return;
    String fromBody = null;
    try {
      if (ctx.body() != null && ctx.body().asJsonObject().getValue("secret") instanceof String s) fromBody = s;
    } catch (RuntimeException notAnObject) {
      // no body secret
    }
    verify(ctx, resolvedClientId, fromBody);
  }

  /** Returns when the request may go on; throws the 401/403/503 otherwise. */
  private void verify(RoutingContext ctx, String clientId, String bodySecret) {
    List<String> expected = acceptedSecrets(clientId);
    if (expected.isEmpty()) {
      if (config.demoMode()) return;
      throw new ApiError(503, "webhooks are disabled: no webhook secret is set (PB_WEBHOOK_SECRET, or "
          + AppConfig.CLIENT_SECRET_PREFIX + "<CLIENTID> for one client)");
    }
    String signature = ctx.request().getHeader(SIGNATURE_HEADER);
    if (signature != null) {
      verifySignature(ctx, signature, expected, Instant.now());
      return;
    }
    String given = ctx.request().getHeader("X-Webhook-Secret");
    if (given == null) given = ctx.request().getParam("secret");
    if (given == null) given = bodySecret;
    if (given == null) {
      throw new ApiError(401, "missing webhook secret (?secret=, X-Webhook-Secret header, or X-Signature HMAC)");
    }
    if (!matchesAny(given, expected)) throw new ApiError(403, "invalid webhook secret");
  }

  /**
   * The secrets a client's webhooks may carry: its {@code WEBHOOK_SECRET_<CLIENTID>} from the environment (which
   * wins), else its secret from the client API's secrets file (and the rotated one during its grace period), else
   * PB_WEBHOOK_SECRET.
   */
  private List<String> acceptedSecrets(String clientId) {
    String fromEnv = clientId == null ? null : config.clientWebhookSecrets().get(AppConfig.clientSecretKey(clientId));
    if (fromEnv != null) return List.of(fromEnv);
    if (secretStore != null && clientId != null) {
      List<String> stored = secretStore.accepted(clientId, System.currentTimeMillis());
      if (!stored.isEmpty()) return stored;
    }
    String global = config.webhookSecretFor(clientId);
    return global == null ? List.of() : List.of(global);
  }

  /** Compares against every candidate, without stopping at the first match. */
  private static boolean matchesAny(String given, List<String> expected) {
    boolean any = false;
    for (String e : expected) any |= constantTimeEquals(given, e);
    return any;
  }

  private static void verifySignature(RoutingContext ctx, String signature, List<String> secrets, Instant now) {
    String ts = ctx.request().getHeader(TIMESTAMP_HEADER);
    if (ts == null) throw new ApiError(401, SIGNATURE_HEADER + " needs an " + TIMESTAMP_HEADER + " header (Unix seconds)");
    // Signed exactly as sent, so it must be plain digits: no sign, no spaces, no leading zero.
    if (!ts.matches("[1-9][0-9]{0,11}")) throw new ApiError(401, TIMESTAMP_HEADER + " must be Unix seconds");
    long seconds = Long.parseLong(ts);
    if (Math.abs(now.getEpochSecond() - seconds) > SIGNATURE_TOLERANCE.toSeconds()) {
      throw new ApiError(401, "signature timestamp is outside the 5-minute tolerance; check the sender's clock");
    }
    String given = signature.trim();
    if (!given.regionMatches(true, 0, "sha256=", 0, 7)) {
      throw new ApiError(401, SIGNATURE_HEADER + " must be sha256=<hex HMAC-SHA256>");
    }
    byte[] body = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    String hex = given.substring(7).toLowerCase(Locale.ROOT);
    boolean any = false;
    for (String secret : secrets) any |= constantTimeEquals(hex, sign(secret, seconds, body));
    if (!any) {
      throw new ApiError(403, "invalid webhook signature");
    }
  }

  /** Lower-case hex HMAC-SHA256 of {@code "<timestamp>.<raw body>"}: what a sender puts after {@code sha256=}. */
  public static String sign(String secret, long timestampSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((timestampSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }

  static boolean constantTimeEquals(String given, String expected) {
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  private static boolean fromLoopback(RoutingContext ctx) {
    var addr = ctx.request().remoteAddress();
    if (addr == null || addr.host() == null) return false;
    String host = addr.host();
    return host.equals("127.0.0.1") || host.startsWith("127.") || host.equals("0:0:0:0:0:0:0:1") || host.equals("::1");
  }
}
