package pbwebhook.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import pbwebhook.LogLines;
import pbwebhook.TestHttp;
import pbwebhook.TestServer;
import pbwebhook.fakes.ScriptedScorer;

/** Issue 13 item 6: PhantomBuster's body secret is never written under DATA_DIR; no value can forge a log line. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecretsAtRestAndInLogsTest {

  static final String SECRET = "pb-body-secret-7f3a9c";

  @TempDir
  Path dataDir;

  @Test
  void phantomBusterBodySecretIsNotJournaledNorStored() throws IOException {
    String postUrl = "https://www.linkedin.com/feed/update/urn:li:activity:7000000000000000042";
    JsonObject post = new JsonObject().put("profileUrl", "https://www.linkedin.com/in/jane-secretless")
        .put("postUrl", postUrl).put("postContent", "AI agents for clinics").put("postTimestamp", "2025-06-20T08:00:00.000Z")
        .put("action", "Post").put("authorUrl", "https://www.linkedin.com/in/jane-secretless");
    try (TestServer server = TestServer.start(dataDir, new ScriptedScorer(),
        new JsonObject().put("PB_WEBHOOK_SECRET", SECRET).put("ADMIN_TOKEN", "t"))) {
      server.addLead(TestServer.DEMO_BASE, "jane-secretless", TestServer.LONG_ABOUT);
      TestHttp.Reply r = server.http().post("/api/pb-webhook?wait=true",
          new JsonObject().put("secret", SECRET).put("resultObject", new JsonArray().add(post).encode()).encode());
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().getString("status")).isEqualTo("delivered");
      assertThat(r.json().getInteger("postsAdded")).isEqualTo(1);
    }
    // The post itself is under DATA_DIR (the scan can see what was written); the secret is nowhere.
    assertThat(filesContaining(postUrl)).isNotEmpty();
    assertThat(filesContaining(SECRET)).isEmpty();
  }

  @Test
  void aNewlineInALoggedValueCannotForgeALogLine() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      LogLines.install();
      String forged = "https://www.linkedin.com/in/eve\n2026-12-04T10:00:00.000+0000 ERROR Server - admin token is hunter2"
          + "\r\u2028\u001b[2J";
      LoggerFactory.getLogger(SecretsAtRestAndInLogsTest.class).warn("client {}: no lead for profile {}", "acme", forged);
      LoggerFactory.getLogger(SecretsAtRestAndInLogsTest.class).warn("write failed", new IllegalStateException(forged));
    } finally {
      System.setErr(original);
    }
    List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
    assertThat(lines.get(0)).contains("WARN").contains("client acme: no lead for profile https://www.linkedin.com/in/eve"
        + "\\n2026-12-04T10:00:00.000+0000 ERROR Server - admin token is hunter2\\r\\u2028\\u001b[2J");
    // One line for the first record; the second is its message line and its stack frames, each a line.
    List<String> notFrames = new ArrayList<>(lines.stream().filter(l -> !l.startsWith("\tat ") && !l.startsWith("\\tat ")).toList());
    assertThat(notFrames).hasSize(3);
    assertThat(notFrames.get(2)).startsWith("java.lang.IllegalStateException: https://www.linkedin.com/in/eve\\n2026");
    assertThat(lines).noneMatch(l -> l.startsWith("2026-12-04T10:00:00.000+0000"));
  }

  private List<Path> filesContaining(String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    List<Path> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        if (indexOf(Files.readAllBytes(f), needle) >= 0) hits.add(f);
      }
    }
    return hits;
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }
}
