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
import java.util.List;
import pbwebhook.store.Record;

/**
 * One base's SQLite file and its single JDBC connection. Not thread-safe by itself: the
 * {@link EmbeddedStore} holds this object's monitor around every use, so one thread at a time
 * talks to the connection, and all calls happen on worker threads.
 */
final class BaseFile {

  private final Path path;
  private Connection conn;
  private long lastSeq;

  BaseFile(Path path) {
    this.path = path;
  }

  /**
   * Records of a table in creation order (Airtable's default grid order); a base that was never
   * written has none, and reading it does not create its file.
   */
  List<Record> records(String table) throws SQLException {
    if (!open(false)) return new ArrayList<>();
    List<Record> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT id, created_time, fields FROM records WHERE tbl = ? ORDER BY seq")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Record(rs.getString(1), rs.getString(2), new JsonObject(rs.getString(3))));
        }
      }
    }
    return out;
  }

  /** Null when the record (in that table) does not exist. */
  Record find(String table, String id) throws SQLException {
    if (!open(false)) return null;
    try (PreparedStatement ps = conn.prepareStatement(
        "SELECT id, created_time, fields FROM records WHERE tbl = ? AND id = ?")) {
      ps.setString(1, table);
      ps.setString(2, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new Record(rs.getString(1), rs.getString(2), new JsonObject(rs.getString(3))) : null;
      }
    }
  }

  void insert(String table, Record r) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(
        "INSERT INTO records (tbl, id, created_time, seq, fields) VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, table);
      ps.setString(2, r.id());
      ps.setString(3, r.createdTime());
      ps.setLong(4, ++lastSeq);
      ps.setString(5, r.fields().encode());
      ps.executeUpdate();
    }
  }

  void replaceFields(String table, String id, JsonObject fields) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement("UPDATE records SET fields = ? WHERE tbl = ? AND id = ?")) {
      ps.setString(1, fields.encode());
      ps.setString(2, table);
      ps.setString(3, id);
      ps.executeUpdate();
    }
  }

  interface Work<T> {
    T run() throws SQLException;
  }

  /** Runs the work as one transaction, creating the base file first if needed. */
  <T> T inTransaction(Work<T> work) throws SQLException {
    open(true);
    conn.setAutoCommit(false);
    try {
      T result = work.run();
      conn.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      conn.rollback();
      // the sequence counter may have moved past rows that were rolled back; re-read it
      lastSeq = maxSeq();
      throw e;
    } finally {
      conn.setAutoCommit(true);
    }
  }

  void close() throws SQLException {
    if (conn != null) {
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
      st.execute("CREATE TABLE IF NOT EXISTS records (tbl TEXT NOT NULL, id TEXT PRIMARY KEY, "
          + "created_time TEXT NOT NULL, seq INTEGER NOT NULL, fields TEXT NOT NULL)");
      st.execute("CREATE INDEX IF NOT EXISTS records_tbl ON records (tbl, seq)");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    conn = c;
    lastSeq = maxSeq();
    return true;
  }

  private long maxSeq() throws SQLException {
    try (Statement st = conn.createStatement();
         ResultSet rs = st.executeQuery("SELECT COALESCE(MAX(seq), 0) FROM records")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
