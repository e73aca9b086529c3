package pbwebhook.http;

import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import pbwebhook.config.AppConfig;

/**
 * Admin bearer token and webhook secret checks (behaviour-decisions.md, Security). Secrets are compared
 * in constant time and never echoed. In demo mode admin routes are open to loopback callers only.
 */
public final class RequestAuth {

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
    String header = ctx.request().getHeader("Authorization");
    String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : null;
    if (given == null) throw new ApiError(401, "missing Authorization: Bearer <ADMIN_TOKEN> header");
    if (!constantTimeEquals(given, config.adminToken())) throw new ApiError(401, "invalid admin token");
    ctx.next();
  }

  /** Route handler for webhooks: {@code ?secret=} or {@code X-Webhook-Secret} must match PB_WEBHOOK_SECRET. */
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
    if (config.pbWebhookSecret() != null && !elsewhere) {
      try {
        if (ctx.body().asJsonObject().getValue("secret") instanceof String s) fromBody = s;
      } catch (RuntimeException notAnObject) {
        // no usable body secret; the route reports a bad body once the caller is known to be allowed
      }
    }
    checkWebhookSecret(ctx, fromBody);
  }

  private void checkWebhookSecret(RoutingContext ctx, String bodySecret) {
    if (config.pbWebhookSecret() == null) {
      if (config.demoMode()) {
        ctx.next();
        return;
      }
      throw new ApiError(503, "webhooks are disabled: the PB_WEBHOOK_SECRET setting is not set");
    }
    String given = ctx.request().getHeader("X-Webhook-Secret");
    if (given == null) given = ctx.request().getParam("secret");
    if (given == null) given = bodySecret;
    if (given == null) throw new ApiError(401, "missing webhook secret (?secret= or X-Webhook-Secret header)");
    if (!constantTimeEquals(given, config.pbWebhookSecret())) throw new ApiError(403, "invalid webhook secret");
    ctx.next();
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
