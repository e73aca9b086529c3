package pbwebhook.bench;

import pbwebhook.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import pbwebhook.Server;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.AirtableBases;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.store.schema.Clients;

/**
 * Ingest N profiles per client and score them, against the fake Airtable enforcing 5 requests/s per base,
 * for 1 and for 3 clients. Prints requests, 429s, wall time and the ratio of wall time to the floor: the least
 * time in which a 1 s rolling window of 5 requests lets the needed requests start, ceil(N / 5) − 1 seconds (5 at
 * 0 s, 5 at 1 s, …, the last group at ceil(N / 5) − 1 s), per base; bases run in parallel.
 *
 * <p>Run: {@code bench/run AirtableBench [profilesPerClient=300]}
 */
public final class AirtableBench {

  private static final String KEY = "patBENCHKEY.000000";
  private static final String ADMIN = "bench-admin";
  private static final String SECRET = "bench-secret";
  private static final int RPS = 5;
  private static final String MASTER = "appBenchMaster00";

  private record Phase(String name, int clients, int requests, int floorRequests, int rate429s, double wallS) {
    /** N requests through a 1 s rolling window of RPS: the last group can start at ceil(N / RPS) − 1 s. */
    double floorS() { return Math.max(0, (floorRequests + RPS - 1) / RPS - 1); }
    double ratio() { return wallS / floorS(); }
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    System.out.printf("Airtable store benchmark: %d profiles per client, fake Airtable at %d requests/s per base%n", n, RPS);
    System.out.printf("%-8s %-8s %10s %8s %8s %10s %10s %8s%n", "phase", "clients", "req/base", "needed", "429s",
        "wall s", "floor s", "ratio");
    List<Phase> all = new ArrayList<>();
    for (int clients : new int[] {1, 3}) all.addAll(scenario(n, clients));
    for (Phase p : all) {
      System.out.printf("%-8s %-8d %10d %8d %8d %10.2f %10.2f %8.3f%n", p.name(), p.clients(), p.requests(),
          p.floorRequests(), p.rate429s(), p.wallS(), p.floorS(), p.ratio());
    }
    double one = all.get(0).wallS() + all.get(1).wallS();
    double three = all.get(2).wallS() + all.get(3).wallS();
    System.out.printf("3 clients vs 1 client, ingest + scoring wall time: %.2f s vs %.2f s = %.2fx%n", three, one, three / one);
    System.exit(0);
  }

  private static List<Phase> scenario(int n, int clientCount) throws Exception {
    Vertx fakeVertx = Vertx.vertx();
    Vertx vertx = Vertx.vertx();
    FakeAirtable fake = new FakeAirtable(fakeVertx, KEY);
    Await.within(fake.start(), 600);
    fake.rateLimit(RPS);
    AirtableBases.master(fake, MASTER);
    List<String> ids = new ArrayList<>();
    List<String> bases = new ArrayList<>();
    for (int c = 0; c < clientCount; c++) {
      String base = "appBenchClient" + c + "0";
      AirtableBases.clientBase(fake, base);
      AirtableBases.addClient(fake, MASTER, "client-" + c, base, Clients.STATUS_ACTIVE);
      ids.add("client-" + c);
      bases.add(base);
    }
    Server server = Await.within(Server.start(vertx, AppConfig.from(new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("AIRTABLE_API_KEY", KEY).put("MASTER_CLIENTS_BASE_ID", MASTER)
        .put("AIRTABLE_ENDPOINT_URL", fake.url()).put("AIRTABLE_RPS", RPS)
        .put("ADMIN_TOKEN", ADMIN).put("PB_WEBHOOK_SECRET", SECRET)
        .put("DATA_DIR", java.nio.file.Files.createTempDirectory("airtable-bench").toString())
        .put("WEBHOOK_RATE_PER_S", 0))), 600);
    HttpClient http = HttpClient.newHttpClient();
    String root = "http://127.0.0.1:" + server.port();
    try {
      int before = totalRequests(fake, bases);
      int before429 = fake.all429s();
      ExecutorService pool = Executors.newFixedThreadPool(16 * clientCount);
      long t0 = System.nanoTime();
      List<Future<Integer>> posts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        for (String id : ids) {
          String body = new JsonObject().put("profileUrl", "https://www.linkedin.com/in/bench-" + id + "-" + i)
              .put("firstName", "Bench").put("headline", i % 2 == 0 ? "Founder at Bench " + i : "Engineer " + i)
              .put("summary", "Benchmark profile " + i + ", an about text comfortably over forty characters.").encode();
          posts.add(pool.submit(() -> http.send(HttpRequest.newBuilder(URI.create(root + "/lh-webhook/upsertLeadOnly?clientId=" + id))
              .header("X-Webhook-Secret", SECRET).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).statusCode()));
        }
      }
      for (Future<Integer> f : posts) if (f.get() != 200) throw new IllegalStateException("ingest answered " + f.get());
      // Accepted once durable in the inbox; ingest is done when the inbox has delivered every profile.
      awaitDelivered(http, root, n * clientCount);
      double ingestWall = (System.nanoTime() - t0) / 1e9;
      pool.shutdown();
      pool.awaitTermination(10, TimeUnit.SECONDS);
      // Per base: the lead index load, then one upsert per 10 profiles.
      Phase ingest = new Phase("ingest", clientCount, (totalRequests(fake, bases) - before) / clientCount,
          (n + 9) / 10 + 1, fake.all429s() - before429, ingestWall);

      int beforeScore = totalRequests(fake, bases);
      int beforeMaster = fake.requests(MASTER);
      int beforeScore429 = fake.all429s();
      long t1 = System.nanoTime();
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(root + "/run-batch-score?wait=true"))
          .header("Authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString());
      double scoreWall = (System.nanoTime() - t1) / 1e9;
      JsonObject summary = new JsonObject(r.body()).getJsonObject("summary");
      if (summary.getInteger("totalSuccessful") != n * clientCount) {
        throw new IllegalStateException("scored " + summary.getInteger("totalSuccessful") + " of " + n * clientCount);
      }
      // Per base: the rubric, the pages of 100, the writes of 10, and the query for failed leads to retry. The
      // Execution Log entries go to the shared master base, mostly while other bases are still busy.
      int masterRequests = fake.requests(MASTER) - beforeMaster;
      int neededScore = 1 + (n + 99) / 100 + (n + 9) / 10 + 1;
      System.out.printf("  (scoring, %d client(s): %d requests to the master base for the Execution Log, not in the floor)%n",
          clientCount, masterRequests);
      // The runs' own span (first start to last finish); the reply above also waited for the log entries.
      java.time.Instant first = null, last = null;
      for (Object o : new JsonObject(r.body()).getJsonArray("clientResults")) {
        JsonObject run = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(root + "/api/runs/"
            + ((JsonObject) o).getString("runId"))).header("Authorization", "Bearer " + ADMIN).GET().build(),
            HttpResponse.BodyHandlers.ofString()).body());
        java.time.Instant s0 = java.time.Instant.parse(run.getString("startedAt"));
        java.time.Instant s1 = java.time.Instant.parse(run.getString("finishedAt"));
        first = first == null || s0.isBefore(first) ? s0 : first;
        last = last == null || s1.isAfter(last) ? s1 : last;
      }
      double runsWall = java.time.Duration.between(first, last).toNanos() / 1e9;
      System.out.printf("  (scoring, %d client(s): runs took %.2f s; the reply, after every Execution Log entry, %.2f s)%n",
          clientCount, runsWall, scoreWall);
      Phase score = new Phase("scoring", clientCount, (totalRequests(fake, bases) - beforeScore) / clientCount,
          neededScore, fake.all429s() - beforeScore429, runsWall);
      return List.of(ingest, score);
    } finally {
      Await.within(server.stop(), 600);
      Await.within(vertx.close(), 600);
      Await.within(fake.close(), 600);
      Await.within(fakeVertx.close(), 600);
    }
  }

  private static void awaitDelivered(HttpClient http, String root, int expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      JsonObject inbox = new JsonObject(http.send(HttpRequest.newBuilder(URI.create(root + "/api/inbox"))
          .header("Authorization", "Bearer " + ADMIN).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
      if (inbox.getInteger("delivered", 0) + inbox.getInteger("dead", 0) >= expected
          && inbox.getInteger("pending", 0) == 0 && inbox.getInteger("inFlight", 0) == 0) {
        if (inbox.getInteger("dead", 0) > 0) throw new IllegalStateException("dead letters: " + inbox.encode());
        return;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("inbox not drained in 5 minutes");
  }

  private static int totalRequests(FakeAirtable fake, List<String> bases) {
    return bases.stream().mapToInt(fake::requests).sum();
  }
}
