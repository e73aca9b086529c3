package pbwebhook.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * Every setting, typed. Keys are the flat UPPER_SNAKE names of {@code conf/config.yaml} and of the
 * environment (the old server's variable names where it had one). Defaults here match the YAML file,
 * so the jar also runs where that file is absent.
 */
public record AppConfig(
    String httpHost,
    int port,
    Path dataDir,
    StoreKind store,
    String airtableApiKey,
    String airtableBaseId,
    String masterClientsBaseId,
    String airtableEndpointUrl,
    int airtableRps,
    int airtableTokenRps,
    int airtableRateLimitPenaltyS,
    int airtableTimeoutMs,
    String defaultClientId,
    String adminToken,
    String pbWebhookSecret,
    boolean demoMode,
    String aiProvider,
    int batchChunkSize,
    int defaultBatchLimit,
    int maxFailedAttempts,
    int clientCacheTtlS,
    int rubricCacheTtlS,
    int executionLogMaxChars,
    String attrTableName,
    ZoneId postsTimeZone,
    AiSettings ai) {

  public enum StoreKind { EMBEDDED, AIRTABLE }

  public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
  public static final int DEFAULT_PORT = 3000;
  public static final String DEFAULT_DATA_DIR = "./data";
  public static final String DEFAULT_AIRTABLE_ENDPOINT_URL = "https://api.airtable.com";
  public static final int DEFAULT_AIRTABLE_RPS = 5;
  public static final int DEFAULT_AIRTABLE_TOKEN_RPS = 50;
  public static final int DEFAULT_AIRTABLE_RATE_LIMIT_PENALTY_S = 30;
  public static final int DEFAULT_AIRTABLE_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_BATCH_CHUNK_SIZE = 55;
  public static final int DEFAULT_BATCH_LIMIT = 1000;
  public static final int DEFAULT_MAX_FAILED_ATTEMPTS = 3;
  public static final int DEFAULT_CLIENT_CACHE_TTL_S = 300;
  public static final int DEFAULT_RUBRIC_CACHE_TTL_S = 600;
  /** Airtable's long-text limit is 100,000 characters; stay safely under it. */
  public static final int DEFAULT_EXECUTION_LOG_MAX_CHARS = 95_000;
  public static final String DEFAULT_ATTR_TABLE_NAME = "Scoring Attributes";
  /** Zone the Top Scoring Post date is shown in (the old server printed UTC labelled "AEST"). */
  public static final String DEFAULT_POSTS_TIME_ZONE = "UTC";
  /** Master base id used by the embedded store when MASTER_CLIENTS_BASE_ID is not set. */
  public static final String EMBEDDED_MASTER_BASE_ID = "master";

  public static AppConfig from(JsonObject c) {
    AiSettings ai = AiSettings.from(c);
    String apiKey = text(c, "AIRTABLE_API_KEY");
    String adminToken = text(c, "ADMIN_TOKEN");
    String pbSecret = text(c, "PB_WEBHOOK_SECRET");
    StoreKind store = switch (text(c, "STORE") == null ? "auto" : text(c, "STORE").toLowerCase()) {
      case "embedded" -> StoreKind.EMBEDDED;
      case "airtable" -> StoreKind.AIRTABLE;
      case "auto" -> apiKey == null ? StoreKind.EMBEDDED : StoreKind.AIRTABLE;
      default -> throw new IllegalArgumentException("STORE must be embedded, airtable or auto, not: " + text(c, "STORE"));
    };
    if (store == StoreKind.AIRTABLE && apiKey == null) {
      throw new IllegalArgumentException("STORE=airtable needs AIRTABLE_API_KEY");
    }
    String demo = text(c, "DEMO_MODE") == null ? "auto" : text(c, "DEMO_MODE").toLowerCase();
    boolean demoMode = switch (demo) {
      case "true", "on", "1" -> true;
      case "false", "off", "0" -> false;
      case "auto" -> store == StoreKind.EMBEDDED && adminToken == null && pbSecret == null;
      default -> throw new IllegalArgumentException("DEMO_MODE must be auto, true or false, not: " + demo);
    };
    String master = text(c, "MASTER_CLIENTS_BASE_ID");
    if (master == null && store == StoreKind.EMBEDDED) master = EMBEDDED_MASTER_BASE_ID;
    return new AppConfig(
        textOr(c, "HTTP_HOST", DEFAULT_HTTP_HOST),
        intOr(c, "PORT", DEFAULT_PORT),
        Path.of(textOr(c, "DATA_DIR", DEFAULT_DATA_DIR)),
        store,
        apiKey,
        text(c, "AIRTABLE_BASE_ID"),
        master,
        textOr(c, "AIRTABLE_ENDPOINT_URL", DEFAULT_AIRTABLE_ENDPOINT_URL),
        intOr(c, "AIRTABLE_RPS", DEFAULT_AIRTABLE_RPS),
        intOr(c, "AIRTABLE_TOKEN_RPS", DEFAULT_AIRTABLE_TOKEN_RPS),
        intOr(c, "AIRTABLE_RATE_LIMIT_PENALTY_S", DEFAULT_AIRTABLE_RATE_LIMIT_PENALTY_S),
        intOr(c, "AIRTABLE_TIMEOUT_MS", DEFAULT_AIRTABLE_TIMEOUT_MS),
        text(c, "DEFAULT_CLIENT_ID"),
        adminToken,
        pbSecret,
        demoMode,
        ai.provider(),
        intOr(c, "BATCH_CHUNK_SIZE", DEFAULT_BATCH_CHUNK_SIZE),
        intOr(c, "DEFAULT_BATCH_LIMIT", DEFAULT_BATCH_LIMIT),
        intOr(c, "MAX_FAILED_ATTEMPTS", DEFAULT_MAX_FAILED_ATTEMPTS),
        intOr(c, "CLIENT_CACHE_TTL_S", DEFAULT_CLIENT_CACHE_TTL_S),
        intOr(c, "RUBRIC_CACHE_TTL_S", DEFAULT_RUBRIC_CACHE_TTL_S),
        intOr(c, "EXECUTION_LOG_MAX_CHARS", DEFAULT_EXECUTION_LOG_MAX_CHARS),
        textOr(c, "ATTR_TABLE_NAME", DEFAULT_ATTR_TABLE_NAME),
        zoneOr(c, "POSTS_TIME_ZONE", DEFAULT_POSTS_TIME_ZONE),
        ai);
  }

  /** Single-tenant mode: only AIRTABLE_BASE_ID is set, so one client named {@code default} lives on it. */
  public boolean singleTenant() {
    return store == StoreKind.AIRTABLE && masterClientsBaseId == null && airtableBaseId != null;
  }

  /** The settings as shown to operators: never a secret, only whether it is set. */
  public JsonObject describe() {
    return new JsonObject()
        .put("store", store.name().toLowerCase())
        .put("dataDir", store == StoreKind.EMBEDDED ? dataDir.toString() : null)
        .put("masterClientsBaseId", masterClientsBaseId)
        .put("aiProvider", aiProvider)
        .put("aiModel", ai.model())
        .put("demoMode", demoMode)
        .put("adminTokenSet", adminToken != null)
        .put("webhookSecretSet", pbWebhookSecret != null);
  }

  @Override
  public String toString() {
    return "AppConfig" + describe().encode();
  }

  static String text(JsonObject c, String key) {
    Object v = c.getValue(key);
    if (v == null) return null;
    String s = String.valueOf(v).trim();
    return s.isEmpty() ? null : s;
  }

  static String textOr(JsonObject c, String key, String def) {
    String v = text(c, key);
    return v == null ? def : v;
  }

  private static ZoneId zoneOr(JsonObject c, String key, String def) {
    String v = textOr(c, key, def);
    try {
      return ZoneId.of(v);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(key + " must be a time zone id such as UTC or Australia/Brisbane, not: " + v);
    }
  }

  static int intOr(JsonObject c, String key, int def) {
    String v = text(c, key);
    if (v == null) return def;
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, not: " + v);
    }
  }
}
