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
    verify(ctx, resolvedClientId, bodySecret(ctx));
  }

  private static String bodySecret(RoutingContext ctx) {
    try {
      if (ctx.body() != null && ctx.body().asJsonObject().getValue("secret") instanceof String s) return s;
    } catch (RuntimeException notAnObject) {
      // no body secret
    }
    return null;
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
      throw new ApiError(503, "webhooks are disabled: no webhook secret is set (PB_WEBHOOK_SECRET, or "
          + AppConfig.CLIENT_SECRET_PREFIX + "<CLIENTID> for one client)");
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
    if (given == null) {
      throw new ApiError(401, "missing webhook secret (?secret=, X-Webhook-Secret header, X-Signature HMAC or "
          + "Standard Webhooks webhook-signature)");
    }
    if (!matchesAny(given, expected.secrets())) throw new ApiError(403, "invalid webhook secret");
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
