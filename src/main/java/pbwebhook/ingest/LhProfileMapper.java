package pbwebhook.ingest;

import static pbwebhook.ingest.PayloadText.first;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import pbwebhook.store.schema.Leads;

/**
 * Maps one LinkedHelper profile payload to {@code Leads} fields (system.md §3.1–3.2). Only values
 * present in the payload are returned, so an upsert never blanks a stored field; what to write for
 * Status, Source, Scoring Status and the defaults is {@link LeadUpsertPlanner}'s decision.
 */
public final class LhProfileMapper {
  private LhProfileMapper() {}

  static final String MISSING_URL =
      "profile has no URL (expected one of profileUrl, linkedinProfileUrl, profile_url, publicId, memberId)";
  static final String SALES_NAV_PREFIX = "https://www.linkedin.com/sales/lead/";
  static final int SLIM_JOBS = 5;

  private static final String[] CONNECTION_SINCE_KEYS = {
    "connectionDate", "connected_at_iso", "connected_at", "invited_date_iso", "connectedAt"
  };

  public static MappedLead map(JsonObject raw, Instant now) {
    if (raw == null) {
      throw new InvalidPayloadException("profile is not a JSON object");
    }
    String profileUrl = LinkedInUrl.stripTrailingSlash(profileUrl(raw));
    boolean connected = isFirstDegree(raw);
    boolean pending = saidStatus(raw, Leads.CONNECTION_PENDING);

    JsonObject fields = new JsonObject();
    fields.put(Leads.LINKEDIN_PROFILE_URL, profileUrl);
    put(fields, Leads.FIRST_NAME, first(raw, "firstName", "first_name"));
    put(fields, Leads.LAST_NAME, first(raw, "lastName", "last_name"));
    put(fields, Leads.HEADLINE, first(raw, "headline", "occupation"));
    String jobTitle = jobTitle(raw);
    put(fields, Leads.JOB_TITLE, jobTitle);
    put(fields, Leads.COMPANY_NAME, companyName(raw));
    put(fields, Leads.ABOUT, first(raw, "summary", "bio"));
    put(fields, Leads.JOB_HISTORY, LhJobs.jobHistory(raw));
    put(fields, Leads.LOCATION, first(raw, "locationName", "location_name", "location"));
    put(fields, Leads.EMAIL, first(raw, "email", "workEmail"));
    put(fields, Leads.PHONE, phone(raw));
    put(fields, Leads.VIEW_IN_SALES_NAVIGATOR, salesNavigatorUrl(raw));
    put(fields, Leads.LINKEDIN_CONNECTION_STATUS, connectionStatus(raw, connected, pending));
    connectionSince(raw).ifPresent(date -> fields.put(Leads.DATE_CONNECTED, SafeDate.iso(date)));
    fields.put(Leads.REFRESHED_AT, SafeDate.iso(refreshedAt(raw, now)));
    JsonObject slim = slimProfile(raw, jobTitle);
    if (hasScoringInput(slim)) {
      fields.put(Leads.PROFILE_FULL_JSON, slim.encode());
    }
    fields.put(Leads.RAW_PROFILE_DATA, raw.encode());

    return new MappedLead(profileUrl, LinkedInUrl.canonicalKey(profileUrl), connected, pending, fields);
  }

  static String profileUrl(JsonObject raw) {
    String url = first(raw, "profileUrl", "linkedinProfileUrl", "profile_url");
    if (url != null) {
      return url;
    }
    String publicId = first(raw, "publicId");
    if (publicId != null) {
      return "https://www.linkedin.com/in/" + publicId + "/";
    }
    String memberId = first(raw, "memberId");
    if (memberId != null) {
      return "https://www.linkedin.com/profile/view?id=" + memberId;
    }
    throw new InvalidPayloadException(MISSING_URL);
  }

  /** Any one of the four forms LinkedHelper uses to say "1st degree". */
  static boolean isFirstDegree(JsonObject raw) {
    if ("1st".equalsIgnoreCase(orEmpty(first(raw, "connectionDegree")))) {
      return true;
    }
    if (orEmpty(first(raw, "distance")).endsWith("_1") || orEmpty(first(raw, "member_distance")).endsWith("_1")) {
      return true;
    }
    if ("1".equals(first(raw, "degree"))) {
      return true;
    }
    return saidStatus(raw, Leads.CONNECTION_CONNECTED);
  }

  private static boolean saidStatus(JsonObject raw, String status) {
    return status.equalsIgnoreCase(orEmpty(first(raw, "connectionStatus")))
        || status.equalsIgnoreCase(orEmpty(first(raw, "linkedinConnectionStatus")));
  }

  /** Connected, else Pending, else LinkedHelper's own status; the Candidate default is the planner's. */
  private static String connectionStatus(JsonObject raw, boolean connected, boolean pending) {
    if (connected) {
      return Leads.CONNECTION_CONNECTED;
    }
    if (pending) {
      return Leads.CONNECTION_PENDING;
    }
    return first(raw, "connectionStatus");
  }

  private static String jobTitle(JsonObject raw) {
    String title = first(raw, "headline", "occupation", "position");
    return title != null ? title : first(PayloadText.objectAt(raw, "experience", 0), "title");
  }

  private static String companyName(JsonObject raw) {
    String name = first(raw, "companyName");
    if (name == null) {
      name = first(PayloadText.object(raw, "company"), "name");
    }
    if (name == null) {
      name = first(PayloadText.objectAt(raw, "experience", 0), "company");
    }
    return name != null ? name : first(raw, "organization_1");
  }

  private static String phone(JsonObject raw) {
    String phone = first(raw, "phone");
    return phone != null ? phone : first(PayloadText.objectAt(raw, "phoneNumbers", 0), "value");
  }

  private static String salesNavigatorUrl(JsonObject raw) {
    String hash = first(raw, "sn_hash_id");
    if (hash == null) {
      return null;
    }
    int comma = hash.indexOf(',');
    String id = (comma >= 0 ? hash.substring(0, comma) : hash).trim();
    return id.isEmpty() ? null : SALES_NAV_PREFIX + id;
  }

  /** The first connection-date key that holds a readable date; unreadable ones are skipped. */
  private static Optional<Instant> connectionSince(JsonObject raw) {
    for (String key : CONNECTION_SINCE_KEYS) {
      Optional<Instant> date = SafeDate.parse(first(raw, key));
      if (date.isPresent()) {
        return date;
      }
    }
    return Optional.empty();
  }

  private static Instant refreshedAt(JsonObject raw, Instant now) {
    return SafeDate.parse(first(raw, "lastRefreshed"))
        .or(() -> SafeDate.parse(first(raw, "profileLastRefreshedDate")))
        .orElse(now);
  }

  /**
   * The scoring input stored as Profile Full JSON: headline, about and up to five jobs, and {@code _originalId}
   * from {@code id} or {@code public_id} only, else empty (system.md §3.2; LinkedHelper's {@code publicId} is not one).
   */
  static JsonObject slimProfile(JsonObject raw, String jobTitle) {
    List<LhJob> jobs = LhJobs.fromPayload(raw);
    JsonArray experience = new JsonArray();
    jobs.stream().limit(SLIM_JOBS).forEach(job -> experience.add(job.toJson()));
    String headline = first(raw, "headline");
    return new JsonObject()
        .put("headline", orEmpty(headline != null ? headline : jobTitle))
        .put("about", orEmpty(first(raw, "about", "summary", "bio", "linkedinDescription")))
        .put("experience", experience)
        .put("_experienceCount", jobs.size())
        .put("_originalId", orEmpty(first(raw, "id", "public_id")));
  }

  /** A payload without headline, about or jobs must not overwrite a stored profile with an empty one. */
  private static boolean hasScoringInput(JsonObject slim) {
    return !slim.getString("headline").isEmpty()
        || !slim.getString("about").isEmpty()
        || !slim.getJsonArray("experience").isEmpty();
  }

  private static void put(JsonObject fields, String field, String value) {
    if (value != null) {
      fields.put(field, value);
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }
}
