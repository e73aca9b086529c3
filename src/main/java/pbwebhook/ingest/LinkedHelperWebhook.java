package pbwebhook.ingest;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import pbwebhook.Addresses;
import pbwebhook.inbox.InboxEntry;
import pbwebhook.inbox.WebhookKind;

/**
 * The LinkedHelper webhook as an inbox kind: the stored body (one profile or an array) becomes
 * {@code {profiles, receivedAt}} for {@code client.<id>.ingest}. Profiles that cannot be mapped were
 * already reported to the sender as failed when the webhook was accepted, so they are left out here.
 */
public final class LinkedHelperWebhook {

  public static final String KIND = "lh-profiles";

  private LinkedHelperWebhook() {}

  /** Profiles per delivered slice: ten upserts of ten, a couple of seconds at Airtable's 5 requests/s. */
  static final int PROFILES_PER_SLICE = 100;

  public static WebhookKind kind() {
    return new WebhookKind(KIND, Addresses::ingest, LinkedHelperWebhook::message,
        WebhookKind.MessageSlicer.byArray("profiles", PROFILES_PER_SLICE, Integer.MAX_VALUE, p -> 1));
  }

  static JsonObject message(InboxEntry entry) throws InvalidPayloadException {
    List<JsonObject> usable = new ArrayList<>();
    for (JsonObject p : profiles(Json.decodeValue(entry.body()))) {
      try {
        LhProfileMapper.map(p, entry.receivedAt());
        usable.add(p);
      } catch (InvalidPayloadException e) {
        // reported to the sender at accept time
      }
    }
    if (usable.isEmpty()) throw new InvalidPayloadException("no profile in the body has a usable LinkedIn URL");
    return new JsonObject().put("profiles", new JsonArray(new ArrayList<>(usable)))
        .put("receivedAt", entry.receivedAt().toString());
  }

  private static List<JsonObject> profiles(Object parsed) {
    List<JsonObject> out = new ArrayList<>();
    if (parsed instanceof JsonObject o) out.add(o);
    if (parsed instanceof JsonArray a) a.forEach(v -> { if (v instanceof JsonObject o) out.add(o); });
    return out;
  }
}
