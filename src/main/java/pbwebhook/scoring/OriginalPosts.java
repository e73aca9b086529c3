package pbwebhook.scoring;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pbwebhook.ingest.LinkedInUrl;

/**
 * Step 2 of system.md §5: the lead's own posts only. A post counts when its action is not a repost and its
 * author URL ({@code pbMeta.authorUrl}, else {@code authorUrl}) is the lead's, compared by canonical URL.
 */
public final class OriginalPosts {
  private OriginalPosts() {}

  public static List<JsonObject> of(JsonArray posts, String leadProfileUrl) {
    String leadKey = LinkedInUrl.canonicalKey(leadProfileUrl);
    List<JsonObject> out = new ArrayList<>();
    if (leadKey.isEmpty()) return out;
    for (Object o : posts) {
      if (o instanceof JsonObject post && isOriginal(post, leadKey)) out.add(post);
    }
    return out;
  }

  static boolean isOriginal(JsonObject post, String leadKey) {
    JsonObject meta = post.getValue("pbMeta") instanceof JsonObject m ? m : new JsonObject();
    String action = text(meta.getValue("action"));
    if (action.isEmpty()) action = text(post.getValue("action"));
    if (action.toLowerCase(Locale.ROOT).contains("repost")) return false;
    String author = text(meta.getValue("authorUrl"));
    if (author.isEmpty()) author = text(post.getValue("authorUrl"));
    String authorKey = LinkedInUrl.canonicalKey(author);
    return !authorKey.isEmpty() && authorKey.equals(leadKey);
  }

  private static String text(Object v) {
    return v == null ? "" : String.valueOf(v);
  }
}
