package pbwebhook.ingest;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import pbwebhook.store.Record;
import pbwebhook.store.schema.Leads;

/**
 * Decides which fields an LH upsert writes (system.md §3.2 as amended by behaviour-decisions.md
 * "Ingest"): a new lead gets its defaults; an existing lead gets only what changed, is never
 * blanked, never has Status or Source reset, and goes back to To Be Scored only when its scoring
 * input changed, so a revisit costs no paid rescore (§8 items 17, 18).
 */
public final class LeadUpsertPlanner {
  private LeadUpsertPlanner() {}

  /** Fields only the planner decides; a mapped lead never carries them, and updates never copy them. */
  private static final Set<String> PLANNER_FIELDS = Set.of(Leads.STATUS, Leads.SOURCE, Leads.SCORING_STATUS);
  private static final Set<String> DATE_FIELDS = Set.of(Leads.DATE_CONNECTED, Leads.REFRESHED_AT);
  private static final Set<String> JSON_FIELDS = Set.of(Leads.PROFILE_FULL_JSON, Leads.RAW_PROFILE_DATA);

  /** The fields to write for {@code lead}; empty when an existing lead needs no write at all. */
  public static JsonObject plan(MappedLead lead, Record existingOrNull, Instant now) {
    return existingOrNull == null ? planCreate(lead, now) : planUpdate(lead, existingOrNull.fields(), now);
  }

  private static JsonObject planCreate(MappedLead lead, Instant now) {
    JsonObject out = new JsonObject();
    copyNonBlank(lead.fields(), out);
    out.put(Leads.STATUS, Leads.STATUS_IN_PROCESS);
    out.put(Leads.SOURCE, lead.connected() ? Leads.SOURCE_EXISTING_CONNECTION : Leads.SOURCE_SALESNAV);
    out.put(Leads.SCORING_STATUS, Leads.TO_BE_SCORED);
    if (!out.containsKey(Leads.LINKEDIN_CONNECTION_STATUS)) {
      out.put(Leads.LINKEDIN_CONNECTION_STATUS, Leads.CONNECTION_CANDIDATE);
    }
    if (lead.connected() && !out.containsKey(Leads.DATE_CONNECTED)) {
      out.put(Leads.DATE_CONNECTED, SafeDate.iso(now));
    }
    return out;
  }

  private static JsonObject planUpdate(MappedLead lead, JsonObject stored, Instant now) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, Object> entry : lead.fields()) {
      String field = entry.getKey();
      String value = PayloadText.text(entry.getValue());
      if (value == null || PLANNER_FIELDS.contains(field) || sameValue(field, stored.getValue(field), value)) {
        continue;
      }
      if (field.equals(Leads.LINKEDIN_CONNECTION_STATUS)
          && Leads.CONNECTION_CONNECTED.equals(text(stored, field))
          && !Leads.CONNECTION_CONNECTED.equals(value)) {
        continue; // a connection is never downgraded by a later scrape
      }
      out.put(field, value);
    }
    if (lead.connected()
        && !lead.fields().containsKey(Leads.DATE_CONNECTED)
        && text(stored, Leads.DATE_CONNECTED) == null) {
      out.put(Leads.DATE_CONNECTED, SafeDate.iso(now));
    }
    if (!lead.connected() && needsRescore(lead, stored)) {
      out.put(Leads.SCORING_STATUS, Leads.TO_BE_SCORED);
    }
    return out;
  }

  /**
   * Blank status, or changed scoring input. A stored {@code To Be Scored} is not a reason to skip: the
   * ingestor plans against a cached snapshot whose status may be older than the lead's, and rewriting
   * the same status costs nothing.
   */
  private static boolean needsRescore(MappedLead lead, JsonObject stored) {
    String storedStatus = text(stored, Leads.SCORING_STATUS);
    String newProfile = lead.fields().getString(Leads.PROFILE_FULL_JSON);
    return storedStatus == null
        || (newProfile != null && scoringInputChanged(text(stored, Leads.PROFILE_FULL_JSON), newProfile));
  }

  /**
   * Whether headline, about or jobs differ between a stored and a new Profile Full JSON. A missing
   * or unparseable stored profile counts as changed; a missing or unparseable new one as unchanged,
   * since there is nothing new to score.
   */
  public static boolean scoringInputChanged(String storedProfileJson, String newProfileJson) {
    Optional<ScoringInput> fresh = ScoringInput.parse(newProfileJson);
    if (fresh.isEmpty()) {
      return false;
    }
    return ScoringInput.parse(storedProfileJson).map(old -> !old.equals(fresh.get())).orElse(true);
  }

  /** The parts of a slim profile the AI scores, normalised so blank or extra keys do not count. */
  private record ScoringInput(String headline, String about, List<LhJob> jobs) {

    static Optional<ScoringInput> parse(String json) {
      JsonObject profile = parseObject(json);
      if (profile == null) {
        return Optional.empty();
      }
      List<LhJob> jobs = new ArrayList<>();
      if (profile.getValue("experience") instanceof JsonArray experience) {
        for (Object item : experience) {
          if (item instanceof JsonObject o && !LhJob.fromJson(o).isEmpty()) {
            jobs.add(LhJob.fromJson(o));
          }
        }
      }
      return Optional.of(new ScoringInput(
          Objects.toString(PayloadText.first(profile, "headline"), ""),
          Objects.toString(PayloadText.first(profile, "about"), ""),
          jobs));
    }
  }

  /** Equal text, or for dates the same instant, or for JSON fields the same document. */
  private static boolean sameValue(String field, Object storedValue, String value) {
    String stored = PayloadText.text(storedValue);
    if (stored == null) {
      return false;
    }
    if (stored.equals(value)) {
      return true;
    }
    if (DATE_FIELDS.contains(field)) {
      Optional<Instant> storedDate = SafeDate.parse(stored);
      return storedDate.isPresent() && storedDate.equals(SafeDate.parse(value));
    }
    if (JSON_FIELDS.contains(field)) {
      JsonObject storedJson = parseObject(stored);
      return storedJson != null && storedJson.equals(parseObject(value));
    }
    return false;
  }

  private static void copyNonBlank(JsonObject from, JsonObject to) {
    for (Map.Entry<String, Object> entry : from) {
      String value = PayloadText.text(entry.getValue());
      if (value != null && !PLANNER_FIELDS.contains(entry.getKey())) {
        to.put(entry.getKey(), value);
      }
    }
  }

  private static String text(JsonObject fields, String field) {
    return PayloadText.text(fields.getValue(field));
  }

  private static JsonObject parseObject(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return new JsonObject(json);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
  }
}
