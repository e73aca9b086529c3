package pbwebhook.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Keeps slow or idle connections from taking every file descriptor (HTTP_HEADER_TIMEOUT_S,
 * HTTP_IDLE_TIMEOUT_S, MAX_CONNECTIONS). A connection must complete a request's headers within the header
 * timeout of opening, and the next request's within the idle timeout of its previous response; otherwise
 * it is closed. Past the cap, the oldest connection still waiting for headers makes room for the new one
 * (a flood of slow connections cannot lock out a quick request such as /health); when every connection is
 * busy with a request, the new one is closed. A request being served (a body arriving, a {@code ?wait=true}
 * long poll) is not timed here: the body timeout and the route's own limits apply. Confined to the HTTP
 * verticle's event loop.
 */
public final class ConnectionGuard {

  private static final class Conn {
    /** When it started waiting for request headers (nanos), or -1 while a request is being served. */
    long waitingSince;
    /** How long it may wait: the header timeout before its first request, the idle timeout after. */
    long limitNanos;
    /** Requests being served (several at once over HTTP/2). */
    final List<HttpServerRequest> active = new ArrayList<>(1);

    Conn(long now, long limitNanos) {
      this.waitingSince = now;
      this.limitNanos = limitNanos;
    }
  }

  private final long headerTimeoutNanos;
  private final long idleTimeoutNanos;
  private final int maxConnections;
  private final Map<HttpConnection, Conn> open = new LinkedHashMap<>();
  private long closedForTimeout;
  private long closedForCap;
  private Vertx vertx;
  private static final int CLOSE_BATCH = 100;

  public ConnectionGuard(int headerTimeoutS, int idleTimeoutS, int maxConnections) {
    this.headerTimeoutNanos = headerTimeoutS * 1_000_000_000L;
    this.idleTimeoutNanos = idleTimeoutS * 1_000_000_000L;
    this.maxConnections = maxConnections;
  }

  /** Checks the timeouts every quarter of the shorter one (at most once a second). */
  public long startSweeping(Vertx vertx) {
    this.vertx = vertx;
    long periodMs = Math.max(50, Math.min(1_000, Math.min(headerTimeoutNanos, idleTimeoutNanos) / 4_000_000));
    return vertx.setPeriodic(periodMs, t -> sweep(System.nanoTime()));
  }

  /** The server's connection handler. */
  public void onConnection(HttpConnection connection) {
    if (open.size() >= maxConnections && !evictOldestWaiting()) {
      closedForCap++;
      connection.close();
      return;
    }
    open.put(connection, new Conn(System.nanoTime(), headerTimeoutNanos));
    connection.closeHandler(v -> open.remove(connection));
  }

  /** Called with every request once its headers are in. */
  public void onRequest(HttpServerRequest request) {
    Conn c = open.get(request.connection());
    if (c != null) {
      c.waitingSince = -1;
      c.active.add(request);
    }
  }

  public int openConnections() {
    return open.size();
  }

  public long closedForTimeout() {
    return closedForTimeout;
  }

  public long closedForCap() {
    return closedForCap;
  }

  void sweep(long now) {
    List<HttpConnection> expired = new ArrayList<>();
    for (Iterator<Map.Entry<HttpConnection, Conn>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<HttpConnection, Conn> e = it.next();
      Conn c = e.getValue();
      if (c.waitingSince < 0) {
        c.active.removeIf(r -> r.response().ended() || r.response().closed());
        if (c.active.isEmpty()) {
          c.waitingSince = now;
          c.limitNanos = idleTimeoutNanos;
        }
      } else if (now - c.waitingSince > c.limitNanos) {
        it.remove();
        closedForTimeout++;
        expired.add(e.getKey());
      }
    }
    closeInBatches(expired);
  }

  /** Thousands expiring at once are closed a batch per event-loop turn, so requests still get served between. */
  private void closeInBatches(List<HttpConnection> expired) {
    if (expired.isEmpty()) return;
    List<HttpConnection> batch = new ArrayList<>(expired.subList(0, Math.min(CLOSE_BATCH, expired.size())));
    List<HttpConnection> rest = new ArrayList<>(expired.subList(batch.size(), expired.size()));
    batch.forEach(HttpConnection::close);
    if (!rest.isEmpty()) vertx.runOnContext(v -> closeInBatches(rest));
  }

  private boolean evictOldestWaiting() {
    for (Iterator<Map.Entry<HttpConnection, Conn>> it = open.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<HttpConnection, Conn> e = it.next();
      if (e.getValue().waitingSince >= 0) {
        it.remove();
        closedForCap++;
        e.getKey().close();
        return true;
      }
    }
    return false;
  }
}
