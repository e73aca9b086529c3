package pbwebhook.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunHistoryTest {

  @TempDir Path dir;

  @Test
  void aSnapshotSavedLateNeverReplacesANewerOne() throws Exception {
    try (RunHistory h = RunHistory.open(dir)) {
      h.save(new JsonObject().put("runId", "r1").put("status", "completed"), 2_000);
      h.save(new JsonObject().put("runId", "r1").put("status", "running"), 1_000);
      h.save(new JsonObject().put("runId", "r2").put("status", "running"), 1_500);
      h.save(new JsonObject().put("runId", "r2").put("status", "failed"), 1_500);

      List<RunHistory.Saved> saved = h.since(0);
      assertEquals(2, saved.size());
      assertEquals("r2", saved.get(0).run().getString("runId"));
      assertEquals("failed", saved.get(0).run().getString("status"));
      assertEquals("r1", saved.get(1).run().getString("runId"));
      assertEquals("completed", saved.get(1).run().getString("status"));
      assertEquals(2_000, saved.get(1).savedAtMs());
    }
  }
}
