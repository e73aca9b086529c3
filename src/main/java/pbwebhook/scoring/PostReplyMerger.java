package pbwebhook.scoring;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Steps 7 and 8 of system.md §5: attaches each scored post's content and date, and picks the top post. Only
 * posts that were sent count (an invented URL is ignored), scores are clamped to 0–100, and the first of
 * equal maxima wins (strict {@code >}).
 */
public final class PostReplyMerger {
  private PostReplyMerger() {}

  public static List<JsonObject> merge(List<JsonObject> results, List<JsonObject> sentPosts) {
    Map<String, JsonObject> sent = new LinkedHashMap<>();
    for (JsonObject p : sentPosts) sent.putIfAbsent(key(p.getValue("postUrl")), p);
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject r : results) {
      JsonObject post = sent.get(key(r.getValue("post_url")));
      Number score = score(r.getValue("post_score"));
      if (post == null || score == null) continue;
      out.add(new JsonObject()
          .put("post_url", r.getValue("post_url"))
          .put("post_score", score)
          .put("scoring_rationale", r.getValue("scoring_rationale"))
          .put("post_content", post.getValue("postContent"))
          .put("postDate", post.getValue("postDate")));
    }
    return out;
  }

  /** The first post with the highest score; fails on an empty list (nothing was scored). */
  public static JsonObject top(List<JsonObject> evaluated) {
    if (evaluated.isEmpty()) throw new IllegalArgumentException("the AI returned no score for any post sent");
    JsonObject best = evaluated.get(0);
    for (JsonObject e : evaluated) {
      if (e.getDouble("post_score") > best.getDouble("post_score")) best = e;
    }
    return best;
  }

  static Number score(Object v) {
    double d;
    if (v instanceof Number n) {
      d = n.doubleValue();
    } else if (v instanceof String s) {
      try {
        d = Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    if (Double.isNaN(d)) return null;
    d = Math.max(0, Math.min(100, d));
    return d == Math.rint(d) ? (Number) (int) d : (Number) d;
  }

  private static String key(Object url) {
    if (url == null) return "";
    String s = String.valueOf(url).trim();
    while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    return s;
  }
}
