package pbwebhook.alerts;

/** What an alert is about; digests group by kind and client. */
public enum AlertKind {
  RUN_FAILED("run failed"),
  RUN_ERRORS("run finished with errors"),
  DEAD_LETTER("webhooks dead-lettered"),
  SCHEMA("schema check failed"),
  BUDGET("token budget reached");

  public final String title;

  AlertKind(String title) { this.title = title; }
}
