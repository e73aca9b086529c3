package pbwebhook.ingest;

import io.vertx.core.json.JsonObject;

/**
 * One LinkedHelper profile mapped to {@code Leads} fields.
 *
 * @param profileUrl the stored URL form (as received, minus one trailing {@code /})
 * @param canonicalKey the matching key, see {@link LinkedInUrl#canonicalKey}
 * @param connected the payload shows a 1st-degree connection
 * @param pending the webhook said {@code Pending}
 * @param fields only the fields with a non-empty value in this payload, keyed by
 *     {@link pbwebhook.store.schema.Leads} constants; never Status, Source or Scoring Status
 */
public record MappedLead(
    String profileUrl, String canonicalKey, boolean connected, boolean pending, JsonObject fields) {}
