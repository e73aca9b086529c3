package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.TestServer.DEMO_BASE;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.fakes.ScriptedScorer;
import pbwebhook.store.Record;
import pbwebhook.store.schema.Leads;

/**
 * A webhook body with thousands of tiny items (18,000 profiles fit under the 1 MB limit) must neither
 * block its client's later webhooks nor be written twice at once: above the documented cap it is refused
 * with 413; under a raised cap it is delivered in acknowledged slices, and the webhook after it is stored.
 */
class BigWebhookTest {

  private static final int BIG = 18_000;

  @TempDir
  Path dataDir;

  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  /** {@code n} profiles of about 50 bytes each: only a URL, which is all a profile needs to be stored. */
  private static String tinyProfiles(String prefix, int n) {
    StringBuilder b = new StringBuilder(n * 56).append('[');
    for (int i = 0; i < n; i++) {
      if (i > 0) b.append(',');
      b.append("{\"profileUrl\":\"https://www.linkedin.com/in/").append(prefix).append(i).append("\"}");
    }
    return b.append(']').toString();
  }

  private long storedWithPrefix(String prefix) {
    List<String> urls = server.leads(DEMO_BASE).stream().map(Record::fields)
        .map(f -> f.getString(Leads.LINKEDIN_PROFILE_URL)).filter(u -> u != null && u.contains("/in/" + prefix)).toList();
    assertThat(urls).as("no lead stored twice").doesNotHaveDuplicates();
    return urls.size();
  }

  @Test
  void aBodyOverTheDocumentedCapsIsRefusedWith413NamingTheCapAndTheNextWebhookIsStored() {
    server = TestServer.start(dataDir, new ScriptedScorer());
    String body = tinyProfiles("big-", BIG);
    assertThat(body.length()).isLessThan(1024 * 1024);

    TestHttp.Reply refused = server.http().post("/lh-webhook/upsertLeadOnly", body);
    assertThat(refused.status()).as(refused.body()).isEqualTo(413);
    assertThat(refused.json().getString("error"))
        .isEqualTo("too many profiles in one body: 18000, at most 1000 (LH_MAX_PROFILES_PER_BODY); send them in several smaller webhooks");

    TestHttp.Reply next = server.http().post("/lh-webhook/upsertLeadOnly?wait=true", tinyProfiles("after-", 1));
    assertThat(next.status()).as(next.body()).isEqualTo(200);
    assertThat(next.json().getString("status")).isEqualTo("delivered");
    assertThat(storedWithPrefix("after-")).isEqualTo(1);
    assertThat(storedWithPrefix("big-")).isZero();

    JsonArray posts = new JsonArray();
    for (int i = 0; i < 20_001; i++) {
      posts.add(new JsonObject().put("profileUrl", "https://www.linkedin.com/in/poster-" + (i % 40))
          .put("postUrl", "https://www.linkedin.com/feed/update/urn:li:activity:" + (7_100_000_000_000_000_000L + i))
          .put("postContent", "p" + i).put("action", "Post"));
    }
    TestHttp.Reply pb = server.http().post("/api/pb-webhook", new JsonObject().put("resultObject", posts).encode());
    assertThat(pb.status()).as(pb.body()).isEqualTo(413);
    assertThat(pb.json().getString("error")).contains("20001").contains("at most 20000").contains("PB_MAX_POSTS_PER_BODY");
    assertThat(server.http().get("/api/inbox").json().getInteger("pending")).isZero();
  }

  @Test
  void underARaisedCapTheBigBodyIsStoredOnceInSlicesAndTheWebhookAfterItIsNotBlocked() {
    // 30 slices, and a 1 s acknowledgement timeout: a slice still being written after it is sent again.
    int many = 3_000;
    server = TestServer.start(dataDir, new ScriptedScorer(),
        new JsonObject().put("LH_MAX_PROFILES_PER_BODY", 20_000).put("INBOX_ACK_TIMEOUT_S", 1));
    long started = System.nanoTime();
    TestHttp.Reply big = server.http().post("/lh-webhook/upsertLeadOnly", tinyProfiles("big-", many));
    assertThat(big.status()).as(big.body()).isEqualTo(200);
    assertThat(big.json().getInteger("accepted")).isEqualTo(many);
    // ?wait=true answers once this webhook is written (202 "pending" if that takes over 30 s).
    TestHttp.Reply after = server.http().post("/lh-webhook/upsertLeadOnly?wait=true", tinyProfiles("after-", 1));
    long afterDelivered = System.nanoTime();
    assertThat(after.status()).as(after.body()).isEqualTo(200);
    assertThat(after.json().getString("status")).isEqualTo("delivered");
    TestServer.awaitCondition("the big body delivered", Duration.ofSeconds(240),
        () -> server.http().get("/api/inbox").json().getInteger("pending") == 0);
    long bigDelivered = System.nanoTime();

    assertThat(storedWithPrefix("after-")).isEqualTo(1);
    assertThat(storedWithPrefix("big-")).isEqualTo(many);
    JsonObject inbox = server.http().get("/api/inbox").json();
    assertThat(inbox.getInteger("dead")).isZero();
    assertThat(inbox.getInteger("pending")).isZero();
    System.out.printf("big body: %d profiles delivered in %.1f s; the webhook after it in %.1f s%n", many,
        (bigDelivered - started) / 1e9, (afterDelivered - started) / 1e9);
  }

}
