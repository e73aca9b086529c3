package pbwebhook.runs;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
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

/**
 * Run records on disk ({@code DATA_DIR/runs.db}, SQLite), so run history survives a restart for its week.
 * Each member keeps the runs it ran; at start-up it puts them back into the shared run map, where every
 * member reads them. Blocking: called from worker threads only.
 */
public final class RunHistory implements AutoCloseable {

  private final Connection conn;

  private RunHistory(Connection conn) {
    this.conn = conn;
  }

  public static RunHistory open(Path dataDir) throws SQLException {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new SQLException("cannot create " + dataDir, e);
    }
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("runs.db").toAbsolutePath());
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA journal_mode=WAL");
      st.execute("PRAGMA busy_timeout=5000");
      st.execute("CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, saved_at INTEGER NOT NULL, json TEXT NOT NULL)");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return new RunHistory(c);
  }

  public synchronized void save(JsonObject run, long savedAtMs) throws SQLException {
    try (PreparedStatement ps = conn.prepareStatement(
        "INSERT INTO runs (run_id, saved_at, json) VALUES (?, ?, ?) "
            + "ON CONFLICT(run_id) DO UPDATE SET saved_at = excluded.saved_at, json = excluded.json")) {
      ps.setString(1, run.getString("runId"));
      ps.setLong(2, savedAtMs);
      ps.setString(3, run.encode());
      ps.executeUpdate();
    }
  }

  /** A stored run and when it was last saved. */
  public record Saved(JsonObject run, long savedAtMs) {}

  /** Runs saved since {@code sinceMs}; older ones are deleted. */
  public synchronized List<Saved> since(long sinceMs) throws SQLException {
    try (PreparedStatement del = conn.prepareStatement("DELETE FROM runs WHERE saved_at < ?")) {
      del.setLong(1, sinceMs);
      del.executeUpdate();
    }
    List<Saved> out = new ArrayList<>();
    try (PreparedStatement ps = conn.prepareStatement("SELECT json, saved_at FROM runs ORDER BY saved_at");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) out.add(new Saved(new JsonObject(rs.getString(1)), rs.getLong(2)));
    }
    return out;
  }

  @Override
  public synchronized void close() throws SQLException {
    conn.close();
  }
}
