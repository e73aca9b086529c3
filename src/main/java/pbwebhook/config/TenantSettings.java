package pbwebhook.config;

import io.vertx.core.json.JsonObject;

/**
 * Tenant lifecycle settings: where new Airtable bases are created, and how long a rotated webhook secret
 * keeps working.
 */
public record TenantSettings(String airtableWorkspaceId, int webhookSecretGraceH) {

  /** A rotated webhook secret keeps working this long, so senders can be repointed without losing webhooks. */
  public static final int DEFAULT_SECRET_ROTATION_GRACE_H = 24;

  static TenantSettings from(JsonObject c) {
    return new TenantSettings(AppConfig.text(c, "AIRTABLE_WORKSPACE_ID"),
        Math.max(0, AppConfig.intOr(c, "SECRET_ROTATION_GRACE_H", DEFAULT_SECRET_ROTATION_GRACE_H)));
  }
}
