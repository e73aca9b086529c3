package pbwebhook.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

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
    AiSettings ai,
    Map<String, String> clientWebhookSecrets,
    boolean inboxFsync,
    int inboxRetentionH,
    int inboxAckTimeoutS,
    int lhMaxProfilesPerBody,
    int pbMaxPostsPerBody,
    int webhookRatePerS,
    int webhookRateBurst,
    int webhookBacklogMb,
    int inboxBacklogMb,
    int shutdownTimeoutS,
    ClusterSettings cluster,
    AlertSettings alerts,
    TenantSettings tenants,
    HttpSettings http) {

  public enum StoreKind { EMBEDDED, AIRTABLE }

  public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
  public static final String LOOPBACK_HOST = "127.0.0.1";
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
  public static final boolean DEFAULT_INBOX_FSYNC = true;
  /** Delivered inbox entries (and the idempotency window) are kept this long. */
  public static final int DEFAULT_INBOX_RETENTION_H = 72;
  public static final int DEFAULT_INBOX_ACK_TIMEOUT_S = 120;
  /** LinkedHelper sends one profile per body; a 1 MB body of full profiles holds about 200. */
  public static final int DEFAULT_LH_MAX_PROFILES_PER_BODY = 1_000;
  /** PhantomBuster result sets are a few thousand posts. */
  public static final int DEFAULT_PB_MAX_POSTS_PER_BODY = 20_000;
  /** Off: a fixed rate refuses real senders; the backlog bounds below are what protects the inbox. */
  public static final int DEFAULT_WEBHOOK_RATE_PER_S = 0;
  public static final int DEFAULT_WEBHOOK_RATE_BURST = 200;
  /** Undelivered webhook megabytes one client may have in the inbox before its webhooks are answered 429. */
  public static final int DEFAULT_WEBHOOK_BACKLOG_MB = 256;
  /** Undelivered megabytes of all clients before every webhook is answered 503; 0 = a quarter of the max heap. */
  public static final int DEFAULT_INBOX_BACKLOG_MB = 0;
  public static final int DEFAULT_SHUTDOWN_TIMEOUT_S = 20;
  /** Per-client webhook secrets are environment variables with this prefix and the upper-cased client id. */
  public static final String CLIENT_SECRET_PREFIX = "WEBHOOK_SECRET_";
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
    Map<String, String> clientSecrets = clientSecrets(c);
    String demo = text(c, "DEMO_MODE") == null ? "auto" : text(c, "DEMO_MODE").toLowerCase();
    boolean demoMode = switch (demo) {
      case "true", "on", "1" -> true;
      case "false", "off", "0" -> false;
      case "auto" -> store == StoreKind.EMBEDDED && adminToken == null && pbSecret == null && clientSecrets.isEmpty();
      default -> throw new IllegalArgumentException("DEMO_MODE must be auto, true or false, not: " + demo);
    };
    // CLIENTS_BASE_ID is what some deployments of the old server call it.
    String master = text(c, "MASTER_CLIENTS_BASE_ID");
    if (master == null) master = text(c, "CLIENTS_BASE_ID");
    if (master == null && store == StoreKind.EMBEDDED) master = EMBEDDED_MASTER_BASE_ID;
    return new AppConfig(
        // Demo mode has no secrets, so it answers only this machine, whatever HTTP_HOST says.
        demoMode ? LOOPBACK_HOST : textOr(c, "HTTP_HOST", DEFAULT_HTTP_HOST),
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
        ai,
        clientSecrets,
        boolOr(c, "INBOX_FSYNC", DEFAULT_INBOX_FSYNC),
        intOr(c, "INBOX_RETENTION_H", DEFAULT_INBOX_RETENTION_H),
        intOr(c, "INBOX_ACK_TIMEOUT_S", DEFAULT_INBOX_ACK_TIMEOUT_S),
        intOr(c, "LH_MAX_PROFILES_PER_BODY", DEFAULT_LH_MAX_PROFILES_PER_BODY),
        intOr(c, "PB_MAX_POSTS_PER_BODY", DEFAULT_PB_MAX_POSTS_PER_BODY),
        intOr(c, "WEBHOOK_RATE_PER_S", DEFAULT_WEBHOOK_RATE_PER_S),
        intOr(c, "WEBHOOK_RATE_BURST", DEFAULT_WEBHOOK_RATE_BURST),
        intOr(c, "WEBHOOK_BACKLOG_MB", DEFAULT_WEBHOOK_BACKLOG_MB),
        intOr(c, "INBOX_BACKLOG_MB", DEFAULT_INBOX_BACKLOG_MB),
        intOr(c, "SHUTDOWN_TIMEOUT_S", DEFAULT_SHUTDOWN_TIMEOUT_S),
        ClusterSettings.from(c),
        AlertSettings.from(c),
        TenantSettings.from(c),
        HttpSettings.from(c));
  }

  /** Single-tenant mode: only AIRTABLE_BASE_ID is set, so one client named {@code default} lives on it. */
  public boolean singleTenant() {
    return store == StoreKind.AIRTABLE && masterClientsBaseId == null && airtableBaseId != null;
  }

  /**
   * The webhook secret a client's webhooks must carry: its own {@code WEBHOOK_SECRET_<CLIENTID>} when set
   * (replacing the global one for that client, so tenants cannot post into each other), else
   * PB_WEBHOOK_SECRET. Null when neither is set.
   */
  public String webhookSecretFor(String clientId) {
    String own = clientId == null ? null : ownWebhookSecret(clientId);
    return own != null ? own : pbWebhookSecret;
  }

  /** The client's own {@code WEBHOOK_SECRET_<CLIENTID>}, or null when it has none. */
  public String ownWebhookSecret(String clientId) {
    return clientWebhookSecrets.get(clientSecretKey(clientId));
  }

  /** Every secret value set, for redaction of text that leaves the server (alerts). */
  public java.util.List<String> secretValues() {
    java.util.List<String> out = new java.util.ArrayList<>(clientWebhookSecrets.values());
    java.util.Collections.addAll(out, adminToken, pbWebhookSecret, airtableApiKey, ai.geminiApiKey(), ai.openaiApiKey(),
        alerts.mailgunApiKey(), alerts.webhookUrl());
    out.removeIf(java.util.Objects::isNull);
    return out;
  }

  /** {@code acme-co.uk} → {@code ACME_CO_UK}: the suffix of that client's secret variable. */
  public static String clientSecretKey(String clientId) {
    return clientId.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
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
        .put("webhookSecretSet", pbWebhookSecret != null)
        .put("clientWebhookSecretsSet", clientWebhookSecrets.size())
        .put("inboxFsync", inboxFsync);
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


  private static Map<String, String> clientSecrets(JsonObject c) {
    Map<String, String> out = new TreeMap<>();
    for (String key : c.fieldNames()) {
      if (key.startsWith(CLIENT_SECRET_PREFIX) && key.length() > CLIENT_SECRET_PREFIX.length() && text(c, key) != null) {
        out.put(key.substring(CLIENT_SECRET_PREFIX.length()), text(c, key));
      }
    }
    return Map.copyOf(out);
  }

  private static boolean boolOr(JsonObject c, String key, boolean def) {
    String v = text(c, key);
    if (v == null) return def;
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "on", "1", "yes" -> true;
      case "false", "off", "0", "no" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false, not: " + v);
    };
  }

  static boolean flag(JsonObject c, String key, boolean def) {
    return boolOr(c, key, def);
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
