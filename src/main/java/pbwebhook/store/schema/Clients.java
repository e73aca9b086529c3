package pbwebhook.store.schema;

/** The master base's {@code Clients} table. */
public final class Clients {
  private Clients() {}

  public static final String TABLE = "Clients";
  public static final String CLIENT_ID = "Client ID";
  public static final String CLIENT_NAME = "Client Name";
  public static final String STATUS = "Status";
  public static final String AIRTABLE_BASE_ID = "Airtable Base ID";
  public static final String EXECUTION_LOG = "Execution Log";

  public static final String STATUS_ACTIVE = "Active";
  public static final String STATUS_PAUSED = "Paused";
}
