package pbwebhook.store.embedded;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pbwebhook.store.Record;
import pbwebhook.store.embedded.KeyColumns.KeyColumn;

/**
 * One base's SQLite file and its single JDBC connection. Not thread-safe by itself: the
 * {@link EmbeddedStore} holds this object's monitor around every use, so one thread at a time
 * talks to the connection, and all calls happen on worker threads.
 *
 * <p>Records live in one table, {@code records}: the table name, id, creation time, a creation sequence
 * number, the fields as a JSON document, and the {@link KeyColumns} derived from the fields, indexed.
 * Files written before the key columns existed (schema version 0) are migrated when opened.
 */
final class BaseFile {

  /** {@code PRAGMA user_version} of the current layout. */
  static final int SCHEMA_VERSION = 2;
  private static final int MIGRATION_CHUNK = 500;
  private static final int MAX_STATEMENTS = 64;
  private static final String COLUMNS = "id, created_time, fields";

  private final Path path;
  private Connection conn;
  private long lastSeq;
  /** Prepared statements by SQL text, the least recently used closed beyond {@link #MAX_STATEMENTS}. */
  private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() <= MAX_STATEMENTS) return false;
      try {
        eldest.getValue().close();
      } catch (SQLException e) {
        // closing a statement we no longer use cannot fail in a way that matters
      }
      return true;
    }
  };

  BaseFile(Path path) {
    this.path = path;
  }

  /**
   * Records of a table matching the condition, in the given order, starting at the first record whose
   * sequence number is at least {@code fromSeq}, skipping {@code skip}, at most {@code limit}. A base that was
   * never written has none, and reading it does not create its file.
   */
  List<Record> select(String table, SqlFilter.Clause where, SqlFilter.Clause orderBy, long fromSeq, int skip, int limit)
      throws SQLException {
    if (!open(false)) return new ArrayList<>();
    PreparedStatement ps = statement(selectSql(where, orderBy));
    bind(ps, 1, selectParams(table, where, orderBy, fromSeq, skip, limit));
    return read(ps);
  }

  static String selectSql(SqlFilter.Clause where, SqlFilter.Clause orderBy) {
    // "+seq" keeps SQLite from choosing the creation-order index over the lookups' own indexes
    String seq = where.seekThenSort() ? "+seq" : "seq";
    return "SELECT " + COLUMNS + " FROM records WHERE tbl = ? AND " + seq + " >= ? AND " + where.sql()
        + " ORDER BY " + orderBy.sql() + seq + " LIMIT ? OFFSET ?";
  }

  static List<Object> selectParams(String table, SqlFilter.Clause where, SqlFilter.Clause orderBy, long fromSeq,
                                   int skip, int limit) {
    List<Object> params = new ArrayList<>();
    params.add(table);
    params.add(fromSeq);
    params.addAll(where.params());
    params.addAll(orderBy.params());
    params.add(limit);
    params.add(skip);
    return params;
  }

  /** The sequence number of a record of the table, or -1 when there is none. */
  long seqOf(String table, String id) throws SQLException {
    if (!open(false)) return -1;
    PreparedStatement ps = statement("SELECT seq FROM records WHERE id = ? AND tbl = ?");
    ps.setString(1, id);
    ps.setString(2, table);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /** The 0-based position of a record among those matching, in the given order, or -1 when it does not match. */
  long positionOf(String table, SqlFilter.Clause where, SqlFilter.Clause orderBy, String id) throws SQLException {
    if (!open(false)) return -1;
    PreparedStatement ps = statement("SELECT n FROM (SELECT id, row_number() OVER (ORDER BY " + orderBy.sql()
        + "seq) - 1 AS n FROM records WHERE tbl = ? AND " + where.sql() + ") WHERE id = ?");
    int i = bind(ps, 1, orderBy.params());
    ps.setString(i++, table);
    i = bind(ps, i, where.params());
    ps.setString(i, id);
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  /** Null when the record (in that table) does not exist. */
  Record find(String table, String id) throws SQLException {
    if (!open(false)) return null;
    PreparedStatement ps = statement("SELECT " + COLUMNS + " FROM records WHERE id = ? AND tbl = ?");
    ps.setString(1, id);
    ps.setString(2, table);
    List<Record> found = read(ps);
    return found.isEmpty() ? null : found.get(0);
  }

  void insert(String table, Record r) throws SQLException {
    StringBuilder cols = new StringBuilder("tbl, id, created_time, seq, fields");
    StringBuilder marks = new StringBuilder("?, ?, ?, ?, ?");
    for (KeyColumn c : KeyColumns.ALL) {
      cols.append(", ").append(c.column());
      marks.append(", ?");
    }
    PreparedStatement ps = statement("INSERT INTO records (" + cols + ") VALUES (" + marks + ")");
    ps.setString(1, table);
    ps.setString(2, r.id());
    ps.setString(3, r.createdTime());
    ps.setLong(4, ++lastSeq);
    ps.setString(5, r.fields().encode());
    bindKeys(ps, 6, r.fields());
    ps.executeUpdate();
  }

  void replaceFields(String table, String id, JsonObject fields) throws SQLException {
    PreparedStatement ps = statement(updateSql());
    ps.setString(1, fields.encode());
    int i = bindKeys(ps, 2, fields);
    ps.setString(i++, id);
    ps.setString(i, table);
    ps.executeUpdate();
  }

  /** The query plan SQLite chooses for a statement, one line per step (for tests). */
  List<String> queryPlan(String sql, List<Object> params) throws SQLException {
    open(true);
    List<String> plan = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
      bind(ps, 1, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) plan.add(rs.getString("detail"));
      }
    }
    return plan;
  }

  interface Work<T> {
    T run() throws SQLException;
  }

  /** Runs the work as one transaction, creating the base file first if needed. */
  <T> T inTransaction(Work<T> work) throws SQLException {
    open(true);
    long seqBefore = lastSeq;
    conn.setAutoCommit(false);
    try {
      T result = work.run();
      conn.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      conn.rollback();
      // the rows that used the sequence numbers since are gone
      lastSeq = seqBefore;
      throw e;
    } finally {
      conn.setAutoCommit(true);
    }
  }

  void close() throws SQLException {
    if (conn != null) {
      for (PreparedStatement ps : statements.values()) ps.close();
      statements.clear();
      conn.close();
      conn = null;
    }
  }

  /** Opens the connection; returns false (opening nothing) when the file is missing and create is false. */
  private boolean open(boolean create) throws SQLException {
    if (conn != null) return true;
    if (!create && !Files.exists(path)) return false;
    try {
      Files.createDirectories(path.toAbsolutePath().getParent());
    } catch (java.io.IOException e) {
      throw new SQLException("cannot create data directory for " + path, e);
    }
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + path.toAbsolutePath());
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      // NORMAL in WAL mode survives a crash of this process; only an OS crash may lose the last commits
      st.execute("PRAGMA synchronous=NORMAL");
      st.execute("PRAGMA busy_timeout=5000");
      // bounded page cache (KiB): the file, not the heap, holds the table
      st.execute("PRAGMA cache_size=-16000");
      SqlFunctions.register(c);
      conn = c;
      migrate();
    } catch (SQLException | RuntimeException e) {
      conn = null;
      c.close();
      throw e;
    }
    lastSeq = maxSeq();
    return true;
  }

  /**
   * Brings the file to {@link #SCHEMA_VERSION} in one transaction: a new file gets the whole layout; a file
   * of version 0 (records and fields only) gets the key columns, filled from each record's fields, and
   * their indexes.
   */
  private void migrate() throws SQLException {
    int version;
    try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
      version = rs.next() ? rs.getInt(1) : 0;
    }
    if (version >= SCHEMA_VERSION) return;
    conn.setAutoCommit(false);
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS records (tbl TEXT NOT NULL, id TEXT PRIMARY KEY, "
          + "created_time TEXT NOT NULL, seq INTEGER NOT NULL, fields TEXT NOT NULL)");
      st.execute("CREATE INDEX IF NOT EXISTS records_tbl ON records (tbl, seq)");
      Set<String> existing = new HashSet<>();
      try (ResultSet rs = st.executeQuery("PRAGMA table_info(records)")) {
        while (rs.next()) existing.add(rs.getString("name"));
      }
      for (KeyColumn c : KeyColumns.ALL) {
        if (!existing.contains(c.column())) st.execute("ALTER TABLE records ADD COLUMN " + c.column() + " " + c.ddlType());
      }
      fillKeyColumns();
      for (String ddl : KeyColumns.INDEXES) st.execute(ddl);
      st.execute("PRAGMA user_version = " + SCHEMA_VERSION);
      conn.commit();
    } catch (SQLException | RuntimeException e) {
      conn.rollback();
      throw e;
    } finally {
      conn.setAutoCommit(true);
    }
  }

  /** Recomputes every record's key columns from its fields, a chunk at a time. */
  private void fillKeyColumns() throws SQLException {
    long after = Long.MIN_VALUE;
    PreparedStatement update = statement(updateSql());
    while (true) {
      List<Object[]> chunk = new ArrayList<>();
      PreparedStatement ps = statement("SELECT seq, id, tbl, fields FROM records WHERE seq > ? ORDER BY seq LIMIT ?");
      ps.setLong(1, after);
      ps.setInt(2, MIGRATION_CHUNK);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) chunk.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)});
      }
      if (chunk.isEmpty()) return;
      for (Object[] row : chunk) {
        update.setString(1, (String) row[3]);
        int i = bindKeys(update, 2, new JsonObject((String) row[3]));
        update.setString(i++, (String) row[1]);
        update.setString(i, (String) row[2]);
        update.executeUpdate();
        after = (Long) row[0];
      }
    }
  }

  private static String updateSql() {
    StringBuilder sql = new StringBuilder("UPDATE records SET fields = ?");
    for (KeyColumn c : KeyColumns.ALL) sql.append(", ").append(c.column()).append(" = ?");
    return sql.append(" WHERE id = ? AND tbl = ?").toString();
  }

  private static int bindKeys(PreparedStatement ps, int from, JsonObject fields) throws SQLException {
    int i = from;
    for (KeyColumn c : KeyColumns.ALL) ps.setObject(i++, c.valueOf(fields));
    return i;
  }

  private static int bind(PreparedStatement ps, int from, List<Object> params) throws SQLException {
    int i = from;
    for (Object p : params) ps.setObject(i++, p);
    return i;
  }

  private PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = conn.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  private static List<Record> read(PreparedStatement ps) throws SQLException {
    List<Record> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(new Record(rs.getString(1), rs.getString(2), new JsonObject(rs.getString(3))));
    }
    return out;
  }

  private long maxSeq() throws SQLException {
    try (Statement st = conn.createStatement();
         ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM records")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
