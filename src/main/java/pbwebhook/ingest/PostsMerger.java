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
 * stored value that does not parse is repaired, and if it stays broken it is kept as it is, marked
 * {@code Posts JSON Status = Failed}, and never overwritten.
 */
public final class PostsMerger {

  public enum Outcome { ADDED, NOTHING_NEW, EXISTING_BROKEN }

  /** {@code fields} is what to write to the lead; empty when nothing needs writing. */
  public record Merge(Outcome outcome, int added, JsonObject fields, String error) {}

  public static final String JSON_PARSED = "Parsed";
  public static final String JSON_FAILED = "Failed";

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
      if (!(r.data() instanceof JsonArray a)) {
        String why = r.success() ? "it is not a JSON array" : r.error();
        JsonObject fields = JSON_FAILED.equals(status) ? new JsonObject()
            : new JsonObject().put(Leads.POSTS_JSON_STATUS, JSON_FAILED);
        return new Merge(Outcome.EXISTING_BROKEN, 0, fields,
            "the stored Posts Content does not parse (" + why + "); kept as it is and no posts were added");
      }
      stored = a;
    }
    Set<String> known = new HashSet<>();
    for (Object o : stored) if (o instanceof JsonObject p) known.add(postKey(p.getValue("postUrl")));
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
    return new Merge(Outcome.ADDED, added, new JsonObject()
        .put(Leads.POSTS_CONTENT, stored.encodePrettily())
        .put(Leads.TIME_POSTS_ADDED, now.toString())
        .put(Leads.POSTS_JSON_STATUS, JSON_PARSED), null);
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
