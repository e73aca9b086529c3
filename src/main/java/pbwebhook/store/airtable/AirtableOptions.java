package pbwebhook.store.airtable;

/**
 * Settings of the Airtable store. The API key is never part of {@link #toString()}, so options can be logged.
 *
 * @param endpointUrl              scheme, host and optional port of the API, without a trailing slash
 * @param apiKey                   personal access token sent as a bearer token
 * @param requestsPerSecondPerBase requests allowed in any rolling second to one base (Airtable: 5)
 * @param tokenRequestsPerSecond   requests allowed in any rolling second across all bases (Airtable: 50)
 * @param penaltySeconds           how long a base is paused after a 429 (Airtable: 30)
 * @param timeoutMs                time allowed for one HTTP exchange
 * @param maxQueuePerBase          requests held ready per base; callers beyond it wait to be admitted
 * @param maxRetries               retries of a request that failed with 5xx, a timeout or a lost connection
 */
public record AirtableOptions(String endpointUrl, String apiKey, int requestsPerSecondPerBase,
                              int tokenRequestsPerSecond, int penaltySeconds, long timeoutMs, int maxQueuePerBase,
                              int maxRetries) {

  public static final String DEFAULT_ENDPOINT_URL = "https://api.airtable.com";
  public static final int DEFAULT_REQUESTS_PER_SECOND_PER_BASE = 5;
  public static final int DEFAULT_TOKEN_REQUESTS_PER_SECOND = 50;
  public static final int DEFAULT_PENALTY_SECONDS = 30;
  public static final long DEFAULT_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_MAX_QUEUE_PER_BASE = 1000;
  public static final int DEFAULT_MAX_RETRIES = 5;

  public AirtableOptions {
    endpointUrl = endpointUrl == null || endpointUrl.isBlank() ? DEFAULT_ENDPOINT_URL : stripSlash(endpointUrl.trim());
    if (apiKey == null || apiKey.isBlank()) throw new IllegalArgumentException("Airtable API key is required");
    if (requestsPerSecondPerBase <= 0) requestsPerSecondPerBase = DEFAULT_REQUESTS_PER_SECOND_PER_BASE;
    if (tokenRequestsPerSecond <= 0) tokenRequestsPerSecond = DEFAULT_TOKEN_REQUESTS_PER_SECOND;
    if (penaltySeconds < 0) penaltySeconds = DEFAULT_PENALTY_SECONDS;
    if (timeoutMs <= 0) timeoutMs = DEFAULT_TIMEOUT_MS;
    if (maxQueuePerBase <= 0) maxQueuePerBase = DEFAULT_MAX_QUEUE_PER_BASE;
    if (maxRetries < 0) maxRetries = DEFAULT_MAX_RETRIES;
  }

  /** Airtable's published limits against the real API. */
  public static AirtableOptions defaults(String apiKey) {
    return new AirtableOptions(DEFAULT_ENDPOINT_URL, apiKey, DEFAULT_REQUESTS_PER_SECOND_PER_BASE,
        DEFAULT_TOKEN_REQUESTS_PER_SECOND, DEFAULT_PENALTY_SECONDS, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_QUEUE_PER_BASE,
        DEFAULT_MAX_RETRIES);
  }

  public AirtableOptions withEndpointUrl(String url) {
    return new AirtableOptions(url, apiKey, requestsPerSecondPerBase, tokenRequestsPerSecond, penaltySeconds,
        timeoutMs, maxQueuePerBase, maxRetries);
  }

  public AirtableOptions withRequestsPerSecondPerBase(int rps) {
    return new AirtableOptions(endpointUrl, apiKey, rps, tokenRequestsPerSecond, penaltySeconds, timeoutMs,
        maxQueuePerBase, maxRetries);
  }

  public AirtableOptions withTokenRequestsPerSecond(int rps) {
    return new AirtableOptions(endpointUrl, apiKey, requestsPerSecondPerBase, rps, penaltySeconds, timeoutMs,
        maxQueuePerBase, maxRetries);
  }

  public AirtableOptions withPenaltySeconds(int seconds) {
    return new AirtableOptions(endpointUrl, apiKey, requestsPerSecondPerBase, tokenRequestsPerSecond, seconds,
        timeoutMs, maxQueuePerBase, maxRetries);
  }

  public AirtableOptions withTimeoutMs(long ms) {
    return new AirtableOptions(endpointUrl, apiKey, requestsPerSecondPerBase, tokenRequestsPerSecond, penaltySeconds,
        ms, maxQueuePerBase, maxRetries);
  }

  public AirtableOptions withMaxQueuePerBase(int max) {
    return new AirtableOptions(endpointUrl, apiKey, requestsPerSecondPerBase, tokenRequestsPerSecond, penaltySeconds,
        timeoutMs, max, maxRetries);
  }

  public AirtableOptions withMaxRetries(int retries) {
    return new AirtableOptions(endpointUrl, apiKey, requestsPerSecondPerBase, tokenRequestsPerSecond, penaltySeconds,
        timeoutMs, maxQueuePerBase, retries);
  }

  @Override
  public String toString() {
    return "AirtableOptions[endpointUrl=" + endpointUrl + ", apiKey=***, requestsPerSecondPerBase="
        + requestsPerSecondPerBase + ", tokenRequestsPerSecond=" + tokenRequestsPerSecond + ", penaltySeconds="
        + penaltySeconds + ", timeoutMs=" + timeoutMs + ", maxQueuePerBase=" + maxQueuePerBase + ", maxRetries="
        + maxRetries + "]";
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
