package pbwebhook.store.schema;

/** The master base's {@code Execution Summary} table: one record per run and client. */
public final class ExecutionSummary {
  private ExecutionSummary() {}

  public static final String TABLE = "Execution Summary";
  public static final String EXECUTION_ID = "Execution ID";
  public static final String DATE = "Date";
  public static final String TIME = "Time";
  public static final String CLIENT_ID = "Client ID";
  public static final String CLIENT_NAME = "Client Name";
  public static final String PROCESS_TYPE = "Process Type";
  public static final String STATUS = "Status";
  public static final String LEADS_PROCESSED = "Leads Processed";
  public static final String LEADS_SUCCESSFUL = "Leads Successful";
  public static final String LEADS_FAILED = "Leads Failed";
  public static final String SUCCESS_RATE = "Success Rate";
  public static final String DURATION = "Duration";
  public static final String TOKENS_USED = "Tokens Used";
  public static final String ERROR_COUNT = "Error Count";
  public static final String PERFORMANCE_SCORE = "Performance Score";
  /** Optional even in this server's own tables: the run's estimated AI cost in US dollars (0 with an unpriced model). */
  public static final String ESTIMATED_COST_USD = "Estimated Cost USD";
}
