package pbwebhook.store;

/** Sort on one field, ascending or descending. */
public record Sort(String field, boolean descending) {
  public static Sort asc(String field) { return new Sort(field, false); }
  public static Sort desc(String field) { return new Sort(field, true); }
}
