package pbwebhook.messaging;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One LinkedIn message to send through the client's PhantomBuster phantom, as the queue journals it: which lead,
 * when it may go, where it stands. It holds no credential and no message text: both are read from the client's
 * base when the job runs.
 *
 * @param tries         failed checks or launches so far (the fifth ends the job)
 * @param busyChecks    checks that found the phantom running
 * @param failedChecks  checks that found the phantom's last run failed
 * @param nextTryAt     no earlier than this (after a failed try), or null
 * @param runId         PhantomBuster's container id once launched
 * @param reason        why a failed job failed
 * @param recorded      whether the final state is written to the lead (Sent / Error from queueDispatcher)
 */
public record MessageJob(String jobId, String clientId, String recordId, Instant queuedAt, Instant sendAt,
                         Status status, int tries, int busyChecks, int failedChecks, Instant nextTryAt,
                         String lastError, String runId, Instant sentAt, String reason, Instant updatedAt,
                         boolean recorded) {

  /** QUEUED waits its turn; LAUNCHING is journaled just before the launch request; SENT and FAILED are final. */
  public enum Status { QUEUED, LAUNCHING, SENT, FAILED }

  public static MessageJob queued(String jobId, String clientId, String recordId, Instant now, Instant sendAt) {
    return new MessageJob(jobId, clientId, recordId, now, sendAt, Status.QUEUED, 0, 0, 0, null, null, null, null, null,
        now, false);
  }

  public boolean finished() {
    return status == Status.SENT || status == Status.FAILED;
  }

  /** Waiting or being launched: a second request for the same lead joins this job instead of sending twice. */
  public boolean open() {
    return !finished();
  }

  /** Ready for the dispatcher at {@code now}: queued, its Send At and retry time passed. */
  public boolean due(Instant now) {
    return status == Status.QUEUED && (sendAt == null || !sendAt.isAfter(now)) && (nextTryAt == null || !nextTryAt.isAfter(now));
  }

  public MessageJob deferredTo(Instant at, Instant now) {
    return new MessageJob(jobId, clientId, recordId, queuedAt, at, Status.QUEUED, tries, busyChecks, failedChecks,
        nextTryAt, lastError, runId, sentAt, reason, now, false);
  }

  /** A failed check or launch: tried again at {@code retryAt}. */
  public MessageJob failedTry(String error, Instant retryAt, Instant now) {
    return new MessageJob(jobId, clientId, recordId, queuedAt, sendAt, Status.QUEUED, tries + 1, busyChecks,
        failedChecks, retryAt, error, runId, sentAt, reason, now, false);
  }

  public MessageJob phantomBusy(String error, Instant now) {
    return new MessageJob(jobId, clientId, recordId, queuedAt, sendAt, Status.QUEUED, tries, busyChecks + 1,
        failedChecks, nextTryAt, error, runId, sentAt, reason, now, false);
  }

  public MessageJob phantomFailed(String error, Instant now) {
    return new MessageJob(jobId, clientId, recordId, queuedAt, sendAt, Status.QUEUED, tries, busyChecks,
        failedChecks + 1, nextTryAt, error, runId, sentAt, reason, now, false);
  }

  public MessageJob launching(Instant now) {
    return new MessageJob(jobId, clientId, recordId, queuedAt, sendAt, Status.LAUNCHING, tries, busyChecks,
        failedChecks, nextTryAt, lastError, runId, sentAt, reason, now, false);
  }

  public MessageJob sent(String containerId, Instant now) {
    return new MessageJob(jobId, clientId, recordId, queuedAt, sendAt, Status.SENT, tries, busyChecks, failedChecks,
        null, null, containerId, now, null, now, false);
  }

  public MessageJob failed(String why, Instant now) {
    return new MessageJob(jobId, clientId, recordId, queuedAt, sendAt, Status.FAILED, tries, busyChecks, failedChecks,
        null, lastError, runId, sentAt, why, now, false);
  }

  /** The final state is on the lead. */
  public MessageJob recordedNow(Instant now) {
    return new MessageJob(jobId, clientId, recordId, queuedAt, sendAt, status, tries, busyChecks, failedChecks,
        nextTryAt, lastError, runId, sentAt, reason, now, true);
  }

  public JsonObject toJson() {
    return new JsonObject().put("jobId", jobId).put("clientId", clientId).put("recordId", recordId)
        .put("queuedAt", text(queuedAt)).put("sendAt", text(sendAt)).put("status", status.name().toLowerCase())
        .put("tries", tries).put("busyChecks", busyChecks).put("failedChecks", failedChecks)
        .put("nextTryAt", text(nextTryAt)).put("lastError", lastError).put("runId", runId).put("sentAt", text(sentAt))
        .put("reason", reason).put("updatedAt", text(updatedAt)).put("recorded", recorded);
  }

  public static MessageJob fromJson(JsonObject j) {
    return new MessageJob(j.getString("jobId"), j.getString("clientId"), j.getString("recordId"),
        instant(j.getString("queuedAt")), instant(j.getString("sendAt")),
        Status.valueOf(j.getString("status").toUpperCase()), j.getInteger("tries", 0), j.getInteger("busyChecks", 0),
        j.getInteger("failedChecks", 0), instant(j.getString("nextTryAt")), j.getString("lastError"),
        j.getString("runId"), instant(j.getString("sentAt")), j.getString("reason"), instant(j.getString("updatedAt")),
        j.getBoolean("recorded", false));
  }

  private static String text(Instant i) {
    return i == null ? null : i.toString();
  }

  private static Instant instant(String s) {
    return s == null ? null : Instant.parse(s);
  }
}
