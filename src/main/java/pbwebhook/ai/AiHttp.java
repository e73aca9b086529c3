package pbwebhook.ai;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One JSON POST to an AI endpoint, with the answer sorted into a result or a typed failure: 429 and 503 are
 * rate limits, 500/502 server errors and 504 or no answer in time a timeout, all retryable with the delay the
 * server asked for; any other status is an API error. Secrets passed in are masked in every message.
 */
final class AiHttp {

  private static final int MAX_MESSAGE = 300;
  private static final Pattern DURATION = Pattern.compile("^([0-9]+(?:\\.[0-9]+)?)s$");

  private final WebClient client;
  private final String provider;
  private final long timeoutMs;
  private final List<String> secrets;

  AiHttp(WebClient client, String provider, long timeoutMs, List<String> secrets) {
    this.client = client;
    this.provider = provider;
    this.timeoutMs = timeoutMs;
    this.secrets = secrets.stream().filter(s -> s != null && !s.isBlank()).toList();
  }

  /** The response body of a 2xx answer, or the failure it stands for. */
  Future<JsonObject> post(String url, MultiMap headers, JsonObject body) {
    return client.postAbs(url).putHeaders(headers).timeout(timeoutMs).sendJsonObject(body)
        .recover(e -> Future.failedFuture(transportFailure(e)))
        .compose(this::result);
  }

  private Future<JsonObject> result(HttpResponse<io.vertx.core.buffer.Buffer> r) {
    int status = r.statusCode();
    JsonObject json = parse(r.bodyAsString());
    if (status >= 200 && status < 300) {
      if (json == null) return Future.failedFuture(new AiException(AiException.Kind.API_ERROR,
          provider + " answered HTTP " + status + " with a body that is not JSON"));
      return Future.succeededFuture(json);
    }
    String message = provider + " answered HTTP " + status + ": " + mask(errorMessage(json, r.bodyAsString()));
    long retryAfter = retryAfterMs(r.getHeader("Retry-After"), json);
    return Future.failedFuture(switch (status) {
      case 429, 503 -> new RetryableAiException(AiException.Kind.RATE_LIMITED, message, retryAfter);
      case 500, 502 -> new RetryableAiException(AiException.Kind.API_ERROR, message, retryAfter);
      case 504 -> new RetryableAiException(AiException.Kind.TIMEOUT, message, retryAfter);
      default -> new AiException(AiException.Kind.API_ERROR, message);
    });
  }

  private AiException transportFailure(Throwable e) {
    String what = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + mask(e.getMessage()));
    if (e instanceof java.util.concurrent.TimeoutException || e.getClass().getSimpleName().contains("Timeout")) {
      return new RetryableAiException(AiException.Kind.TIMEOUT, provider + " did not answer within " + timeoutMs + " ms", -1);
    }
    return new RetryableAiException(AiException.Kind.API_ERROR, provider + " unreachable: " + what, -1);
  }

  String mask(String s) {
    if (s == null) return "";
    String out = s;
    for (String secret : secrets) out = out.replace(secret, "***");
    return out;
  }

  private static JsonObject parse(String body) {
    if (body == null || body.isBlank()) return null;
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }

  private static String errorMessage(JsonObject json, String raw) {
    String msg = null;
    if (json != null) {
      Object err = json.getValue("error");
      if (err instanceof JsonObject o) msg = o.getString("message");
      else if (err instanceof String s) msg = s;
    }
    if (msg == null) msg = raw == null ? "" : raw;
    msg = msg.strip().replaceAll("\\s+", " ");
    return msg.length() <= MAX_MESSAGE ? msg : msg.substring(0, MAX_MESSAGE) + "…";
  }

  /** Retry-After (seconds or an HTTP date), else Gemini's {@code error.details[RetryInfo].retryDelay}; -1 if none. */
  static long retryAfterMs(String header, JsonObject body) {
    if (header != null && !header.isBlank()) {
      String h = header.trim();
      try {
        return Math.round(Double.parseDouble(h) * 1000);
      } catch (NumberFormatException e) {
        try {
          return Math.max(0, Duration.between(ZonedDateTime.now(),
              ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis());
        } catch (DateTimeParseException ignored) {
          // not a date either: look in the body
        }
      }
    }
    if (body != null && body.getValue("error") instanceof JsonObject err && err.getValue("details") instanceof JsonArray details) {
      for (Object d : details) {
        if (d instanceof JsonObject o && String.valueOf(o.getValue("@type")).endsWith("google.rpc.RetryInfo")) {
          Matcher m = DURATION.matcher(String.valueOf(o.getValue("retryDelay")).trim());
          if (m.matches()) return Math.round(Double.parseDouble(m.group(1)) * 1000);
        }
      }
    }
    return -1;
  }
}
