package pbwebhook.http;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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

  public RequestAuth(AppConfig config) {
    this.config = config;
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
    String given = bearerToken(ctx);
    if (given == null) throw new ApiError(401, "missing Authorization: Bearer <ADMIN_TOKEN> header");
    if (!constantTimeEquals(given, config.adminToken())) throw new ApiError(401, "invalid admin token");
    ctx.next();
  }

  /** Whether the request carries the admin token (never, when ADMIN_TOKEN is not set). */
  public boolean hasAdminToken(RoutingContext ctx) {
    String given = bearerToken(ctx);
    return config.adminToken() != null && given != null && constantTimeEquals(given, config.adminToken());
  }

  private static String bearerToken(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
  }

  /**
   * Route handler for webhooks; needs the body already read (for the signature). The client whose
   * secret applies is the one the request names, else DEFAULT_CLIENT_ID.
   */
  public void requireWebhookSecret(RoutingContext ctx) {
    checkWebhookSecret(ctx, null);
    ctx.next();
  }

  /**
   * Checks the secret (also a top-level {@code "secret"} field of a JSON object body, as PhantomBuster may
   * send it, system.md §1) without going on to the next handler: the route runs it off the event loop, since
   * it may parse or sign megabytes. The body secret is what {@link #BODY_SECRET} holds (put there by the
   * route, which parses the body once), looked at only when neither the query nor a header has a secret.
   */
  public void checkWebhookSecretOrBodySecret(RoutingContext ctx) {
    boolean elsewhere = ctx.request().getHeader("X-Webhook-Secret") != null || ctx.request().getParam("secret") != null;
    checkWebhookSecret(ctx, elsewhere ? null : ctx.get(BODY_SECRET));
  }

  /** Where a route that accepts a secret in the body puts it (a String) for the checks here. */
  public static final String BODY_SECRET = "pb.bodySecret";

  private void checkWebhookSecret(RoutingContext ctx, String bodySecret) {
    String clientId = ClientResolver.requested(ctx);
    if (clientId == null) clientId = config.defaultClientId();
    if (clientId == null) {
      // No client named: the secret to check is the one of whichever client the request resolves to.
      ctx.put(SECRET_DEFERRED, Boolean.TRUE);
      return;
    }
    verify(ctx, clientId, bodySecret);
  }

  /**
   * For a webhook that named no client (and no DEFAULT_CLIENT_ID is set): once the client it goes to is known
   * (the only client there is), that client's secret is checked, as if the request had named it.
   */
  public void requireSecretOfResolvedClient(RoutingContext ctx, String resolvedClientId) {
    if (ctx.get(SECRET_DEFERRED) == null) return;
    verify(ctx, resolvedClientId, ctx.get(BODY_SECRET));
  }

  /**
   * Route handler run before the body is read: a webhook whose secret (in the query or a header) is missing
   * or wrong is refused now, so no unauthenticated caller ever has a body read or held. What needs the body
   * goes on: a signed request (the body is signed), and where {@code bodySecretAllowed} one that may carry
   * its secret in the body; their check runs once it is read.
   */
  public void requireSecretBeforeBody(RoutingContext ctx, boolean bodySecretAllowed) {
    if (ctx.request().getHeader(SIGNATURE_HEADER) == null) {
      String given = ctx.request().getHeader("X-Webhook-Secret");
      if (given == null) given = ctx.request().getParam("secret");
      String clientId = ClientResolver.requested(ctx);
      if (clientId == null) clientId = config.defaultClientId();
      if (clientId != null) {
        if (given != null || !bodySecretAllowed || config.webhookSecretFor(clientId) == null) verify(ctx, clientId, given);
      } else {
        refuseWhatNoClientAccepts(given, bodySecretAllowed);
      }
    }
    ctx.next();
  }

  /**
   * The client is known only later (it is the only one there is): refuse now what no client's secret could
   * accept, and leave the exact check to {@link #requireSecretOfResolvedClient}.
   */
  private void refuseWhatNoClientAccepts(String given, boolean bodySecretAllowed) {
    // A client without a secret of its own is open in demo mode when there is no global secret.
    boolean someClientMayBeOpen = config.demoMode() && config.pbWebhookSecret() == null;
    if (someClientMayBeOpen) return;
    java.util.List<String> secrets = new java.util.ArrayList<>(config.clientWebhookSecrets().values());
    if (config.pbWebhookSecret() != null) secrets.add(config.pbWebhookSecret());
    if (secrets.isEmpty()) throw webhooksDisabled();
    if (given == null) {
      if (bodySecretAllowed) return;
      throw missingSecret();
    }
    boolean matches = false;
    for (String s : secrets) matches |= constantTimeEquals(given, s);
    if (!matches) throw new ApiError(403, "invalid webhook secret");
  }

  /** Returns when the request may go on; throws the 401/403/503 otherwise. */
  private void verify(RoutingContext ctx, String clientId, String bodySecret) {
    String expected = config.webhookSecretFor(clientId);
    if (expected == null) {
      if (config.demoMode()) return;
      throw webhooksDisabled();
    }
    String signature = ctx.request().getHeader(SIGNATURE_HEADER);
    if (signature != null) {
      verifySignature(ctx, signature, expected, Instant.now());
      return;
    }
    String given = ctx.request().getHeader("X-Webhook-Secret");
    if (given == null) given = ctx.request().getParam("secret");
    if (given == null) given = bodySecret;
    if (given == null) throw missingSecret();
    if (!constantTimeEquals(given, expected)) throw new ApiError(403, "invalid webhook secret");
  }

  private static ApiError webhooksDisabled() {
    return new ApiError(503, "webhooks are disabled: no webhook secret is set (PB_WEBHOOK_SECRET, or "
        + AppConfig.CLIENT_SECRET_PREFIX + "<CLIENTID> for one client)");
  }

  private static ApiError missingSecret() {
    return new ApiError(401, "missing webhook secret (?secret=, X-Webhook-Secret header, or X-Signature HMAC)");
  }

  private static void verifySignature(RoutingContext ctx, String signature, String secret, Instant now) {
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
    String expected = sign(secret, seconds, body);
    if (!constantTimeEquals(given.substring(7).toLowerCase(Locale.ROOT), expected)) {
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
