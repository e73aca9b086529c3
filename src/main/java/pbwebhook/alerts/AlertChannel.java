package pbwebhook.alerts;

import io.vertx.core.Future;

/** Somewhere an alert message goes (Mailgun, a JSON webhook). */
public interface AlertChannel {

  /** Short name for logs and status, never holding a secret. */
  String name();

  Future<Void> send(String subject, String text);
}
