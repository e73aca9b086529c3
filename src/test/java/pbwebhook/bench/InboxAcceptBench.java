package pbwebhook.bench;

import pbwebhook.Await;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import pbwebhook.Server;
import pbwebhook.config.AppConfig;

/**
 * Webhook accept throughput and latency of the durable inbox: LinkedHelper profiles posted closed-loop
 * at concurrency 1, 16 and 64, once with INBOX_FSYNC on and once off, in the same run; prints each
 * figure and the fsync-on / fsync-off throughput ratio. Deliveries to the embedded store run at the
 * same time, as in production. Not part of the test suite: see bench/README.md.
 */
public final class InboxAcceptBench {

  static final int[] CONCURRENCY = {1, 16, 64};
  static final long WARMUP_MS = Long.getLong("bench.warmupMs", 2_000);
  static final long MEASURE_MS = Long.getLong("bench.measureMs", 8_000);

  record Result(boolean fsync, int concurrency, long requests, double seconds, long errors, long[] latenciesNs) {
    double perSecond() { return requests / seconds; }
    double percentileMs(double p) {
      if (latenciesNs.length == 0) return Double.NaN;
      return latenciesNs[Math.min(latenciesNs.length - 1, (int) Math.ceil(p * latenciesNs.length) - 1)] / 1e6;
    }
  }

  public static void main(String[] args) throws Exception {
    System.out.printf(Locale.ROOT, "cores=%d java=%s warmup=%dms measure=%dms per level%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), WARMUP_MS, MEASURE_MS);
    Map<String, Result> results = new LinkedHashMap<>();
    for (boolean fsync : new boolean[] {true, false}) {
      for (Result r : runServer(fsync)) results.put(fsync + "/" + r.concurrency(), r);
    }
    System.out.println();
    System.out.println("fsync  conc   req/s    p50 ms   p99 ms   errors");
    for (Result r : results.values()) {
      System.out.printf(Locale.ROOT, "%-5s  %4d  %7.0f  %7.2f  %7.2f  %d%n", r.fsync() ? "on" : "off", r.concurrency(),
          r.perSecond(), r.percentileMs(0.50), r.percentileMs(0.99), r.errors());
    }
    System.out.println();
    System.out.println("conc   fsync-on / fsync-off throughput   (target at 64: >= 2000 req/s, p99 < 50 ms, ratio >= 0.70)");
    for (int c : CONCURRENCY) {
      Result on = results.get("true/" + c);
      Result off = results.get("false/" + c);
      System.out.printf(Locale.ROOT, "%4d   %.2f  (%.0f / %.0f)%n", c, on.perSecond() / off.perSecond(), on.perSecond(), off.perSecond());
    }
    System.exit(0);
  }

  static final long REQUEST_TIMEOUT_MS = 10_000;

  static List<Result> runServer(boolean fsync) throws IOException {
    Path dataDir = Files.createTempDirectory("inbox-bench");
    Vertx serverVertx = Vertx.vertx();
    Vertx clientVertx = Vertx.vertx();
    Server server = Await.within(Server.start(serverVertx, AppConfig.from(new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0)
        .put("DATA_DIR", dataDir.toString()).put("INBOX_FSYNC", fsync).put("WEBHOOK_RATE_PER_S", 0))), 600);
    List<Result> out = new ArrayList<>();
    try {
      AtomicLong seq = new AtomicLong();
      for (int c : CONCURRENCY) {
        HttpClient client = clientVertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
            .setDefaultPort(server.port()).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(c));
        load(client, c, WARMUP_MS, seq, fsync);
        Result r = load(client, c, MEASURE_MS, seq, fsync);
        System.out.printf(Locale.ROOT, "fsync %-3s concurrency %2d: %.0f req/s, p50 %.2f ms, p99 %.2f ms%n",
            fsync ? "on" : "off", c, r.perSecond(), r.percentileMs(0.5), r.percentileMs(0.99));
        out.add(r);
        Await.within(client.close(), 600);
      }
    } finally {
      Await.within(server.stop(), 600);
      Await.within(serverVertx.close(), 600);
      Await.within(clientVertx.close(), 600);
    }
    return out;
  }

  /** {@code concurrency} senders, each posting its next profile as soon as the previous one is answered. */
  static Result load(HttpClient client, int concurrency, long durationMs, AtomicLong seq, boolean fsync) {
    long end = System.nanoTime() + durationMs * 1_000_000;
    long start = System.nanoTime();
    List<long[]> perSender = new ArrayList<>();
    long[] errors = new long[1];
    List<Future<Void>> senders = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      LatencyLog latencies = new LatencyLog();
      Promise<Void> done = Promise.promise();
      senders.add(done.future().onSuccess(v -> {
        synchronized (perSender) {
          perSender.add(latencies.values());
        }
      }));
      next(client, end, seq, latencies, errors, done);
    }
    Await.within(Future.all(senders), 600);
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] all = perSender.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    return new Result(fsync, concurrency, all.length, seconds, errors[0], all);
  }

  private static void next(HttpClient client, long end, AtomicLong seq, LatencyLog latencies, long[] errors, Promise<Void> done) {
    if (System.nanoTime() >= end) {
      done.complete();
      return;
    }
    long n = seq.incrementAndGet();
    Buffer body = Buffer.buffer("{\"profileUrl\":\"https://www.linkedin.com/in/bench-" + n + "\",\"firstName\":\"Bench\","
        + "\"lastName\":\"P" + n + "\",\"headline\":\"Founder at Bench " + n + "\",\"summary\":\"A profile posted by the"
        + " inbox benchmark to measure webhook accept latency.\",\"email\":\"b" + n + "@example.org\"}");
    long t0 = System.nanoTime();
    // A request that gets no connection, or no answer, for 10 s counts as an error (and the sender goes on),
    // instead of stalling the run.
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/lh-webhook/upsertLeadOnly")
            .putHeader("Content-Type", "application/json").setConnectTimeout(REQUEST_TIMEOUT_MS)
            .setIdleTimeout(REQUEST_TIMEOUT_MS))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result() == 200) latencies.add(System.nanoTime() - t0);
          else synchronized (errors) { errors[0]++; }
          next(client, end, seq, latencies, errors, done);
        });
  }

  /** A growable array of latencies for one sender (one event-loop thread, no locking needed). */
  static final class LatencyLog {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
      if (size == values.length) values = Arrays.copyOf(values, size * 2);
      values[size++] = v;
    }

    long[] values() { return Arrays.copyOf(values, size); }
  }
}
