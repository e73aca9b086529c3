package pbwebhook.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery loop against workers on a real event bus: a client that was removed, a client whose
 * worker is only late, and a large body whose slices each take longer than the acknowledgement timeout.
 */
class InboxDeliveryTest {

  /** Fast retries so a test sees many attempts; a removed client is given up after 5. */
  private static final InboxDelivery.Policy FAST = new InboxDelivery.Policy(10, 50, 5);
  private static final WebhookKind KIND = new WebhookKind("test-items", id -> "client." + id + ".test",
      e -> new JsonObject(e.body().toString()), WebhookKind.MessageSlicer.byArray("items", 10, Integer.MAX_VALUE, x -> 1));

  @TempDir
  Path dir;

  Vertx vertx;
  Inbox inbox;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    inbox = Inbox.open(new Inbox.Settings(dir, true, Duration.ofHours(1), InboxJournal.DEFAULT_SEGMENT_BYTES));
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    inbox.close().get(10, TimeUnit.SECONDS);
  }

  private void deploy(Duration ackTimeout, Set<String> removedClients) throws Exception {
    InboxDelivery delivery = new InboxDelivery(inbox, new WebhookKinds(List.of(KIND)), ackTimeout,
        id -> Future.succeededFuture(!removedClients.contains(id)), FAST);
    vertx.deployVerticle(delivery).await(10, TimeUnit.SECONDS);
  }

  private String accept(String client, int items) throws Exception {
    JsonArray list = new JsonArray();
    IntStream.range(0, items).forEach(i -> list.add(new JsonObject().put("n", i)));
    return inbox.accept(client, KIND.name(), new JsonObject(), null, Buffer.buffer(new JsonObject().put("items", list).encode()),
        Instant.now()).await(10, TimeUnit.SECONDS).inboxId();
  }

  private static void awaitCondition(String what, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError(what + " not reached within 20 s");
      Thread.sleep(10);
    }
  }

  private String status(String id) {
    var o = inbox.outcome(id);
    return o.isComplete() ? o.result().getString("status") : "pending";
  }

  @Test
  void anEntryForARemovedClientIsDeadLetteredWithItsReasonWhileALateWorkerIsWaitedFor() throws Exception {
    deploy(Duration.ofSeconds(5), Set.of("gone"));
    String gone = accept("gone", 1);
    String late = accept("late", 1);

    awaitCondition("the removed client's entry dead-lettered", () -> "dead".equals(status(gone)));
    JsonObject dead = inbox.dead(null, 10).getJsonObject(0);
    assertThat(dead.getString("inboxId")).isEqualTo(gone);
    assertThat(dead.getString("reason")).contains("client 'gone' no longer exists").contains("checked 5 times");
    assertThat(dead.getInteger("attempts")).isEqualTo(5);

    // The client that exists but has no worker yet keeps being retried, well past those 5 attempts.
    awaitCondition("the late client's entry retried 8 times", () -> inbox.retrying(10).stream()
        .anyMatch(o -> late.equals(((JsonObject) o).getString("inboxId")) && ((JsonObject) o).getInteger("attempts") >= 8));
    assertThat(status(late)).isEqualTo("pending");
    vertx.eventBus().<JsonObject>consumer("client.late.test", m -> m.reply(new JsonObject().put("stored", 1)));
    awaitCondition("the late client's entry delivered once its worker runs", () -> "delivered".equals(status(late)));
    assertThat(inbox.counts().getInteger("dead")).isEqualTo(1);
  }

  @Test
  void aBigBodyGoesInSlicesAndASliceReSentAfterItsTimeoutIsNeverProcessedTwiceAtOnce() throws Exception {
    // Each slice takes 400 ms to "write", four times the acknowledgement timeout: every slice is re-sent.
    DeliveryReceiver receiver = new DeliveryReceiver();
    Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
    AtomicInteger runningNow = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    List<Integer> smallDoneAtBigSlice = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger bigSlicesDone = new AtomicInteger();
    vertx.eventBus().<JsonObject>consumer("client.demo.test", m -> {
      JsonObject slice = m.body().getJsonObject(InboxDelivery.SLICE_FIELD);
      int items = m.body().getJsonArray("items").size();
      receiver.once(m.body(), () -> {
        starts.computeIfAbsent(slice.getString("id") + "#" + slice.getInteger("slice"), k -> new AtomicInteger()).incrementAndGet();
        mostAtOnce.accumulateAndGet(runningNow.incrementAndGet(), Math::max);
        Promise<JsonObject> done = Promise.promise();
        vertx.setTimer(items == 1 ? 1 : 400, t -> {
          runningNow.decrementAndGet();
          if (items == 1) smallDoneAtBigSlice.add(bigSlicesDone.get());
          else bigSlicesDone.incrementAndGet();
          done.complete(new JsonObject().put("stored", items).put("errors", new JsonArray().add("slice " + slice.getInteger("slice"))));
        });
        return done.future();
      }).onSuccess(m::reply);
    });
    deploy(Duration.ofMillis(100), Set.of());

    String big = accept("demo", 35);
    awaitCondition("the first slice sent", () -> bigSlicesDone.get() > 0 || runningNow.get() > 0);
    String small = accept("demo", 1);

    awaitCondition("both delivered", () -> "delivered".equals(status(big)) && "delivered".equals(status(small)));
    JsonObject reply = inbox.outcome(big).await(10, TimeUnit.SECONDS).getJsonObject("reply");
    assertThat(reply.getInteger("stored")).isEqualTo(35);
    assertThat(reply.getJsonArray("errors").getList()).containsExactly("slice 0", "slice 1", "slice 2", "slice 3");
    // Every slice processed exactly once although each was sent again while it ran.
    assertThat(starts.keySet()).hasSize(5);
    assertThat(starts.values()).allMatch(n -> n.get() == 1);
    assertThat(receiver.joined()).isPositive();
    assertThat(mostAtOnce.get()).isLessThanOrEqualTo(2);
    // The small webhook after it did not wait for the whole big one.
    assertThat(smallDoneAtBigSlice).hasSize(1);
    assertThat(smallDoneAtBigSlice.get(0)).isLessThan(4);
  }
}
