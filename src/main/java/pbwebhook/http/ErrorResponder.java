package pbwebhook.http;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.inbox.InboxClosedException;
import pbwebhook.store.StoreException;

/** The one place where failures become HTTP statuses and JSON error bodies ({@code {ok:false, status, error}}). */
public final class ErrorResponder {

  private static final Logger log = LoggerFactory.getLogger(ErrorResponder.class);

  private ErrorResponder() {}

  public static void respond(RoutingContext ctx, Throwable e) {
    int status;
    String message;
    if (e instanceof ApiError api) {
      status = api.status();
      message = api.getMessage();
    } else if (e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      status = re.failureCode() >= 400 && re.failureCode() < 600 ? re.failureCode() : 500;
      message = re.getMessage();
    } else if (e instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      status = 503;
      message = "the client's worker is not running (the client may have just been added or removed); try again shortly";
    } else if (e instanceof ReplyException re && re.failureType() == ReplyFailure.TIMEOUT) {
      status = 504;
      message = "the operation did not finish in time";
    } else if (e instanceof InboxClosedException) {
      ctx.response().putHeader("Retry-After", "5");
      status = 503;
      message = e.getMessage();
    } else if (e instanceof java.io.IOException) {
      // The inbox could not make the webhook durable: not acknowledged, so the sender must retry.
      ctx.response().putHeader("Retry-After", "5");
      status = 503;
      message = "the webhook could not be stored durably; retry shortly";
      log.error("{} {}: {}", ctx.request().method(), ctx.request().path(), e.getMessage());
    } else if (e instanceof StoreException se) {
      status = se.kind() == StoreException.Kind.NOT_FOUND ? 404 : 503;
      message = se.getMessage();
    } else {
      status = 500;
      message = "internal error";
      log.error("{} {} failed", ctx.request().method(), ctx.request().path(), e);
    }
    send(ctx, status, message);
  }

  /** For failures raised by vert.x-web itself (e.g. 413 from the body handler, 404 for unknown paths). */
  public static void respondStatus(RoutingContext ctx) {
    if (ctx.failure() != null) {
      respond(ctx, ctx.failure() instanceof ApiError ? ctx.failure() : ctx.statusCode() > 0
          ? new ApiError(ctx.statusCode(), describe(ctx.statusCode())) : ctx.failure());
    } else {
      send(ctx, ctx.statusCode(), describe(ctx.statusCode()));
    }
  }

  private static String describe(int status) {
    return switch (status) {
      case 404 -> "no such endpoint";
      case 405 -> "method not allowed on this endpoint";
      case 413 -> "request body too large: admin calls take at most " + HttpVerticle.ADMIN_BODY_LIMIT / 1024 + " KB";
      case 415 -> "unsupported content type";
      default -> "request failed";
    };
  }

  public static void send(RoutingContext ctx, int status, String message) {
    if (ctx.response().ended()) return;
    boolean bodyUnread = !ctx.request().isEnded();
    // HTTP/1.1 has no way to refuse the rest of a body but closing the connection.
    if (bodyUnread) ctx.response().putHeader("Connection", "close");
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(new JsonObject().put("ok", false).put("status", status).put("error", message).encode());
    if (bodyUnread) closeAfterRefusal(ctx);
  }

  /** How long a refused request's sender has to read the answer before its connection is closed. */
  static final long REFUSAL_LINGER_MS = 1_000;

  /**
   * Refused before its body was read (wrong secret, too large, budget spent): the rest of the body is not
   * read at all (the sender is held back by TCP, costing us nothing), and the connection is closed shortly
   * after the answer, not at once, so the sender reads the answer instead of a reset.
   */
  private static void closeAfterRefusal(RoutingContext ctx) {
    var request = ctx.request();
    request.pause();
    var connection = request.connection();
    if (connection != null) ctx.vertx().setTimer(REFUSAL_LINGER_MS, t -> connection.close());
  }
}
