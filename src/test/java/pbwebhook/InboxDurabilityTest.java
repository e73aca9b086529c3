package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.FaultyDisk;

/**
 * The durability promise over HTTP, with the journal's disk slowed or failing on purpose: a webhook is
 * answered 200 only after its fsync returned, and 503 with Retry-After when the fsync failed; the disk's
 * next good moment accepts webhooks again.
 */
class InboxDurabilityTest {

  @TempDir
  Path dataDir;

  Vertx vertx;
  Server server;
  FaultyDisk disk = new FaultyDisk();
  TestHttp http;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    AppConfig config = AppConfig.from(new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("DATA_DIR", dataDir.toString()));
    server = Server.start(vertx, config, disk).await(30, TimeUnit.SECONDS);
    http = new TestHttp(server.port());
  }

  @AfterEach
  void stop() throws Exception {
    server.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static String profile(String slug) {
    return WebhookDeliveryTest.profile(slug, "Founder");
  }

  @Test
  void aWebhookIsAnsweredOnlyAfterItsFsyncReturned() throws Exception {
    CountDownLatch release = disk.holdForces();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/lh-webhook/upsertLeadOnly"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(profile("slow-disk"))).build();
    CompletableFuture<HttpResponse<String>> reply = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());

    assertThat(disk.awaitForceHeld(20, TimeUnit.SECONDS)).as("the journal reached its fsync").isTrue();
    long returnedBefore = disk.forcesReturned();
    // However long the fsync takes, the sender hears nothing before it returns.
    assertThat(reply.isDone()).isFalse();
    release.countDown();

    HttpResponse<String> answered = reply.get(20, TimeUnit.SECONDS);
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(disk.forcesReturned()).isGreaterThan(returnedBefore);
    assertThat(new JsonObject(answered.body()).getString("status")).isEqualTo("accepted");
  }

  @Test
  void aFailedFsyncAnswers503WithRetryAfterAndTheNextWebhookIsAccepted() {
    disk.failNextForces(1);
    TestHttp.Reply refused = http.post("/lh-webhook/upsertLeadOnly", profile("bad-disk"));
    assertThat(refused.status()).as(refused.body()).isEqualTo(503);
    assertThat(refused.header("Retry-After")).isEqualTo("5");
    assertThat(refused.json().getString("error")).isEqualTo("the webhook could not be stored durably; retry shortly");

    TestHttp.Reply retried = http.post("/lh-webhook/upsertLeadOnly?wait=true", profile("bad-disk"));
    assertThat(retried.status()).as(retried.body()).isEqualTo(200);
    assertThat(retried.json().getString("status")).isEqualTo("delivered");
    assertThat(retried.json().getBoolean("duplicate")).isFalse();
    assertThat(http.get("/api/inbox").json().getInteger("delivered")).isEqualTo(1);
  }
}
