package pbwebhook.ingest;

import pbwebhook.json.JsonRepair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import pbwebhook.store.schema.Leads;

/**
 * Merges newly received posts into a lead's {@code Posts Content} (system.md §3.3 with the decisions): posts
 * already stored (same post URL, ignoring surrounding spaces and a trailing {@code /}) are not added twice; a
 * stored value that does not parse is repaired, and if it stays broken, or the repair cannot give every stored
 * post whole (a text cut off inside a post), it is kept byte for byte, marked {@code Posts JSON Status = Failed},
 * and never overwritten: the new posts are refused ({@link Outcome#EXISTING_BROKEN}) so the caller can keep them.
 */
public final class PostsMerger {

  public enum Outcome { ADDED, NOTHING_NEW, EXISTING_BROKEN }

  /** {@code fields} is what to write to the lead; empty when nothing needs writing. */
  public record Merge(Outcome outcome, int added, JsonObject fields, String error) {}

  public static final String JSON_PARSED = "Parsed";
  public static final String JSON_FAILED = "Failed";
  /** Airtable's long-text limit is 100,000 characters; stay under it with room to spare. */
  static final int MAX_CHARS = 95_000;

  private PostsMerger() {}

  public static Merge merge(JsonObject leadFields, List<JsonObject> newPosts, Instant now) {
    Object existing = leadFields.getValue(Leads.POSTS_CONTENT);
    String status = leadFields.getString(Leads.POSTS_JSON_STATUS);
    JsonArray stored;
    if (existing == null || (existing instanceof String s && s.isBlank())) {
      stored = new JsonArray();
    } else if (existing instanceof JsonArray a) {
      stored = a.copy();
    } else {
      JsonRepair.Result r = JsonRepair.repairAndParse(String.valueOf(existing));
      JsonObject failed = JSON_FAILED.equals(status) ? new JsonObject()
          : new JsonObject().put(Leads.POSTS_JSON_STATUS, JSON_FAILED);
      if (!(r.data() instanceof JsonArray a)) {
        String why = r.success() ? "it is not a JSON array" : r.error();
        return new Merge(Outcome.EXISTING_BROKEN, 0, failed,
            "the stored Posts Content does not parse (" + why + "); kept as it is and no posts were added");
      }
      if (!r.intact()) {
        Set<String> known = keys(a);
        boolean anyNew = newPosts.stream().map(p -> postKey(p.getValue("postUrl")))
            .anyMatch(k -> !k.isEmpty() && !known.contains(k));
        if (!anyNew) return new Merge(Outcome.NOTHING_NEW, 0, failed, null);
        return new Merge(Outcome.EXISTING_BROKEN, 0, failed, "the stored Posts Content is cut off (" + r.lost()
            + " post" + (r.lost() == 1 ? "" : "s") + " cannot be recovered whole); kept as it is and no posts were added");
      }
      stored = a;
    }
    Set<String> known = keys(stored);
    int added = 0;
    for (JsonObject post : newPosts) {
      String key = postKey(post.getValue("postUrl"));
      if (key.isEmpty() || !known.add(key)) continue;
      stored.add(post);
      added++;
    }
    if (added == 0) {
      JsonObject fields = JSON_PARSED.equals(status) ? new JsonObject()
          : new JsonObject().put(Leads.POSTS_JSON_STATUS, JSON_PARSED);
      return new Merge(Outcome.NOTHING_NEW, 0, fields, null);
    }
    String text = stored.encodePrettily();
    String note = null;
    if (text.length() > MAX_CHARS) {
      // Airtable refuses a long text over 100,000 characters, and the write would fail for every lead of its
      // batch: store compact JSON, and if that is still too long, keep the newest posts that fit.
      int dropped = 0;
      text = stored.encode();
      while (text.length() > MAX_CHARS && stored.size() > 1) {
        stored.remove(oldest(stored));
        dropped++;
        text = stored.encode();
      }
      if (dropped > 0) {
        note = "Posts Content kept under " + MAX_CHARS + " characters: the " + dropped + " oldest post"
            + (dropped == 1 ? " was" : "s were") + " dropped";
      }
    }
    return new Merge(Outcome.ADDED, added, new JsonObject()
        .put(Leads.POSTS_CONTENT, text)
        .put(Leads.TIME_POSTS_ADDED, now.toString())
        .put(Leads.POSTS_JSON_STATUS, JSON_PARSED), note);
  }

  private static Set<String> keys(JsonArray posts) {
    Set<String> known = new HashSet<>();
    for (Object o : posts) if (o instanceof JsonObject p) known.add(postKey(p.getValue("postUrl")));
    return known;
  }

  /** Index of the post with the earliest postDate (ISO text sorts in time order; a missing date counts oldest). */
  private static int oldest(JsonArray posts) {
    int at = 0;
    String earliest = null;
    for (int i = 0; i < posts.size(); i++) {
      String d = posts.getValue(i) instanceof JsonObject p ? p.getString("postDate", "") : "";
      if (earliest == null || d.compareTo(earliest) < 0) {
        earliest = d;
        at = i;
      }
    }
    return at;
  }

  /** The dedupe key of a post URL: trimmed, without trailing slashes. */
  static String postKey(Object url) {
    if (url == null) return "";
    String s = String.valueOf(url).trim();
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') end--;
    return s.substring(0, end);
  }
}
