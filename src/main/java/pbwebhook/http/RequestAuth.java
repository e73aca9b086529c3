package pbwebhook.http;

import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import pbwebhook.clients.WebhookSecretStore;
import pbwebhook.config.AppConfig;

/**
 * Admin bearer token and webhook secret checks (behaviour-decisions.md, Security). Secrets are compared
 * in constant time and never echoed. In demo mode admin routes are open to loopback callers only.
 *
 * <p>A webhook proves itself with the client's secret ({@code WEBHOOK_SECRET_<CLIENTID>}, else
 * PB_WEBHOOK_SECRET) in one of three ways: {@code ?secret=}, an {@code X-Webhook-Secret} header, or a
 * signature ({@link WebhookSignature}: {@code X-Signature}, or Standard Webhooks), which binds the client.
 */
public final class RequestAuth {

  private static final String SECRET_DEFERRED = "pb.webhookSecretDeferred";

  public static final String SIGNATURE_HEADER = WebhookSignature.SIGNATURE_HEADER;
  public static final String TIMESTAMP_HEADER = WebhookSignature.TIMESTAMP_HEADER;

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
    verify(ctx, resolvedClientId, bodySecret(ctx));
  }

  private static String bodySecret(RoutingContext ctx) {
    return ctx.get(BODY_SECRET);
  }

  /**
   * Route handler run before the body is read: a webhook whose secret (in the query or a header) is missing
   * or wrong is refused now, so no unauthenticated caller ever has a body read or held. What needs the body
   * goes on: a signed request (the body is signed), and where {@code bodySecretAllowed} one that may carry
   * its secret in the body; their check runs once it is read.
   */
  public void requireSecretBeforeBody(RoutingContext ctx, boolean bodySecretAllowed) {
    if (!WebhookSignature.present(ctx)) {
      String given = ctx.request().getHeader("X-Webhook-Secret");
      if (given == null) given = ctx.request().getParam("secret");
      String clientId = ClientResolver.requested(ctx);
      if (clientId == null) clientId = config.defaultClientId();
      if (clientId != null) {
        if (given != null || !bodySecretAllowed || acceptedSecrets(clientId).secrets().isEmpty()) {
          verify(ctx, clientId, given);
        }
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
    List<String> secrets = new java.util.ArrayList<>(config.clientWebhookSecrets().values());
    if (config.pbWebhookSecret() != null) secrets.add(config.pbWebhookSecret());
    if (secretStore != null) secrets.addAll(secretStore.acceptedByAny(System.currentTimeMillis()));
    if (secrets.isEmpty()) throw webhooksDisabled();
    if (given == null) {
      if (bodySecretAllowed) return;
      throw missingSecret();
    }
    if (!matchesAny(given, secrets)) throw new ApiError(403, "invalid webhook secret");
  }

  /**
   * For a webhook that named no client and resolved to none (several clients, no default), or failed to
   * resolve: before the caller hears why, it must hold the global secret, the only one not tied to a client.
   * Returns {@code cause} when it does (or in demo mode without one), else the 401/403 to answer instead, so
   * an unauthenticated caller never learns anything about the clients.
   */
  public Throwable authenticateUnresolved(RoutingContext ctx, Throwable cause) {
    if (ctx.get(SECRET_DEFERRED) == null) return cause;
    if (config.pbWebhookSecret() == null) {
      if (config.demoMode()) return cause;
      return new ApiError(401, "name the client this webhook is for (?clientId= or the X-Client-Id header) "
          + "and send its webhook secret");
    }
    try {
      verify(ctx, null, bodySecret(ctx));
      return cause;
    } catch (ApiError refused) {
      return refused;
    }
  }

  /** Returns when the request may go on; throws the 401/403/503 otherwise. */
  private void verify(RoutingContext ctx, String clientId, String bodySecret) {
    Candidates expected = acceptedSecrets(clientId);
    if (expected.secrets().isEmpty()) {
      if (config.demoMode()) return;
      throw webhooksDisabled();
    }
    if (WebhookSignature.present(ctx)) {
      // one candidate, or two during a rotation's grace period: a 403 from one lets the next try
      ApiError refused = null;
      for (String secret : expected.secrets()) {
        try {
          WebhookSignature.verify(ctx, secret, clientId, expected.own(), ClientResolver.requested(ctx) != null,
              Instant.now());
          return;
        } catch (ApiError e) {
          if (e.status() != 403) throw e;
          refused = e;
        }
      }
      throw refused;
    }
    String given = ctx.request().getHeader("X-Webhook-Secret");
    if (given == null) given = ctx.request().getParam("secret");
    if (given == null) given = bodySecret;
    if (given == null) throw missingSecret();
    if (!matchesAny(given, expected.secrets())) throw new ApiError(403, "invalid webhook secret");
  }

  private static ApiError webhooksDisabled() {
    return new ApiError(503, "webhooks are disabled: no webhook secret is set (PB_WEBHOOK_SECRET, or "
        + AppConfig.CLIENT_SECRET_PREFIX + "<CLIENTID> for one client)");
  }

  private static ApiError missingSecret() {
    return new ApiError(401, "missing webhook secret (?secret=, X-Webhook-Secret header, X-Signature HMAC or "
        + "Standard Webhooks webhook-signature)");
  }

  /** The secrets a webhook may carry, and whether they belong to its client alone (which binds a signature). */
  private record Candidates(List<String> secrets, boolean own) {}

  /**
   * A client's own {@code WEBHOOK_SECRET_<CLIENTID>} from the environment (which wins), else its secret from the
   * client API's secrets file (and the rotated one during its grace period), else PB_WEBHOOK_SECRET.
   */
  private Candidates acceptedSecrets(String clientId) {
    String fromEnv = clientId == null ? null : config.ownWebhookSecret(clientId);
    if (fromEnv != null) return new Candidates(List.of(fromEnv), true);
    if (secretStore != null && clientId != null) {
      List<String> stored = secretStore.accepted(clientId, System.currentTimeMillis());
      if (!stored.isEmpty()) return new Candidates(stored, true);
    }
    String global = config.webhookSecretFor(clientId);
    return new Candidates(global == null ? List.of() : List.of(global), false);
  }

  /** Compares against every candidate, without stopping at the first match. */
  private static boolean matchesAny(String given, List<String> expected) {
    boolean any = false;
    for (String e : expected) any |= constantTimeEquals(given, e);
    return any;
  }

  /** X-Signature, earlier form (see {@link WebhookSignature}): hex HMAC-SHA256 of {@code "<timestamp>.<raw body>"}. */
  public static String sign(String secret, long timestampSeconds, byte[] body) {
    return WebhookSignature.sign(secret, timestampSeconds, body);
  }

  static boolean constantTimeEquals(String given, String expected) {
    return WebhookSignature.constantTimeEquals(given, expected);
  }

  private static boolean fromLoopback(RoutingContext ctx) {
    var addr = ctx.request().remoteAddress();
    if (addr == null || addr.host() == null) return false;
    String host = addr.host();
    return host.equals("127.0.0.1") || host.startsWith("127.") || host.equals("0:0:0:0:0:0:0:1") || host.equals("::1");
  }
}
