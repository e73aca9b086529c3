package pbwebhook.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses what a web page in someone's browser could make of this server. A request whose {@code Host} is
 * not an allowed name (DNS rebinding: a page on evil.example resolving its own name to 127.0.0.1) is
 * answered 421; this applies in demo mode and whenever ALLOWED_HOSTS is set (a deployment behind a domain
 * lists its public name there; one that does not keeps answering any Host, as before). A state-changing
 * admin request (any method but GET/HEAD/OPTIONS, and the GET forms of the run triggers) whose
 * {@code Origin} is another site is answered 403 in every mode (a form post or fetch from a page).
 * {@code GET /health} is exempt (load balancers probe it by IP).
 */
public final class HostCheck {

  static final List<String> LOOPBACK_NAMES = List.of("localhost", "127.0.0.1", "[::1]", "::1");
  /** Admin paths that change state even on GET (they start paid AI runs). */
  private static final List<String> STATE_CHANGING_GETS = List.of("/run-batch-score", "/run-post-batch-score", "/score-lead");

  private final Set<String> allowed = new HashSet<>(LOOPBACK_NAMES);
  private final boolean enforceHost;

  public HostCheck(boolean demoMode, List<String> allowedHosts) {
    allowed.addAll(allowedHosts);
    this.enforceHost = demoMode || !allowedHosts.isEmpty();
  }

  public void handle(RoutingContext ctx) {
    String path = ctx.request().path();
    if ("/health".equals(path)) {
      ctx.next();
      return;
    }
    String host = hostName(ctx.request().authority() == null ? null : ctx.request().authority().host());
    if (enforceHost && (host == null || !allowed.contains(host))) {
      throw new ApiError(421, "this server does not answer to the host name "
          + (host == null ? "(none)" : "'" + clip(host, 100) + "'") + "; add it to ALLOWED_HOSTS");
    }
    String origin = ctx.request().getHeader("Origin");
    if (origin != null && stateChangingAdmin(ctx) && !sameSite(origin, host)) {
      throw new ApiError(403, "cross-site request refused: Origin " + clip(origin, 100)
          + " is not this server; add its host to ALLOWED_HOSTS if it is yours");
    }
    ctx.next();
  }

  private boolean sameSite(String origin, String requestHost) {
    String originHost;
    try {
      originHost = hostName(URI.create(origin.trim()).getHost());
    } catch (IllegalArgumentException e) {
      return false; // "null" (sandboxed frames, file:) and garbage are foreign
    }
    return originHost != null && (allowed.contains(originHost) || originHost.equals(requestHost));
  }

  private static boolean stateChangingAdmin(RoutingContext ctx) {
    String path = ctx.request().path();
    boolean admin = path.startsWith("/api/") && !path.equals("/api/pb-webhook") || STATE_CHANGING_GETS.contains(path);
    if (!admin) return false;
    HttpMethod m = ctx.request().method();
    boolean safe = m == HttpMethod.GET || m == HttpMethod.HEAD || m == HttpMethod.OPTIONS;
    return !safe || STATE_CHANGING_GETS.contains(path);
  }

  private static String clip(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + "…";
  }

  private static String hostName(String host) {
    if (host == null || host.isBlank()) return null;
    String h = host.trim().toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
