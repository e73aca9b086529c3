package pbwebhook.http;

import pbwebhook.config.AppConfig;
import pbwebhook.inbox.Inbox;

/**
 * The default accept limit: a webhook is refused only while the inbox is really behind, never for how fast a
 * sender posts. A client whose undelivered webhooks hold more than WEBHOOK_BACKLOG_MB gets 429, and every
 * client gets 503 while all undelivered webhooks together hold more than INBOX_BACKLOG_MB (by default a quarter
 * of the heap: pending bodies stay in memory until stored), both with Retry-After. A sender the workers keep up
 * with is never refused, however fast it posts; a flood, or a long outage of one client's base, stops at the
 * bound instead of filling the heap and the disk, and one client's backlog never refuses another's webhooks
 * below the overall bound.
 */
public final class InboxBacklogLimit {

  public static final long RETRY_AFTER_S = 10;
  private static final long MB = 1024L * 1024;

  private final Inbox inbox;
  private final long clientBytes;
  private final long totalBytes;

  public InboxBacklogLimit(Inbox inbox, long clientBytes, long totalBytes) {
    this.inbox = inbox;
    this.clientBytes = clientBytes;
    this.totalBytes = totalBytes;
  }

  public static InboxBacklogLimit from(Inbox inbox, AppConfig config) {
    long total = config.inboxBacklogMb() > 0 ? config.inboxBacklogMb() * MB : Runtime.getRuntime().maxMemory() / 4;
    return new InboxBacklogLimit(inbox, config.webhookBacklogMb() * MB, total);
  }

  /** The 429 or 503 to answer while the backlog is over a bound (send it with {@link #RETRY_AFTER_S}); else null. */
  public ApiError refusal(String clientId) {
    Inbox.Backlog b = inbox.backlog(clientId);
    if (totalBytes > 0 && b.totalBytes() >= totalBytes) {
      return new ApiError(503, "the inbox is full: " + mb(b.totalBytes()) + " of webhooks (" + b.totalEntries()
          + ") are waiting to be stored, the limit is " + mb(totalBytes) + " (INBOX_BACKLOG_MB); retry after "
          + RETRY_AFTER_S + " s");
    }
    if (clientBytes > 0 && b.clientBytes() >= clientBytes) {
      return new ApiError(429, "too many webhooks waiting to be stored for client " + clientId + ": "
          + b.clientEntries() + " (" + mb(b.clientBytes()) + "), the limit is " + mb(clientBytes)
          + " (WEBHOOK_BACKLOG_MB); retry after " + RETRY_AFTER_S + " s");
    }
    return null;
  }

  private static String mb(long bytes) {
    if (bytes < MB) return bytes / 1024 + " KB";
    return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (double) MB);
  }
}
