package pbwebhook;

/** Event-bus addresses, named by concept. Messages are JSON objects. */
public final class Addresses {
  private Addresses() {}

  /**
   * For the member's own services (client registry, Execution Log reader): every member has them, so a request
   * never travels, nor waits on the cluster to find its handler (a frozen member must not stall it).
   */
  public static io.vertx.core.eventbus.DeliveryOptions local() {
    return new io.vertx.core.eventbus.DeliveryOptions().setLocalOnly(true);
  }

  public static final String CLIENTS_LIST = "clients.list";
  public static final String CLIENTS_GET = "clients.get";
  public static final String CLIENTS_REFRESH = "clients.refresh";
  /** Published after the client API changed the Clients table: every member's registry reloads at once. */
  public static final String CLIENTS_CHANGED = "clients.changed";
  public static final String EXECLOG_RECORD = "execlog.record";

  public static String ingest(String clientId) { return "client." + clientId + ".ingest"; }
  public static String scoreLeads(String clientId) { return "client." + clientId + ".score-leads"; }
  public static String scoreLead(String clientId) { return "client." + clientId + ".score-lead"; }
  public static String leadsList(String clientId) { return "client." + clientId + ".leads.list"; }
  public static String leadsGet(String clientId) { return "client." + clientId + ".leads.get"; }
  public static String health(String clientId) { return "client." + clientId + ".health"; }
  /** PhantomBuster posts to merge: {@code {items:[{profileUrl, posts:[…]}], receivedAt}}. */
  public static String posts(String clientId) { return "client." + clientId + ".posts"; }
  public static String scorePosts(String clientId) { return "client." + clientId + ".score-posts"; }
  public static String scorePost(String clientId) { return "client." + clientId + ".score-post"; }
  /** Text Blaze: {@code {profileUrl, linkedinMessage, timestamp}} prepended to the lead's Notes. */
  public static String leadNote(String clientId) { return "client." + clientId + ".lead-note"; }
  /** Queue a PhantomBuster message to a lead: {@code {recordId}} → {@code {jobId, duplicate, status, size}}. */
  public static String messagesEnqueue(String clientId) { return "client." + clientId + ".messages.enqueue"; }
  /** The client's message jobs: {@code {clientId, open, jobs:[…]}}. */
  public static String messagesList(String clientId) { return "client." + clientId + ".messages.list"; }
  /** Custom-GPT helpers: {@code {action, ...}} (see {@code gpt.GptHelpers}). */
  public static String gptHelper(String clientId) { return "client." + clientId + ".gpt-helper"; }
  /** Posts Content repair run: {@code {dryRun, wait}}. */
  public static String postsContentRepair(String clientId) { return "client." + clientId + ".posts-content.repair"; }
  /** Posts Content counts, nothing written. */
  public static String postsContentQuality(String clientId) { return "client." + clientId + ".posts-content.quality"; }
}
