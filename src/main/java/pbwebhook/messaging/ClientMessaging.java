package pbwebhook.messaging;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.Addresses;
import pbwebhook.clients.Client;
import pbwebhook.clients.ClientWorker;
import pbwebhook.config.MessagingSettings;
import pbwebhook.ingest.SafeDate;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.StoreException;
import pbwebhook.store.schema.Leads;

/**
 * One client's messaging, run by its worker (so by the client's owner in a cluster): queues messages after checking
 * that the lead and the Credentials have what sending needs, lists the client's jobs, and dispatches one step at a
 * time every PB_DISPATCH_INTERVAL_S (system.md §1 Messaging, with §8 items 4, 23 and 28 fixed).
 *
 * <p>A step takes the first due job: it reads the lead and the credentials, checks the phantom, and either waits
 * (the phantom is running; its last run failed), launches, or counts a failed try. Waits and tries are bounded, so
 * no job holds the queue for ever. Outcomes are journaled first and written to the lead after; an outcome not yet on
 * the lead is written again by the next step.
 */
public final class ClientMessaging {

  private static final Logger log = LoggerFactory.getLogger(ClientMessaging.class);
  /** Failed checks or launches before a job ends as {@code Error from queueDispatcher} (system.md §1). */
  static final int MAX_TRIES = 5;
  /** Checks that find the phantom running before the job gives up waiting for it (an hour at the default interval). */
  static final int MAX_BUSY_CHECKS = 60;
  /** Checks that find the phantom's last run failed before the job ends (§8 item 28: never a stall). */
  static final int MAX_FAILED_CHECKS = 5;
  static final int MAX_ERROR_CHARS = 1000;
  private static final long PB_TIMEOUT_MS = 30_000;
  private static final Set<String> BUSY = Set.of("running", "queued", "starting", "launching");

  private final Vertx vertx;
  private final Client client;
  private final RecordStore store;
  private final MessageQueue queue;
  private final MessagingSettings settings;
  private final WebClient http;
  private final PhantomBusterClient phantom;
  /**
   * Leads whose request is being queued (checked, journaled, its status written): their job is not dispatched until
   * the status is written, or that write could land after the step's "Sent".
   */
  private final Set<String> enqueuing = new HashSet<>();
  private long timer = -1;
  private Future<Void> stepping;

  public ClientMessaging(Vertx vertx, Client client, RecordStore store, MessageQueue queue, MessagingSettings settings) {
    this.vertx = vertx;
    this.client = client;
    this.store = store;
    this.queue = queue;
    this.settings = settings;
    this.http = WebClient.create(vertx);
    this.phantom = new PhantomBusterClient(http, settings.phantomBusterApiUrl(), PB_TIMEOUT_MS);
  }

  /** Listens for the client's messaging requests; an Active client's dispatcher starts ticking. */
  public Future<Void> start() {
    var bus = vertx.eventBus();
    String id = client.clientId();
    if (client.active()) {
      timer = vertx.setPeriodic(settings.dispatchIntervalMs(), settings.dispatchIntervalMs(), t -> tick());
    }
    return Future.join(
        bus.<JsonObject>consumer(Addresses.messagesEnqueue(id), this::onEnqueue).completion(),
        bus.<JsonObject>consumer(Addresses.messagesList(id), this::onList).completion()).mapEmpty();
  }

  /** Stops dispatching; a step under way finishes first (its launch is never cut off half-recorded). */
  public Future<Void> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    Future<Void> current = stepping == null ? Future.succeededFuture() : stepping;
    return current.recover(e -> Future.succeededFuture()).onComplete(ar -> http.close());
  }

  // ---- requests ----

  private void onEnqueue(Message<JsonObject> m) {
    String recordId = m.body().getString("recordId");
    if (!client.active()) {
      m.fail(409, "client " + client.clientId() + " is " + client.status() + "; messages are sent for Active clients only");
      return;
    }
    if (!enqueuing.add(recordId)) {
      m.fail(409, "a message to lead " + recordId + " is being queued by another request right now; try again");
      return;
    }
    store.get(client.baseId(), Leads.TABLE, recordId)
        .recover(e -> Future.failedFuture(e instanceof StoreException se && se.kind() == StoreException.Kind.NOT_FOUND
            ? new RefusedException(404, "no lead " + recordId + " in the Leads table of client " + client.clientId()) : e))
        .compose(lead -> SenderCredentials.read(store, client.baseId()).compose(creds -> {
          List<String> problems = new ArrayList<>();
          if (!creds.missing().isEmpty()) {
            problems.add("the Credentials table lacks " + String.join(", ", creds.missing()));
          }
          List<String> leadMissing = missingOnLead(lead);
          if (!leadMissing.isEmpty()) problems.add("lead " + recordId + " lacks " + String.join(", ", leadMissing));
          Optional<Instant> sendAt;
          try {
            sendAt = sendAt(lead);
          } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
            sendAt = Optional.empty();
          }
          if (!problems.isEmpty()) {
            return Future.failedFuture(new RefusedException(400, "cannot queue a message: " + String.join("; ", problems)));
          }
          return queue.enqueue(client.clientId(), recordId, sendAt.orElse(null));
        }))
        .compose(this::markQueued)
        .onSuccess(e -> m.reply(new JsonObject().put("jobId", e.job().jobId()).put("duplicate", e.duplicate())
            .put("status", e.job().status().name().toLowerCase()).put("sendAt", e.job().toJson().getString("sendAt"))
            .put("size", queue.openCount(client.clientId()))))
        .onFailure(e -> fail(m, e))
        .onComplete(ar -> enqueuing.remove(recordId));
  }

  /**
   * Writes {@code Queuing Initiated by Server} for a new job. A repeat joining an open job writes nothing: that job
   * may be in a dispatch step already, whose outcome the write must not overtake.
   */
  private Future<MessageQueue.Enqueued> markQueued(MessageQueue.Enqueued e) {
    MessageJob job = e.job();
    log.info("client {}: message job {} {} lead {}", client.clientId(), job.jobId(),
        e.duplicate() ? "already open for" : "queued for", job.recordId());
    if (e.duplicate()) return Future.succeededFuture(e);
    return store.update(client.baseId(), Leads.TABLE, List.of(new Record(job.recordId(), null,
            new JsonObject().put(Leads.MESSAGE_STATUS, Leads.MESSAGE_QUEUED))))
        .map(e);
  }

  private void onList(Message<JsonObject> m) {
    JsonArray jobs = new JsonArray();
    queue.jobs(client.clientId()).forEach(j -> jobs.add(j.toJson()));
    m.reply(new JsonObject().put("clientId", client.clientId()).put("open", queue.openCount(client.clientId()))
        .put("dispatchIntervalS", settings.dispatchIntervalMs() / 1000.0).put("jobs", jobs));
  }

  // ---- dispatching ----

  private void tick() {
    if (stepping != null) return;
    Promise<Void> done = Promise.promise();
    // Set before the step starts: a step with nothing to do completes at once, inside this call.
    stepping = done.future();
    recordOutcomes().compose(v -> {
      MessageJob job = queue.nextDue(client.clientId(), Instant.now(), enqueuing);
      return job == null ? Future.<Void>succeededFuture() : step(job);
    }).onComplete(ar -> {
      stepping = null;
      if (ar.failed()) log.warn("client {}: message dispatch step failed: {}", client.clientId(), ar.cause().getMessage());
      done.complete();
    });
  }

  private Future<Void> step(MessageJob job) {
    return store.get(client.baseId(), Leads.TABLE, job.recordId()).transform(read -> {
      if (read.failed()) {
        if (read.cause() instanceof StoreException se && se.kind() == StoreException.Kind.NOT_FOUND) {
          // Nothing to record the outcome on.
          return queue.save(job.failed("lead " + job.recordId() + " no longer exists", Instant.now()).recordedNow(Instant.now()))
              .<Void>mapEmpty();
        }
        return Future.failedFuture(read.cause());
      }
      Record lead = read.result();
      Instant now = Instant.now();
      Instant sendAt;
      try {
        sendAt = sendAt(lead).orElse(null);
      } catch (IllegalArgumentException e) {
        return finish(job.failed(e.getMessage(), now));
      }
      if (sendAt != null && sendAt.isAfter(now)) {
        log.info("client {}: message job {} waits for the lead's Send At {}", client.clientId(), job.jobId(), sendAt);
        return queue.save(job.deferredTo(sendAt, now)).mapEmpty();
      }
      List<String> leadMissing = missingOnLead(lead);
      if (!leadMissing.isEmpty()) {
        return finish(job.failed("lead " + job.recordId() + " lacks " + String.join(", ", leadMissing), now));
      }
      return SenderCredentials.read(store, client.baseId()).compose(creds -> creds.missing().isEmpty()
          ? checkAndLaunch(job, lead, creds)
          : finish(job.failed("the Credentials table lacks " + String.join(", ", creds.missing()), now)));
    });
  }

  private Future<Void> checkAndLaunch(MessageJob job, Record lead, SenderCredentials creds) {
    return phantom.lastRunStatus(creds.agentId(), creds.apiKey(), creds.redactor()).transform(check -> {
      Instant now = Instant.now();
      if (check.failed()) return failedTry(job, check.cause().getMessage());
      String status = check.result();
      log.debug("client {}: message job {}: the phantom's last run is {}", client.clientId(), job.jobId(),
          status == null ? "absent" : status);
      if (status != null && BUSY.contains(status.toLowerCase())) {
        if (job.busyChecks() + 1 >= MAX_BUSY_CHECKS) {
          return finish(job.phantomBusy(null, now).failed("the phantom was still running at " + MAX_BUSY_CHECKS
              + " checks in a row; not launched", now));
        }
        log.info("client {}: message job {} waits: the phantom is {}", client.clientId(), job.jobId(), status);
        return queue.save(job.phantomBusy("the phantom is " + status, now)).mapEmpty();
      }
      if (status != null && !"success".equalsIgnoreCase(status)) {
        String why = "the phantom's last run ended with status \"" + creds.redactor().redact(status) + "\"";
        if (job.failedChecks() + 1 >= MAX_FAILED_CHECKS) {
          return finish(job.phantomFailed(why, now).failed(why + " at " + MAX_FAILED_CHECKS
              + " checks in a row; not launched: fix the phantom in PhantomBuster, then queue the message again", now));
        }
        log.info("client {}: message job {} waits: {}", client.clientId(), job.jobId(), why);
        return queue.save(job.phantomFailed(why, now)).mapEmpty();
      }
      return launch(job, lead, creds);
    });
  }

  /** LAUNCHING is on disk before the request goes out, so a crash in between is known and never re-launched blindly. */
  private Future<Void> launch(MessageJob job, Record lead, SenderCredentials creds) {
    JsonObject argument = new JsonObject().put("sessionCookie", creds.cookie()).put("userAgent", creds.userAgent())
        .put("profilesPerLaunch", 10).put("message", lead.string(Leads.MESSAGE_TO_BE_SENT))
        .put("spreadsheetUrl", lead.string(Leads.LINKEDIN_PROFILE_URL)).put("spreadsheetUrlExclusionList", new JsonArray());
    return queue.save(job.launching(Instant.now())).compose(launching ->
        phantom.launch(creds.agentId(), creds.apiKey(), argument, creds.redactor()).transform(ar -> {
          Instant now = Instant.now();
          if (ar.succeeded()) {
            log.info("client {}: message job {} launched the phantom (run {})", client.clientId(), job.jobId(), ar.result());
            return finish(launching.sent(ar.result(), now));
          }
          if (ar.cause() instanceof PhantomBusterClient.PhantomBusterException pe && pe.maybeLaunched()) {
            return finish(launching.failed(pe.getMessage() + "; the phantom may have started, so it is not launched "
                + "again: check its runs in PhantomBuster and queue the message again if it was not sent", now));
          }
          return failedTry(launching, ar.cause().getMessage());
        }));
  }

  /** A check or launch that certainly launched nothing: tried again next interval, or the fifth ends the job. */
  private Future<Void> failedTry(MessageJob job, String error) {
    Instant now = Instant.now();
    MessageJob next = job.failedTry(error, now.plusMillis(settings.dispatchIntervalMs()), now);
    log.warn("client {}: message job {} try {} of {} failed: {}", client.clientId(), job.jobId(), next.tries(), MAX_TRIES,
        error);
    if (next.tries() >= MAX_TRIES) return finish(next.failed("gave up after " + MAX_TRIES + " tries: " + error, now));
    return queue.save(next).mapEmpty();
  }

  /** Journals the final state, then writes it to the lead. */
  private Future<Void> finish(MessageJob done) {
    if (done.status() == MessageJob.Status.FAILED) {
      log.warn("client {}: message job {} for lead {} failed: {}", client.clientId(), done.jobId(), done.recordId(),
          done.reason());
    }
    return queue.save(done).compose(this::record);
  }

  /** Outcomes journaled but not yet on their lead (the write failed, or the server stopped in between). */
  private Future<Void> recordOutcomes() {
    Future<Void> chain = Future.succeededFuture();
    for (MessageJob j : queue.unrecorded(client.clientId())) chain = chain.compose(v -> record(j));
    return chain;
  }

  private Future<Void> record(MessageJob job) {
    JsonObject fields = job.status() == MessageJob.Status.SENT
        ? new JsonObject().put(Leads.MESSAGE_STATUS, Leads.MESSAGE_SENT).put(Leads.PB_RUN_ID, job.runId())
            .put(Leads.TIME_PB_MESSAGE_SENT, SafeDate.iso(job.sentAt()))
        : new JsonObject().put(Leads.MESSAGE_STATUS, Leads.MESSAGE_ERROR)
            .put(Leads.PB_ERROR_MESSAGE, truncate(job.reason()));
    return store.update(client.baseId(), Leads.TABLE, List.of(new Record(job.recordId(), null, fields)))
        .<Void>mapEmpty()
        .recover(e -> e instanceof StoreException se && se.kind() == StoreException.Kind.NOT_FOUND
            ? Future.succeededFuture() : Future.failedFuture(e))
        .compose(v -> queue.save(job.recordedNow(Instant.now())).<Void>mapEmpty())
        .onFailure(e -> log.warn("client {}: outcome of message job {} not written to lead {} yet: {}", client.clientId(),
            job.jobId(), job.recordId(), e.getMessage()));
  }

  // ---- helpers ----

  private static List<String> missingOnLead(Record lead) {
    List<String> out = new ArrayList<>();
    for (String f : List.of(Leads.LINKEDIN_PROFILE_URL, Leads.MESSAGE_TO_BE_SENT)) {
      String v = lead.string(f);
      if (v == null || v.isBlank()) out.add(f);
    }
    return out;
  }

  /** The lead's Send At; a value that is not a date is refused by name rather than ignored. */
  private static Optional<Instant> sendAt(Record lead) {
    String v = lead.string(Leads.SEND_AT);
    if (v == null || v.isBlank()) return Optional.empty();
    Optional<Instant> at = SafeDate.parse(v);
    if (at.isEmpty()) throw new IllegalArgumentException(Leads.SEND_AT + " of lead " + lead.id() + " is not a date: \""
        + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "\"");
    return at;
  }

  private static String truncate(String s) {
    if (s == null) return "";
    return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS - 1) + "…";
  }

  /** A refusal with the HTTP status to answer. */
  static final class RefusedException extends RuntimeException {
    final int status;

    RefusedException(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private static void fail(Message<?> m, Throwable e) {
    if (e instanceof RefusedException r) m.fail(r.status, r.getMessage());
    // The queue's journal could not make the job durable: nothing was queued, the caller may retry.
    else if (e instanceof java.io.IOException) m.fail(503, "the message could not be queued durably; retry shortly");
    else ClientWorker.fail(m, e);
  }
}
