package pbwebhook.ingest;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import pbwebhook.Addresses;
import pbwebhook.inbox.InboxEntry;
import pbwebhook.inbox.WebhookKind;

/**
 * The PhantomBuster posts webhook as an inbox kind: the stored body's {@code resultObject} (string, array
 * or object) becomes {@code {items:[{profileUrl, posts}], receivedAt}} for {@code client.<id>.posts}.
 * Replaying it is harmless: posts already stored are not added twice.
 */
public final class PhantomBusterWebhook {

  public static final String KIND = "pb-posts";

  private PhantomBusterWebhook() {}

  /** Per delivered slice: at most this many profiles (one lead write each) and this many posts to merge. */
  static final int PROFILES_PER_SLICE = 50;
  static final int POSTS_PER_SLICE = 2_000;

  public static WebhookKind kind() {
    return new WebhookKind(KIND, Addresses::posts, PhantomBusterWebhook::message,
        WebhookKind.MessageSlicer.byArray("items", PROFILES_PER_SLICE, POSTS_PER_SLICE,
            item -> item instanceof JsonObject o && o.getJsonArray("posts") != null ? o.getJsonArray("posts").size() : 1));
  }

  /** The posts of a PhantomBuster body; the body was checked at accept time, so failing here means it is corrupt. */
  public static PbPostsParser.Parsed parse(Object body) throws InvalidPayloadException {
    if (!(body instanceof JsonObject o)) {
      throw new InvalidPayloadException("body must be a JSON object {\"resultObject\": …}");
    }
    if (o.getValue("resultObject") == null) {
      throw new InvalidPayloadException("resultObject is missing: the body must be PhantomBuster's {\"resultObject\": …}");
    }
    return PbPostsParser.parse(o.getValue("resultObject"));
  }

  static JsonObject message(InboxEntry entry) throws InvalidPayloadException {
    JsonArray items = new JsonArray();
    parse(Json.decodeValue(entry.body())).profiles().forEach(p -> items.add(p.toJson()));
    return new JsonObject().put("items", items).put("receivedAt", entry.receivedAt().toString());
  }
}
