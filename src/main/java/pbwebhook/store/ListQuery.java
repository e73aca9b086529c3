package pbwebhook.store;

import java.util.List;

/**
 * What to list from a table: an optional filter, sorts, the fields wanted (empty = all),
 * page size (at most 100, like Airtable), a paging offset from the previous page, a cap on
 * the total number of records, and an optional Airtable view (its own filter and order apply first;
 * the embedded store has no views and ignores it).
 */
public record ListQuery(Filter filter, List<Sort> sort, List<String> fields, int pageSize, String offset,
                        Integer maxRecords, String view) {

  public static final int MAX_PAGE_SIZE = 100;

  public ListQuery {
    sort = sort == null ? List.of() : List.copyOf(sort);
    fields = fields == null ? List.of() : List.copyOf(fields);
    if (pageSize <= 0 || pageSize > MAX_PAGE_SIZE) pageSize = MAX_PAGE_SIZE;
  }

  public static ListQuery all() { return new ListQuery(null, List.of(), List.of(), MAX_PAGE_SIZE, null, null, null); }

  public static ListQuery where(Filter filter) {
    return new ListQuery(filter, List.of(), List.of(), MAX_PAGE_SIZE, null, null, null);
  }

  public ListQuery withSort(Sort... s) { return new ListQuery(filter, List.of(s), fields, pageSize, offset, maxRecords, view); }
  public ListQuery withFields(List<String> f) { return new ListQuery(filter, sort, f, pageSize, offset, maxRecords, view); }
  public ListQuery withPageSize(int n) { return new ListQuery(filter, sort, fields, n, offset, maxRecords, view); }
  public ListQuery withOffset(String o) { return new ListQuery(filter, sort, fields, pageSize, o, maxRecords, view); }
  public ListQuery withView(String v) { return new ListQuery(filter, sort, fields, pageSize, offset, maxRecords, v); }
  public ListQuery withMaxRecords(Integer m) { return new ListQuery(filter, sort, fields, pageSize, offset, m, view); }
}
