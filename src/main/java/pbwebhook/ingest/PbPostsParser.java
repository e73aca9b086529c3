package pbwebhook.ingest;

import pbwebhook.json.JsonRepair;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads PhantomBuster's {@code resultObject} (system.md §1 and §3.3): a JSON string (repaired as in §3.4), an
 * array or a single object. Drops the header row, keeps items with both a profile and a post URL, maps each
 * to the stored post shape of §9.2 and groups them by the profile's canonical URL.
 */
public final class PbPostsParser {

  /** The posts of one profile, in the order received; {@code profileUrl} is the first spelling seen. */
  public record ProfilePosts(String profileUrl, String canonicalKey, List<JsonObject> posts) {
    public ProfilePosts {
      posts = List.copyOf(posts);
    }

    public JsonObject toJson() {
      return new JsonObject().put("profileUrl", profileUrl).put("posts", new JsonArray(new ArrayList<>(posts)));
    }

    public static ProfilePosts fromJson(JsonObject j) {
      String url = j.getString("profileUrl", "");
      List<JsonObject> posts = new ArrayList<>();
      for (Object o : j.getJsonArray("posts", new JsonArray())) if (o instanceof JsonObject p) posts.add(p);
      return new ProfilePosts(url, LinkedInUrl.canonicalKey(url), posts);
    }
  }

  /** {@code items}: rows received (header row excluded); {@code ignored}: rows without a profile or post URL. */
  public record Parsed(List<ProfilePosts> profiles, int items, int ignored, JsonRepair.Method repair) {
    public Parsed {
      profiles = List.copyOf(profiles);
    }

    public int posts() {
      return profiles.stream().mapToInt(p -> p.posts().size()).sum();
    }
  }

  static final String HEADER_PROFILE_URL = "Profile URL";
  private static final List<String> META_FIELDS = List.of("timestamp", "type", "imgUrl", "author", "authorUrl",
      "likeCount", "commentCount", "repostCount", "action");

  private PbPostsParser() {}

  /** Fails with {@link InvalidPayloadException} when {@code resultObject} is missing or cannot be read. */
  public static Parsed parse(Object resultObject) {
    JsonRepair.Method method = null;
    List<Object> rows;
    if (resultObject == null) {
      throw new InvalidPayloadException("resultObject is missing");
    } else if (resultObject instanceof String text) {
      JsonRepair.Result r = JsonRepair.repairAndParse(text);
      if (!r.success()) throw new InvalidPayloadException("resultObject is not valid JSON: " + r.error());
      method = r.method();
      rows = rows(r.data());
    } else {
      rows = rows(resultObject);
    }
    Map<String, String> urls = new LinkedHashMap<>();
    Map<String, List<JsonObject>> posts = new LinkedHashMap<>();
    int items = 0;
    int ignored = 0;
    for (Object row : rows) {
      if (row instanceof JsonObject item && isHeaderRow(item)) continue;
      items++;
      if (!(row instanceof JsonObject item)) {
        ignored++;
        continue;
      }
      String profileUrl = text(item.getValue("profileUrl"));
      String postUrl = text(item.getValue("postUrl"));
      String key = LinkedInUrl.canonicalKey(profileUrl);
      if (key.isEmpty() || postUrl.isEmpty()) {
        ignored++;
        continue;
      }
      urls.putIfAbsent(key, profileUrl.trim());
      posts.computeIfAbsent(key, k -> new ArrayList<>()).add(toStoredPost(item));
    }
    List<ProfilePosts> profiles = new ArrayList<>();
    posts.forEach((key, list) -> profiles.add(new ProfilePosts(urls.get(key), key, list)));
    return new Parsed(profiles, items, ignored, method);
  }

  private static List<Object> rows(Object value) {
    if (value instanceof JsonArray a) return wrap(a);
    if (value instanceof JsonObject o) return List.of(o);
    throw new InvalidPayloadException("resultObject must be a JSON array or object, or a string holding one");
  }

  /** JsonArray.getValue wraps nested maps and lists as JsonObject/JsonArray; getList would not. */
  private static List<Object> wrap(JsonArray a) {
    List<Object> out = new ArrayList<>(a.size());
    for (int k = 0; k < a.size(); k++) out.add(a.getValue(k));
    return out;
  }

  /** PhantomBuster's first row repeats the column names: {@code {profileUrl:"Profile URL", error:"Invalid input"}}. */
  static boolean isHeaderRow(JsonObject item) {
    return HEADER_PROFILE_URL.equalsIgnoreCase(text(item.getValue("profileUrl")).trim());
  }

  /** §3.3 step 2: {@code {postUrl, postContent, postDate, pbMeta:{…}}}; absent meta fields are left out. */
  static JsonObject toStoredPost(JsonObject item) {
    JsonObject meta = new JsonObject();
    for (String f : META_FIELDS) if (item.getValue(f) != null) meta.put(f, item.getValue(f));
    String date = text(item.getValue("postTimestamp"));
    if (date.isEmpty()) date = text(item.getValue("postDate"));
    return new JsonObject()
        .put("postUrl", text(item.getValue("postUrl")).trim())
        .put("postContent", text(item.getValue("postContent")))
        .put("postDate", date)
        .put("pbMeta", meta);
  }

  private static String text(Object v) {
    return v == null ? "" : String.valueOf(v);
  }
}
