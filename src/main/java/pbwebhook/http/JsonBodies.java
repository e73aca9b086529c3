package pbwebhook.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Parses request bodies as JSON with a nesting limit, with errors that say what is wrong. */
public final class JsonBodies {

  public static final int MAX_DEPTH = 64;

  private JsonBodies() {}

  /** The body as a list of objects: one object, or an array of objects. */
  public static List<JsonObject> objects(Buffer body, String what) {
    return objects(parse(body), what);
  }

  /** An already parsed body as a list of objects: one object, or an array of objects. */
  public static List<JsonObject> objects(Object parsed, String what) {
    List<JsonObject> out = new ArrayList<>();
    if (parsed instanceof JsonObject o) {
      out.add(o);
    } else if (parsed instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        if (!(a.getValue(i) instanceof JsonObject o)) {
          throw ApiError.badRequest(what + "[" + i + "] is not a JSON object");
        }
        out.add(o);
      }
    } else {
      throw ApiError.badRequest("body must be a JSON object or an array of objects, not " + kind(parsed));
    }
    return out;
  }

  /** The request's body as one JSON object; 400 naming the problem otherwise. */
  public static JsonObject object(io.vertx.ext.web.RoutingContext ctx) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
      throw ApiError.badRequest("a JSON object body is required");
    }
    Object parsed = parse(ctx.body().buffer());
    if (!(parsed instanceof JsonObject o)) throw ApiError.badRequest("the body must be a JSON object");
    return o;
  }

  public static Object parse(Buffer body) {
    if (body == null || body.length() == 0) return null;
    checkDepth(body);
    try {
      return Json.decodeValue(body);
    } catch (DecodeException e) {
      String reason = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
      throw ApiError.badRequest("body is not valid JSON: " + truncate(reason, 200));
    }
  }

  /** Counts bracket depth outside strings before any parsing, so deep bodies cost nothing to refuse. */
  private static void checkDepth(Buffer body) {
    int depth = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0; i < body.length(); i++) {
      byte b = body.getByte(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (b == '\\') escaped = true;
        else if (b == '"') inString = false;
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > MAX_DEPTH) throw ApiError.badRequest("JSON nested deeper than " + MAX_DEPTH + " levels");
      } else if (b == '}' || b == ']') {
        depth--;
      }
    }
  }

  private static String kind(Object v) {
    if (v == null) return "null (or an empty body)";
    if (v instanceof String) return "a string";
    if (v instanceof Number) return "a number";
    if (v instanceof Boolean) return "a boolean";
    return v.getClass().getSimpleName();
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + "…";
  }
}
