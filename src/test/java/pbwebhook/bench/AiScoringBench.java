package pbwebhook.bench;

import pbwebhook.Await;
import java.util.concurrent.TimeUnit;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import pbwebhook.Server;
import pbwebhook.TestHttp;
import pbwebhook.config.AppConfig;
import pbwebhook.fakes.FakeGemini;
import pbwebhook.scoring.DefaultRubric;
import pbwebhook.scoring.LeadChunkPlanner;
import pbwebhook.ai.Rubric;
import pbwebhook.scoring.RubricParser;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.embedded.EmbeddedStore;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.Leads;
import pbwebhook.store.schema.ScoringAttributes;

/**
 * 300 leads over 3 clients scored against the fake Gemini answering after 800 ms: the server as configured
 * (budget packing, AI_CONCURRENCY calls per client, clients in parallel) against the old server's way in the same
 * run (clients one after another, fixed chunks of 55, one call at a time), and one client alone. Prints wall
 * time, AI calls and prompt tokens per lead, with ratios. Not a test: run it by the command in bench/README.md.
 */
public final class AiScoringBench {

  static final int CLIENTS = 3;
  static final int LEADS_PER_CLIENT = 100;
  static final long LATENCY_MS = 800;
  static final int FIXED_CHUNK = 55;

  record Result(String name, double seconds, int calls, long promptTokens, int scored, int leads) {
    double promptPerLead() { return promptTokens / (double) leads; }
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Result baseline = scenario(vertx, "same code, old server's settings: clients in turn, chunks of 55, 1 call", CLIENTS,
          new JsonObject().put("BATCH_CHUNK_SIZE", FIXED_CHUNK).put("AI_CONCURRENCY", 1)
              .put("AI_MAX_PROMPT_TOKENS", Integer.MAX_VALUE), false);
      Result one = scenario(vertx, "defaults: one client alone", 1, new JsonObject(), true);
      Result parallel = scenario(vertx, "defaults: 3 clients in parallel", CLIENTS, new JsonObject(), true);
      Rubric rubric = RubricParser.fromRecords(DefaultRubric.scoringAttributeRows().stream()
          .map(f -> new Record(null, null, f)).toList());
      double rubricPerLead = LeadChunkPlanner.fixedTokens(rubric) + LeadChunkPlanner.leadTokens(
          new pbwebhook.ai.LeadInput("rec00000000000000", profile(0)));

      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "%-70s %9s %6s %14s %7s%n", "scenario", "wall s", "calls", "prompt tok/lead", "scored"));
      for (Result r : List.of(baseline, one, parallel)) {
        out.append(String.format(Locale.ROOT, "%-70s %9.2f %6d %14.0f %7s%n", r.name(), r.seconds(), r.calls(),
            r.promptPerLead(), r.scored() + "/" + r.leads()));
      }
      out.append(String.format(Locale.ROOT, "rubric sent once per lead (estimate): %.0f prompt tokens per lead%n", rubricPerLead));
      out.append(String.format(Locale.ROOT, "speed-up, 3 clients, defaults vs old settings: %.2fx%n", baseline.seconds() / parallel.seconds()));
      out.append(String.format(Locale.ROOT, "3 clients in parallel / one client alone:    %.2fx (target <= 1.3)%n", parallel.seconds() / one.seconds()));
      out.append(String.format(Locale.ROOT, "prompt tokens per lead, defaults / rubric per lead: %.3f (target <= 0.5)%n", parallel.promptPerLead() / rubricPerLead));
      out.append(String.format(Locale.ROOT, "AI calls, defaults / old settings:           %d / %d%n", parallel.calls(), baseline.calls()));
      System.out.print(out);
    } finally {
      Await.within(vertx.close(), 600);
    }
  }

  static Result scenario(Vertx vertx, String name, int clients, JsonObject settings, boolean parallel) throws Exception {
    FakeGemini gemini = new FakeGemini(vertx, "bench-key", null);
    Await.within(gemini.start(), 600);
    gemini.latencyMs = LATENCY_MS;
    Path dir = Files.createTempDirectory("pbbench");
    seed(vertx, dir, clients);
    JsonObject config = new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0).put("DATA_DIR", dir.toString())
        .put("GEMINI_API_KEY", "bench-key").put("GEMINI_ENDPOINT_URL", gemini.baseUrl()).mergeIn(settings);
    Server server = Await.within(Server.start(vertx, AppConfig.from(config)), 600);
    TestHttp http = new TestHttp(server.port());
    long start = System.nanoTime();
    List<JsonObject> runs = new ArrayList<>();
    if (parallel) {
      JsonObject r = http.get("/run-batch-score?wait=true").json();
      for (Object o : r.getJsonArray("clientResults")) runs.add(http.get("/api/runs/" + ((JsonObject) o).getString("runId")).json());
    } else {
      for (int c = 0; c < clients; c++) {
        JsonObject r = http.get("/run-batch-score?wait=true&clientId=bench" + c).json();
        runs.add(http.get("/api/runs/" + r.getJsonArray("clientResults").getJsonObject(0).getString("runId")).json());
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long prompt = runs.stream().mapToLong(r -> r.getJsonObject("tokens").getLong("prompt")).sum();
    int scored = runs.stream().mapToInt(r -> r.getJsonObject("counts").getInteger("successful")).sum();
    Await.within(server.stop(), 600);
    Await.within(gemini.stop(), 600);
    return new Result(name, seconds, gemini.leadCalls.get(), prompt, scored, clients * LEADS_PER_CLIENT);
  }

  /** A master base listing the clients, and per client the default rubric and LEADS_PER_CLIENT fresh leads. */
  static void seed(Vertx vertx, Path dir, int clients) {
    RecordStore store = new EmbeddedStore(vertx, dir);
    Future<?> chain = Future.succeededFuture();
    for (int c = 0; c < clients; c++) {
      String id = "bench" + c;
      List<JsonObject> leads = new ArrayList<>();
      for (int i = 0; i < LEADS_PER_CLIENT; i++) {
        JsonObject p = profile(c * LEADS_PER_CLIENT + i);
        leads.add(new JsonObject().put(Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/" + id + "-" + i)
            .put(Leads.HEADLINE, p.getString("headline")).put(Leads.ABOUT, p.getString("about"))
            .put(Leads.PROFILE_FULL_JSON, p.encode()).put(Leads.SCORING_STATUS, Leads.TO_BE_SCORED));
      }
      chain = chain.compose(v -> createAll(store, id, ScoringAttributes.TABLE, DefaultRubric.scoringAttributeRows()))
          .compose(v -> createAll(store, id, Leads.TABLE, leads))
          .compose(v -> store.create(AppConfig.EMBEDDED_MASTER_BASE_ID, Clients.TABLE, List.of(new JsonObject()
              .put(Clients.CLIENT_ID, id).put(Clients.CLIENT_NAME, "Bench " + id).put(Clients.STATUS, Clients.STATUS_ACTIVE)
              .put(Clients.AIRTABLE_BASE_ID, id).put(Clients.EXECUTION_LOG, ""))));
    }
    Await.within(chain.eventually(store::close), 600);
  }

  private static Future<Void> createAll(RecordStore store, String base, String table, List<JsonObject> rows) {
    Future<Void> chain = Future.succeededFuture();
    for (List<JsonObject> batch : RecordStore.batches(rows)) chain = chain.compose(v -> store.create(base, table, batch).mapEmpty());
    return chain;
  }

  /** A realistic slim profile: a headline, an about of a few hundred characters and three jobs. */
  static JsonObject profile(int n) {
    JsonArray jobs = new JsonArray();
    for (int j = 0; j < 3; j++) {
      jobs.add(new JsonObject().put("title", j == 0 ? "Founder & CEO" : "Head of Product").put("company", "Company " + n + "-" + j)
          .put("dateRange", (2015 + j * 3) + " – " + (j == 0 ? "Present" : String.valueOf(2018 + j * 3)))
          .put("description", "Led a team of " + (5 + n % 20) + " building workflow automation for professional services firms."));
    }
    return new JsonObject().put("headline", "Founder at Company " + n + " | Applied AI for accounting and legal teams")
        .put("about", "I build practical automation products for small and medium firms in Australia. "
            + "Previously I ran product at two SaaS companies and sold one of them. ".repeat(1 + n % 3)
            + "Always happy to talk about AI in professional services.")
        .put("experience", jobs).put("_experienceCount", 3);
  }

  private AiScoringBench() {}
}
