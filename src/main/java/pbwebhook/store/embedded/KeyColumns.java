package pbwebhook.store.embedded;

import io.vertx.core.json.JsonObject;
import java.util.List;
import pbwebhook.ingest.LinkedInUrl;
import pbwebhook.store.FilterEvaluator;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.Leads;

/**
 * The fields the server looks records up by, kept as plain indexed columns next to the fields document
 * and recomputed from it on every write. A column holds exactly what a filter compares, so a filter on
 * one of these fields is a plain indexed comparison with the same answer as {@link FilterEvaluator}.
 */
final class KeyColumns {

  enum Kind {
    /** The field's formula text ({@link FilterEvaluator#text}); never null, {@code ""} when missing. */
    TEXT,
    /** 1 when the field is blank ({@link FilterEvaluator#isBlank}), else 0. */
    BLANK,
    /** The canonical LinkedIn key of a non-blank URL field, {@code ""} when blank. */
    URL_KEY
  }

  record KeyColumn(String column, String field, Kind kind) {
    Object valueOf(JsonObject fields) {
      Object v = fields.getValue(field);
      return switch (kind) {
        case TEXT -> FilterEvaluator.text(v);
        case BLANK -> FilterEvaluator.isBlank(v) ? 1 : 0;
        case URL_KEY -> FilterEvaluator.isBlank(v) ? "" : LinkedInUrl.canonicalKey(FilterEvaluator.text(v));
      };
    }

    String ddlType() {
      return kind == Kind.BLANK ? "INTEGER NOT NULL DEFAULT 1" : "TEXT NOT NULL DEFAULT ''";
    }
  }

  static final List<KeyColumn> ALL = List.of(
      new KeyColumn("k_url", Leads.LINKEDIN_PROFILE_URL, Kind.TEXT),
      new KeyColumn("k_url_key", Leads.LINKEDIN_PROFILE_URL, Kind.URL_KEY),
      new KeyColumn("k_status", Leads.SCORING_STATUS, Kind.TEXT),
      new KeyColumn("k_posts_blank", Leads.POSTS_CONTENT, Kind.BLANK),
      new KeyColumn("k_posts_scored_blank", Leads.DATE_POSTS_SCORED, Kind.BLANK),
      // Clients and the Execution Log are both looked up by this field name
      new KeyColumn("k_client_id", Clients.CLIENT_ID, Kind.TEXT));

  /** Indexes on the key columns, each ending in seq so a filtered list pages in creation order off the index. */
  static final List<String> INDEXES = List.of(
      "CREATE INDEX IF NOT EXISTS records_url ON records (tbl, k_url, seq)",
      "CREATE INDEX IF NOT EXISTS records_url_key ON records (tbl, k_url_key, seq)",
      "CREATE INDEX IF NOT EXISTS records_status ON records (tbl, k_status, seq)",
      "CREATE INDEX IF NOT EXISTS records_posts ON records (tbl, k_posts_scored_blank, k_posts_blank, seq)",
      "CREATE INDEX IF NOT EXISTS records_client ON records (tbl, k_client_id, seq)");

  private KeyColumns() {}

  /** The column kept for this field and kind, or null when there is none. */
  static KeyColumn find(String field, Kind kind) {
    for (KeyColumn c : ALL) if (c.field().equals(field) && c.kind() == kind) return c;
    return null;
  }
}
