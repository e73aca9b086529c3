package pbwebhook.ingest;

import io.vertx.core.json.JsonObject;

/** One job of a profile as the slim profile (the scoring input) stores it; null parts are omitted. */
record LhJob(String title, String company, String dateRange, String description) {

  boolean isEmpty() {
    return title == null && company == null && dateRange == null && description == null;
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject();
    putIfPresent(json, "title", title);
    putIfPresent(json, "company", company);
    putIfPresent(json, "dateRange", dateRange);
    putIfPresent(json, "description", description);
    return json;
  }

  /** Reads one item of a stored or new slim profile back, so comparisons ignore blank or extra keys. */
  static LhJob fromJson(JsonObject json) {
    return new LhJob(
        PayloadText.first(json, "title"),
        PayloadText.first(json, "company"),
        PayloadText.first(json, "dateRange"),
        PayloadText.first(json, "description"));
  }

  private static void putIfPresent(JsonObject json, String key, String value) {
    if (value != null) {
      json.put(key, value);
    }
  }
}
