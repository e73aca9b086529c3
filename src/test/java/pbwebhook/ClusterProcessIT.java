package pbwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.fakes.AirtableBases;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.Leads;

/**
 * Three packaged members started at once as child processes (free ports, a cluster name of their own) on the
 * in-repo fake Airtable, with a 20 s heartbeat timeout (the shortest accepted) and the default 15 s lease: they form one cluster
 * and spread the clients, one owner each, that every member reports alike; a member frozen (SIGSTOP) for 75 s
 * mid-run never leaves two owners (its run is ended by the new owner and not resumed, no duplicate lead) and the
 * others accept every webhook meanwhile; survivors accept every webhook while a member is killed; a killed owner's run ends within a minute with "owner left" and a log entry; an
 * owner's SIGTERM lets its run complete.
 */
@Timeout(value = 14, unit = TimeUnit.MINUTES)
class ClusterProcessIT {

  static final String ADMIN = "adm-cluster-4e1d";
  static final String HOOK = "hook-cluster-9a2c";
  static final String KEY = "patCLUSTERIT.0001";
  static final String MASTER = "appClusterItMast1";
  static final int CLIENTS = 8;
  static final int HEARTBEAT_S = 20;
  /** How long a member is frozen: as the scenario, well past the heartbeat timeout. */
  static final int FREEZE_S = 75;
  static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + ADMIN);
  static final Map<String, String> JSON = Map.of("Content-Type", "application/json", "X-Webhook-Secret", HOOK);

  @TempDir
  Path tmp;

  Vertx vertx;
  FakeAirtable fake;
  final List<ServerProcess> started = new ArrayList<>();
  final HttpClient quick = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  @BeforeEach
  void fakeAirtable() throws Exception {
    vertx = Vertx.vertx();
    fake = new FakeAirtable(vertx, KEY);
    fake.start().await(10, TimeUnit.SECONDS);
    // A base briefly written by two members (a client changing hands) can draw a 429: 5 s of penalty, not 30.
    fake.penaltyMillis(5_000);
    AirtableBases.master(fake, MASTER);
    for (int i = 0; i < CLIENTS; i++) {
      AirtableBases.clientBase(fake, base(i));
      AirtableBases.addClient(fake, MASTER, client(i), base(i), Clients.STATUS_ACTIVE);
    }
  }

  @AfterEach
  void stopAll() throws Exception {
    started.forEach(s -> s.process.destroyForcibly());
    for (ServerProcess s : started) s.process.waitFor(20, TimeUnit.SECONDS);
    fake.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static String client(int i) { return "c" + i; }

  static String base(int i) { return "appClusterItBas" + i; }

  @Test
  void threeMembersStartedTogetherKeepOneOwnerPerClientThroughFreezeCrashAndShutdown() throws Exception {
    // --- Started together: one cluster, each client owned once, spread over the members. ---
    String name = "pb-it-" + UUID.randomUUID();
    int[] hz = {FreePort.pick(), FreePort.pick(), FreePort.pick()};
    String members = "127.0.0.1:" + hz[0] + ",127.0.0.1:" + hz[1] + ",127.0.0.1:" + hz[2];
    // The members' logs outlive the test (target/cluster-it), for a failure's post-mortem.
    Path logs = Files.createDirectories(Path.of(System.getProperty("cluster.it.logs", "target/cluster-it")));
    for (int i = 0; i < 3; i++) Files.deleteIfExists(logs.resolve("member-" + i + ".log"));
    long t0 = System.nanoTime();
    for (int i = 0; i < 3; i++) {
      Map<String, String> env = new HashMap<>(Map.ofEntries(
          Map.entry("ADMIN_TOKEN", ADMIN), Map.entry("PB_WEBHOOK_SECRET", HOOK), Map.entry("WEBHOOK_RATE_PER_S", "0"),
          Map.entry("AIRTABLE_API_KEY", KEY), Map.entry("MASTER_CLIENTS_BASE_ID", MASTER),
          Map.entry("AIRTABLE_ENDPOINT_URL", fake.url()), Map.entry("AI_PROVIDER", "heuristic"),
          Map.entry("SHUTDOWN_TIMEOUT_S", "40"), Map.entry("AIRTABLE_RATE_LIMIT_PENALTY_S", "5"), Map.entry("INBOX_ACK_TIMEOUT_S", "15"),
          Map.entry("CLUSTER", "true"), Map.entry("CLUSTER_NAME", name), Map.entry("CLUSTER_PORT", Integer.toString(hz[i])),
          Map.entry("CLUSTER_MEMBERS", members), Map.entry("CLUSTER_HEARTBEAT_TIMEOUT_S", Integer.toString(HEARTBEAT_S)),
          Map.entry("CLUSTER_OWNERSHIP_SWEEP_MS", "500")));
      // Quick-starting JVMs and fewer partitions: three members starting at once on a small machine.
      started.add(ServerProcess.launch(tmp.resolve("data-" + i), logs.resolve("member-" + i + ".log"), env,
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dhazelcast.partition.count=23"));
    }
    for (ServerProcess s : started) s.awaitHealthy(Duration.ofSeconds(180));
    Map<String, ServerProcess> byNode = new LinkedHashMap<>();
    awaitSettled(started, Duration.ofSeconds(60), byNode);
    // The first member ready may hold everything for a moment; the others' readiness spreads the clients.
    awaitMs(Duration.ofSeconds(60), () -> {
      Map<String, String> seen = ownersSeenBy(started);
      return seen != null && new HashSet<>(seen.values()).size() >= 2;
    });
    Map<String, String> owners = awaitSettled(started, Duration.ofSeconds(60), byNode);
    System.out.printf("cluster-it: 3 members settled %d ms after launch; owners %s%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), owners);
    assertThat(owners).hasSize(CLIENTS);
    assertThat(new HashSet<>(owners.values())).as("clients spread over the members").hasSizeGreaterThanOrEqualTo(2);

    Sampler sampler = new Sampler(started);
    Thread sampling = new Thread(sampler, "ownership-sampler");
    sampling.setDaemon(true);
    sampling.start();
    try {
      // --- A member frozen for 75 s (past the heartbeat timeout) mid-run: its clients move, it never owns them
      // alongside the new owners, its run is ended by the new owner and never resumed, and every webhook posted to
      // the others meanwhile is accepted. ---
      String frozenNode = owners.values().iterator().next();
      ServerProcess frozen = byNode.get(frozenNode);
      List<ServerProcess> survivors = started.stream().filter(s -> s != frozen).toList();
      String frozenClient = owners.entrySet().stream().filter(e -> e.getValue().equals(frozenNode)).map(Map.Entry::getKey)
          .findFirst().orElseThrow();
      String frozenBase = base(Integer.parseInt(frozenClient.substring(1)));
      addLeads(frozenBase, "freeze", 400);
      String frozenRun = startRun(survivors.get(0), frozenClient, 400);
      awaitRunning(survivors.get(0), frozenRun);
      Poster poster = new Poster(survivors, "freeze");
      Thread posting = new Thread(poster, "poster");
      posting.start();
      signal("STOP", frozen);
      long frozenAt = System.nanoTime();
      long movedMs = awaitMs(Duration.ofSeconds(FREEZE_S), () -> {
        Map<String, String> seen = ownersSeenBy(survivors);
        return seen != null && seen.size() == CLIENTS && !seen.containsValue(frozenNode);
      });
      // The new owner ends the frozen owner's run ("owner left") and runs the client's next run itself.
      JsonObject ownerLeft = awaitRunStatus(survivors.get(0), frozenRun, "failed", Duration.ofSeconds(30));
      long frozenRunEndedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozenAt);
      assertThat(ownerLeft.getJsonArray("errors").encode()).contains("owner left");
      String nextRun = startRun(survivors.get(1), frozenClient, 400);
      JsonObject next = awaitRunStatus(survivors.get(1), nextRun, "completed",
          Duration.ofNanos(Math.max(TimeUnit.SECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(FREEZE_S) - (System.nanoTime() - frozenAt))));
      assertThat(Instant.parse(next.getString("startedAt"))).as("the next run starts after the frozen one ended")
          .isAfterOrEqualTo(Instant.parse(ownerLeft.getString("finishedAt")));
      long remaining = TimeUnit.SECONDS.toNanos(FREEZE_S) - (System.nanoTime() - frozenAt);
      if (remaining > 0) TimeUnit.NANOSECONDS.sleep(remaining); // the freeze lasts its full length
      signal("CONT", frozen);
      long resumedAt = System.nanoTime();
      // A member that merges back may come back under a new node id: the map learns it.
      Map<String, String> afterMerge = awaitSettled(started, Duration.ofSeconds(120), byNode);
      long mergedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - resumedAt);
      poster.stop.set(true);
      posting.join(30_000);
      System.out.printf("cluster-it: frozen member's clients owned by survivors %d ms after SIGSTOP; its run ended "
          + "'owner left' %d ms after SIGSTOP; one cluster again %d ms after SIGCONT; %d webhooks posted during the "
          + "freeze, %d not accepted: %s%n", movedMs, frozenRunEndedMs, mergedMs, poster.sent.get(),
          poster.refused.size(), poster.refused);
      assertThat(poster.refused).as("webhooks not accepted while a member was frozen").isEmpty();
      assertThat(afterMerge).hasSize(CLIENTS);
      awaitAllStored(poster.slugs);
      // The resumed member neither rewrote the runs' records nor wrote a log entry for its stale run.
      TimeUnit.SECONDS.sleep(5);
      JsonObject frozenRunAfter = survivors.get(0).http.get("/api/runs/" + frozenRun, AUTH).json();
      assertThat(frozenRunAfter.getString("status")).as(frozenRunAfter.encode()).isEqualTo("failed");
      assertThat(frozenRunAfter.getString("finishedAt")).isEqualTo(ownerLeft.getString("finishedAt"));
      assertThat(survivors.get(0).http.get("/api/runs/" + nextRun, AUTH).json().getString("status")).isEqualTo("completed");
      String frozenLog = executionLog(frozenClient);
      assertThat(frozenLog.split("owner left", -1).length - 1).as(frozenLog).isEqualTo(1);
      assertThat(frozenLog.split("STATUS: ", -1).length - 1).as("one log entry per run: " + frozenLog).isEqualTo(2);
      assertThat(fake.records(frozenBase, Leads.TABLE).stream().map(r -> r.getJsonObject("fields"))
          .filter(f -> f.getString(Leads.LINKEDIN_PROFILE_URL, "").contains("/freeze-lead-"))
          .filter(f -> !Leads.SCORED.equals(f.getString(Leads.SCORING_STATUS)))).as("leads of the frozen client left unscored")
          .isEmpty();

      // --- kill -9 of an owner mid-run: survivors accept every webhook; the run ends within a minute. ---
      int victimIndex = client(1).equals(frozenClient) ? 3 : 1;   // a client with no "owner left" entry yet
      String victimClient = client(victimIndex);
      ServerProcess victim = byNode.get(afterMerge.get(victimClient));
      List<ServerProcess> alive = started.stream().filter(s -> s != victim).toList();
      addLeads(base(victimIndex), "kill", 300);
      String runId = startRun(alive.get(0), victimClient, 300);
      awaitRunning(alive.get(0), runId);
      Poster killPoster = new Poster(alive, "kill");
      Thread killPosting = new Thread(killPoster, "kill-poster");
      killPosting.start();
      victim.process.destroyForcibly();
      long killedAt = System.nanoTime();
      victim.process.waitFor(10, TimeUnit.SECONDS);
      String victimNode = afterMerge.get(victimClient);
      long killTakeoverMs = awaitMs(Duration.ofSeconds(60), () -> {
        Map<String, String> seen = ownersSeenBy(alive);
        return seen != null && seen.size() == CLIENTS && !seen.containsValue(victimNode);
      });
      JsonObject ended = awaitRunStatus(alive.get(0), runId, "failed", Duration.ofSeconds(60));
      long endedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      TimeUnit.SECONDS.sleep(3); // webhooks keep arriving after the takeover
      killPoster.stop.set(true);
      killPosting.join(30_000);
      System.out.printf("cluster-it: killed owner's clients owned by survivors %d ms after kill -9, its run ended %d ms "
          + "after; %d webhooks posted to survivors, %d not accepted%n", killTakeoverMs, endedMs, killPoster.sent.get(),
          killPoster.refused.size());
      assertThat(ended.getJsonArray("errors").encode()).contains("owner left");
      assertThat(killPoster.refused).as("every webhook accepted while a member was killed").isEmpty();
      assertThat(executionLog(victimClient)).contains("STATUS: Failed").contains("owner left");
      awaitAllStored(killPoster.slugs);
      sampler.remove(victim);

      // --- SIGTERM of an owner mid-run: the run completes before the member leaves. ---
      Map<String, String> now = awaitSettled(alive, Duration.ofSeconds(60), new HashMap<>());
      String termClient = client(2);
      ServerProcess terminated = alive.stream().filter(s -> nodeOf(s).equals(now.get(termClient))).findFirst().orElseThrow();
      ServerProcess other = alive.stream().filter(s -> s != terminated).findFirst().orElseThrow();
      addLeads(base(2), "term", 60);
      String termRun = startRun(other, termClient, 60);
      awaitRunning(other, termRun);
      sampler.remove(terminated);
      terminated.process.destroy();
      JsonObject completed = awaitRunStatus(other, termRun, "completed", Duration.ofSeconds(50));
      assertThat(completed.getJsonObject("counts").getInteger("successful")).isEqualTo(60);
      assertThat(terminated.process.waitFor(50, TimeUnit.SECONDS)).as("SIGTERM'd member exited").isTrue();
    } finally {
      sampler.stop.set(true);
      sampling.join(10_000);
    }
    Map<String, Integer> duplicates = new TreeMap<>();
    for (int i = 0; i < CLIENTS; i++) {
      String b = base(i);
      slugsIn(b).forEach((slug, n) -> { if (n > 1) duplicates.put(b + "/" + slug, n); });
    }
    System.out.printf("cluster-it: %d ownership samples, %d with two owners of one client; %d duplicate leads; "
        + "%d Airtable 429s%n", sampler.rounds.get(), sampler.violations.size(), duplicates.size(), fake.rateLimited429s());
    assertThat(sampler.violations).as("moments where two members held a valid lease on one client").isEmpty();
    assertThat(sampler.rounds.get()).isGreaterThan(20);
    for (int i = 0; i < CLIENTS; i++) assertNoDuplicateLeads(base(i));
  }

  // ---------------------------------------------------------------------------------------------------------

  static void signal(String sig, ServerProcess s) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(s.process.pid())).inheritIO().start();
    assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  /** {@code /api/clients} from a member within 2 s, or null (frozen, gone or busy). */
  JsonObject clientsOf(ServerProcess s) {
    try {
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port + "/api/clients"))
          .timeout(Duration.ofSeconds(2)).header("Authorization", "Bearer " + ADMIN).GET().build();
      HttpResponse<String> r = quick.send(req, HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? new JsonObject(r.body()) : null;
    } catch (Exception e) {
      return null;
    }
  }

  String nodeOf(ServerProcess s) {
    JsonObject j = clientsOf(s);
    return j == null ? null : j.getString("member");
  }

  /**
   * The owners every given member reports alike, once they all see exactly these members, every client has an
   * owner among them, and the members' own valid leases are disjoint and cover every client; null otherwise.
   */
  Map<String, String> ownersSeenBy(List<ServerProcess> members) {
    Map<String, String> agreed = null;
    Set<String> owned = new HashSet<>();
    Set<String> nodes = new HashSet<>();
    for (ServerProcess s : members) {
      JsonObject j = clientsOf(s);
      if (j == null || j.getInteger("clusterMembers", 0) != members.size()) return null;
      nodes.add(j.getString("member"));
      Map<String, String> seen = new TreeMap<>();
      for (Object o : j.getJsonArray("clients")) {
        JsonObject c = (JsonObject) o;
        if (c.getString("owner") == null) return null;
        seen.put(c.getString("clientId"), c.getString("owner"));
      }
      if (agreed != null && !agreed.equals(seen)) return null;
      agreed = seen;
      for (Object id : j.getJsonArray("ownedHere")) {
        if (!owned.add((String) id)) return null;
      }
    }
    if (agreed == null || owned.size() != CLIENTS || !nodes.containsAll(agreed.values())) return null;
    return agreed;
  }

  Map<String, String> awaitSettled(List<ServerProcess> members, Duration limit, Map<String, ServerProcess> byNode)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Map<String, String> owners = ownersSeenBy(members);
      if (owners != null) {
        for (ServerProcess s : members) byNode.put(nodeOf(s), s);
        return owners;
      }
      TimeUnit.MILLISECONDS.sleep(250);
    }
    throw new AssertionError("members did not settle on one owner per client within " + limit + "; they report "
        + members.stream().map(this::clientsOf).toList());
  }

  static long awaitMs(Duration limit, java.util.function.BooleanSupplier done) throws InterruptedException {
    long start = System.nanoTime();
    while (System.nanoTime() - start < limit.toNanos()) {
      if (done.getAsBoolean()) return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new AssertionError("not within " + limit);
  }

  /** Samples every member's valid leases twice per round; a client held by i at both of its samples and by j in between is two owners at once. */
  final class Sampler implements Runnable {
    final List<ServerProcess> members;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger rounds = new AtomicInteger();
    final List<String> violations = new CopyOnWriteArrayList<>();

    Sampler(List<ServerProcess> members) {
      this.members = new CopyOnWriteArrayList<>(members);
    }

    void remove(ServerProcess s) {
      members.remove(s);
    }

    Set<String> owned(ServerProcess s) {
      JsonObject j = clientsOf(s);
      if (j == null) return Set.of();
      return j.getJsonArray("ownedHere").stream().map(String::valueOf).collect(Collectors.toSet());
    }

    @Override
    public void run() {
      while (!stop.get()) {
        List<ServerProcess> ms = List.copyOf(members);
        List<Set<String>> first = new ArrayList<>();
        for (ServerProcess s : ms) first.add(owned(s));
        List<Set<String>> second = new ArrayList<>();
        for (ServerProcess s : ms) second.add(owned(s));
        for (int i = 0; i < ms.size(); i++) {
          for (int j = 0; j < ms.size(); j++) {
            if (i == j) continue;
            Set<String> between = j > i ? first.get(j) : second.get(j);
            for (String c : first.get(i)) {
              if (second.get(i).contains(c) && between.contains(c)) {
                violations.add(c + " held by member " + ms.get(i).port + " and member " + ms.get(j).port);
              }
            }
          }
        }
        rounds.incrementAndGet();
      }
    }
  }

  /** Posts profiles to the given members in turn, each profile twice under two spellings of its URL. */
  final class Poster implements Runnable {
    final List<ServerProcess> members;
    final String prefix;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicInteger sent = new AtomicInteger();
    final Map<String, Set<String>> slugs = new ConcurrentHashMap<>();
    final List<String> refused = new CopyOnWriteArrayList<>();

    Poster(List<ServerProcess> members, String prefix) {
      this.members = members;
      this.prefix = prefix;
    }

    @Override
    public void run() {
      int n = 0;
      while (!stop.get()) {
        String clientId = client(n % CLIENTS);
        String slug = prefix + "-" + n;
        for (String url : List.of("https://www.linkedin.com/in/" + slug, "http://linkedin.com/in/" + slug + "/")) {
          ServerProcess to = members.get(sent.get() % members.size());
          String body = new JsonObject().put("profileUrl", url).put("firstName", "K").put("headline", "Founder")
              .put("summary", "A summary long enough for a lead stored during the cluster test.").encode();
          try {
            HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port
                    + "/lh-webhook/upsertLeadOnly?clientId=" + clientId)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("X-Webhook-Secret", HOOK)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> r = quick.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) slugs.computeIfAbsent(clientId, k -> ConcurrentHashMap.newKeySet()).add(slug);
            else refused.add(r.statusCode() + " from " + to.port + ": " + r.body());
          } catch (Exception e) {
            refused.add(e + " from " + to.port);
          }
          sent.incrementAndGet();
        }
        n++;
        try {
          TimeUnit.MILLISECONDS.sleep(40);
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  void awaitAllStored(Map<String, Set<String>> slugs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      Map<String, Set<String>> missing = new TreeMap<>();
      slugs.forEach((clientId, want) -> {
        Set<String> have = slugsIn(base(Integer.parseInt(clientId.substring(1)))).keySet();
        Set<String> m = new HashSet<>(want);
        m.removeAll(have);
        if (!m.isEmpty()) missing.put(clientId, m);
      });
      if (missing.isEmpty()) return;
      if (System.nanoTime() > deadline) throw new AssertionError("accepted webhooks never stored: " + missing);
      TimeUnit.MILLISECONDS.sleep(500);
    }
  }

  /** Leads per profile slug in a base. */
  Map<String, Integer> slugsIn(String baseId) {
    Map<String, Integer> out = new HashMap<>();
    for (JsonObject r : fake.records(baseId, Leads.TABLE)) {
      String url = r.getJsonObject("fields").getString(Leads.LINKEDIN_PROFILE_URL, "");
      String slug = url.replaceAll("/+$", "");
      slug = slug.substring(slug.lastIndexOf('/') + 1);
      out.merge(slug, 1, Integer::sum);
    }
    return out;
  }

  void assertNoDuplicateLeads(String baseId) {
    Map<String, Integer> dup = slugsIn(baseId).entrySet().stream().filter(e -> e.getValue() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(dup).as("profiles stored more than once in " + baseId).isEmpty();
  }

  void addLeads(String baseId, String prefix, int n) {
    for (int i = 0; i < n; i++) {
      String slug = prefix + "-lead-" + i;
      JsonObject profile = new JsonObject().put("headline", "Founder at " + slug)
          .put("about", "Builds things at " + slug + " and writes about them often enough to be scored.")
          .put("experience", new JsonArray().add(new JsonObject().put("title", "Founder").put("company", slug)))
          .put("_experienceCount", 1).put("_originalId", "");
      fake.insert(baseId, Leads.TABLE, new JsonObject()
          .put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/" + slug).put(Leads.FIRST_NAME, slug)
          .put(Leads.PROFILE_FULL_JSON, profile.encode()).put(Leads.SCORING_STATUS, Leads.TO_BE_SCORED));
    }
  }

  static String startRun(ServerProcess via, String clientId, int limit) {
    TestHttp.Reply r = via.http.get("/run-batch-score?clientId=" + clientId + "&limit=" + limit, AUTH);
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().getJsonArray("runs").getJsonObject(0).getString("runId");
  }

  static void awaitRunning(ServerProcess via, String runId) throws InterruptedException {
    awaitMs(Duration.ofSeconds(30), () -> {
      TestHttp.Reply r = via.http.get("/api/runs/" + runId, AUTH);
      return r.status() == 200 && "running".equals(r.json().getString("status"))
          && r.json().getJsonObject("progress").getInteger("total", 0) > 0;
    });
  }

  static JsonObject awaitRunStatus(ServerProcess via, String runId, String status, Duration limit) throws InterruptedException {
    JsonObject[] last = new JsonObject[1];
    try {
      awaitMs(limit, () -> {
        TestHttp.Reply r = via.http.get("/api/runs/" + runId, AUTH);
        if (r.status() != 200) return false;
        last[0] = r.json();
        return !"running".equals(last[0].getString("status"));
      });
    } catch (AssertionError e) {
      throw new AssertionError("run " + runId + " still running after " + limit + ": " + last[0]);
    }
    assertThat(last[0].getString("status")).as(last[0].encode()).isEqualTo(status);
    return last[0];
  }

  String executionLog(String clientId) {
    return fake.records(MASTER, Clients.TABLE).stream().map(r -> r.getJsonObject("fields"))
        .filter(f -> clientId.equals(f.getString(Clients.CLIENT_ID)))
        .map(f -> f.getString(Clients.EXECUTION_LOG, "")).findFirst().orElse("");
  }
}
