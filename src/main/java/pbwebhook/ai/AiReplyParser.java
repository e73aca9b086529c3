package pbwebhook.ai;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the objects out of a model's text reply: a bare array, an object wrapping the array under
 * {@code results}, {@code leads}, {@code post_analysis} or {@code posts}, or a single object; fenced, with
 * trailing commas or cut off (see {@link ModelReplyJson}).
 */
public final class AiReplyParser {

  static final List<String> WRAPPER_KEYS = List.of("results", "leads", "post_analysis", "posts");
  private static final int MAX_EXCERPT = 200;

  private AiReplyParser() {}

  /**
   * @throws AiException EMPTY_RESPONSE for blank text, PARSE_ERROR when it is not JSON even after repair
   */
  public static List<JsonObject> objects(String text) {
    if (text == null || text.isBlank()) throw new AiException(AiException.Kind.EMPTY_RESPONSE, "the AI answered no text");
    Object parsed;
    try {
      parsed = ModelReplyJson.parse(text);
    } catch (DecodeException e) {
      throw new AiException(AiException.Kind.PARSE_ERROR, "the AI reply is not JSON: " + excerpt(text), e);
    }
    if (parsed instanceof JsonObject o) {
      for (String key : WRAPPER_KEYS) {
        if (o.getValue(key) instanceof JsonArray a) return objectsIn(a);
      }
      return List.of(o);
    }
    if (parsed instanceof JsonArray a) return objectsIn(a);
    throw new AiException(AiException.Kind.PARSE_ERROR, "the AI reply is neither an object nor an array: " + excerpt(text));
  }

  private static List<JsonObject> objectsIn(JsonArray a) {
    List<JsonObject> out = new ArrayList<>();
    for (Object item : a) {
      if (item instanceof JsonObject o) out.add(o);
    }
    return out;
  }

  private static String excerpt(String text) {
    String t = text.strip().replaceAll("\\s+", " ");
    return t.length() <= MAX_EXCERPT ? t : t.substring(0, MAX_EXCERPT) + "…";
  }
}
