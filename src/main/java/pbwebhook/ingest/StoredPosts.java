package pbwebhook.ingest;

import io.vertx.core.json.JsonArray;
import pbwebhook.json.JsonRepair;

/**
 * What a lead's stored {@code Posts Content} holds, read through the §3.4 repair steps ({@link JsonRepair}): nothing,
 * a valid array, an array the repair recovers whole, an array cut off (some posts cannot be recovered whole), or
 * something that is not an array at all. {@code posts} is the array read (partial when cut off, null when broken);
 * {@code problem} says what is wrong when it is cut off or broken.
 */
public record StoredPosts(State state, JsonArray posts, int lost, String problem) {

  public enum State { EMPTY, VALID, REPAIRABLE, CUT_OFF, BROKEN }

  public static StoredPosts read(Object value) {
    if (value == null || (value instanceof String s && s.isBlank())) return new StoredPosts(State.EMPTY, new JsonArray(), 0, null);
    if (value instanceof JsonArray a) return new StoredPosts(State.VALID, a.copy(), 0, null);
    JsonRepair.Result r = JsonRepair.repairAndParse(String.valueOf(value));
    if (!(r.data() instanceof JsonArray a)) {
      return new StoredPosts(State.BROKEN, null, 0, r.success() ? "it is not a JSON array" : r.error());
    }
    if (!r.intact()) {
      return new StoredPosts(State.CUT_OFF, a, r.lost(), "cut off (" + r.lost() + " post"
          + (r.lost() == 1 ? "" : "s") + " cannot be recovered whole)");
    }
    return new StoredPosts(r.method() == JsonRepair.Method.CLEAN ? State.VALID : State.REPAIRABLE, a, 0, null);
  }
}
