package pbwebhook.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import io.vertx.core.json.JsonObject;

/**
 * The embedded default at scale, as a new user meets it: the server runs as a child JVM with a bounded heap
 * ({@code -Xmx256m} unless {@code -Dbench.heap=}), a fresh {@code DATA_DIR}, the offline heuristic scorer and
 * demo mode. 50,000 distinct LinkedHelper profiles ({@code -Dbench.leads=}) are posted to
 * {@code /lh-webhook/upsertLeadOnly}; the bench prints the delivery rate into the store for every 5,000 leads
 * (from {@code GET /api/inbox}'s delivered count), the p50 of
 * {@code GET /api/clients/demo/leads?status=To%20Be%20Scored&limit=100} at that size, then the rate of one scoring
 * run over every lead (writes included), the server's heap (jcmd GC.heap_info) and resident memory (VmRSS of
 * /proc/<pid>/status, peak of 5 samples a second). Not part of the test suite: see bench/README.md.
 */
public final class EmbeddedScaleBench {

  static final int LEADS = Integer.getInteger("bench.leads", 50_000);
  static final int SLICE = Integer.getInteger("bench.slice", 5_000);
  static final int SENDERS = Integer.getInteger("bench.senders", 32);
  static final String HEAP = System.getProperty("bench.heap", "256m");
  static final int LIST_SAMPLES = 200;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final Process server;
  private volatile long peakRssKb;

  private EmbeddedScaleBench(int port, Process server) {
    this.base = "http://127.0.0.1:" + port;
    this.server = server;
  }

  public static void main(String[] args) throws Exception {
    Path dataDir = Files.createTempDirectory("embedded-scale-bench");
    Path log = dataDir.resolve("server.log");
    int port = freePort();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx" + HEAP, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), "pbwebhook.Main");
    pb.environment().put("HTTP_HOST", "127.0.0.1");
    pb.environment().put("PORT", String.valueOf(port));
    pb.environment().put("DATA_DIR", dataDir.resolve("data").toString());
    pb.environment().put("AI_PROVIDER", "heuristic");
    pb.environment().put("WEBHOOK_RATE_PER_S", "0");
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    System.out.printf(Locale.ROOT, "cores=%d load=%s leads=%d server heap -Xmx%s data=%s%n",
        Runtime.getRuntime().availableProcessors(), loadAverage(), LEADS, HEAP, dataDir);
    Process server = pb.start();
    EmbeddedScaleBench bench = new EmbeddedScaleBench(port, server);
    int exit = 1;
    try {
      bench.run();
      exit = 0;
    } finally {
      server.destroy();
      server.waitFor();
      String out = Files.readString(log);
      if (out.contains("OutOfMemoryError")) System.out.println("SERVER RAN OUT OF MEMORY (see " + log + ")");
      if (exit != 0) System.out.println(out.lines().limit(40).reduce("", (a, b) -> a + b + "\n"));
      else deleteTree(dataDir);
    }
    System.exit(exit);
  }

  private void run() throws Exception {
    waitForServer();
    Thread rssSampler = new Thread(() -> {
      while (server.isAlive()) {
        peakRssKb = Math.max(peakRssKb, rssKb());
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "rss-sampler");
    rssSampler.setDaemon(true);
    rssSampler.start();

    // 1. deliveries: post every profile, timing each SLICE of deliveries into the store
    double cpu0 = cpuSeconds();
    long t0 = System.nanoTime();
    AtomicLong posted = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Thread poster = new Thread(() -> post(posted, errors), "poster");
    poster.start();
    List<Double> sliceSeconds = new ArrayList<>();
    long sliceStart = t0;
    int nextMark = SLICE;
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    long delivered = 0;
    while (delivered < LEADS && System.nanoTime() < deadline && server.isAlive()) {
      Thread.sleep(50);
      delivered = get("/api/inbox").getLong("delivered", 0L);
      while (delivered >= nextMark && nextMark <= LEADS) {
        long now = System.nanoTime();
        sliceSeconds.add((now - sliceStart) / 1e9);
        System.out.printf(Locale.ROOT, "delivered %6d: slice %.0f leads/s (posted %d)%n", nextMark,
            SLICE / ((now - sliceStart) / 1e9), posted.get());
        sliceStart = now;
        nextMark += SLICE;
      }
    }
    poster.join();
    double deliverySeconds = (System.nanoTime() - t0) / 1e9;
    double deliveryCpu = cpuSeconds() - cpu0;
    if (delivered < LEADS) throw new IllegalStateException("only " + delivered + " of " + LEADS + " delivered");
    String heapAfterDelivery = heapInfo();
    long rssAfterDelivery = rssKb();

    // 2. the filtered list at full size
    String listUri = "/api/clients/demo/leads?status=To%20Be%20Scored&limit=100";
    for (int i = 0; i < 20; i++) get(listUri);
    long[] lat = new long[LIST_SAMPLES];
    int count = 0;
    for (int i = 0; i < LIST_SAMPLES; i++) {
      long s = System.nanoTime();
      count = get(listUri).getInteger("count");
      lat[i] = System.nanoTime() - s;
    }
    Arrays.sort(lat);

    // 3. one scoring run over every lead
    double cpu1 = cpuSeconds();
    long s0 = System.nanoTime();
    JsonObject started = post("/run-batch-score?clientId=demo&limit=" + LEADS, "");
    String runId = started.getJsonArray("runs").getJsonObject(0).getString("runId");
    JsonObject run;
    do {
      Thread.sleep(250);
      run = get("/api/runs/" + runId);
    } while ("running".equals(run.getString("status")) && server.isAlive());
    double scoringSeconds = (System.nanoTime() - s0) / 1e9;
    double scoringCpu = cpuSeconds() - cpu1;
    JsonObject counts = run.getJsonObject("counts");
    String heapAfterScoring = heapInfo();

    double first = SLICE / sliceSeconds.get(0);
    double last = SLICE / sliceSeconds.get(sliceSeconds.size() - 1);
    System.out.println();
    System.out.printf(Locale.ROOT, "delivery: %d leads in %.1f s = %.0f leads/s (target >= 1000), post errors %d%n",
        LEADS, deliverySeconds, LEADS / deliverySeconds, errors.get());
    System.out.printf(Locale.ROOT, "delivery: server CPU %.1f s = %.0f leads per server CPU-second%n",
        deliveryCpu, LEADS / deliveryCpu);
    System.out.printf(Locale.ROOT, "last/first slice: %.0f / %.0f = %.2f (target >= 0.8)%n", last, first, last / first);
    System.out.printf(Locale.ROOT, "list ?status=To Be Scored&limit=100 at %d leads: %d records, p50 %.2f ms, p99 %.2f ms"
        + " (target p50 <= 20 ms)%n", LEADS, count, lat[LIST_SAMPLES / 2] / 1e6, lat[LIST_SAMPLES * 99 / 100] / 1e6);
    System.out.printf(Locale.ROOT, "scoring: run %s %s, %s in %.1f s = %.0f leads/s (target >= 500)%n", runId,
        run.getString("status"), counts.encode(), scoringSeconds, counts.getInteger("processed") / scoringSeconds);
    System.out.printf(Locale.ROOT, "scoring: server CPU %.1f s = %.0f leads per server CPU-second%n",
        scoringCpu, counts.getInteger("processed") / scoringCpu);
    System.out.printf(Locale.ROOT, "heap after delivery: %s%nheap after scoring:  %s%n", heapAfterDelivery, heapAfterScoring);
    System.out.printf(Locale.ROOT, "resident: %d MB after delivery, %d MB peak (target <= 450 MB); server alive: %s%n",
        rssAfterDelivery / 1024, peakRssKb / 1024, server.isAlive());
    System.out.printf(Locale.ROOT, "load average at the end: %s%n", loadAverage());
  }

  /** SENDERS requests in flight at once until every profile is posted. */
  private void post(AtomicLong posted, AtomicLong errors) {
    Semaphore inFlight = new Semaphore(SENDERS);
    List<CompletableFuture<?>> tail = new ArrayList<>();
    for (int n = 1; n <= LEADS; n++) {
      inFlight.acquireUninterruptibly();
      HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/lh-webhook/upsertLeadOnly"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(profile(n))).build();
      CompletableFuture<?> f = http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
        if (e != null || r.statusCode() != 200) errors.incrementAndGet();
        posted.incrementAndGet();
        inFlight.release();
      });
      if (n > LEADS - SENDERS) tail.add(f);
    }
    CompletableFuture.allOf(tail.toArray(CompletableFuture[]::new)).join();
  }

  /** A distinct LinkedHelper profile of about 1 KB, with an About long enough to be scored. */
  static String profile(int n) {
    return new JsonObject().put("profileUrl", "https://www.linkedin.com/in/scale-bench-" + n + "/")
        .put("publicId", "scale-bench-" + n).put("memberId", String.valueOf(100_000_000 + n))
        .put("firstName", "Lead").put("lastName", "Number " + n)
        .put("headline", (n % 3 == 0 ? "Founder at " : "Head of Operations at ") + "Company " + (n % 997) + " | AI for SMEs")
        .put("locationName", "Brisbane, Queensland, Australia")
        .put("summary", "Building practical automation products for small firms since " + (2000 + n % 25)
            + ". Interested in applied AI, sales and growth.")
        .put("email", "lead" + n + "@example.org").put("companyName", "Company " + (n % 997))
        .put("experience", new io.vertx.core.json.JsonArray()
            .add(new JsonObject().put("title", "Founder").put("company", "Company " + (n % 997))
                .put("dateRange", "Jan 2022 – Present").put("description", "Product and sales."))
            .add(new JsonObject().put("title", "Head of Product").put("company", "Sample SaaS")
                .put("dates", "2018 – 2021").put("description", "Led a team of 6.")))
        .put("member_distance", "DISTANCE_2").put("degree", 2)
        .put("lastRefreshed", "2025-06-30T14:05:00Z").encode();
  }

  private void waitForServer() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) throw new IllegalStateException("server exited with " + server.exitValue());
      try {
        get("/api/clients/demo");
        return;
      } catch (IOException | IllegalStateException e) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("server did not answer within 120 s");
  }

  private JsonObject get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  private JsonObject post(String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private JsonObject send(HttpRequest req) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() >= 300) throw new IllegalStateException(req.uri() + " answered " + r.statusCode() + ": " + r.body());
    return new JsonObject(r.body());
  }

  private long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(server.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | RuntimeException e) {
      // the process has gone
    }
    return 0;
  }

  /** User + system CPU time of the server process so far (a figure the machine's other load does not inflate). */
  private double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(server.pid()), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // fields 14 and 15 of stat (utime, stime), counted after the command name; clock ticks of 1/100 s
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The server's heap as jcmd reports it (used after the last GC, committed, max). */
  private String heapInfo() {
    try {
      Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          String.valueOf(server.pid()), "GC.heap_info").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out.lines().filter(l -> l.contains("total") && l.contains("used")).findFirst().orElse(out).trim();
    } catch (IOException | InterruptedException e) {
      return "unavailable: " + e.getMessage();
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
