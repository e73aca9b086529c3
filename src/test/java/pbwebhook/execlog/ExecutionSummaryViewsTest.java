package pbwebhook.execlog;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import pbwebhook.execlog.ExecutionSummaryViews.View;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.store.RecordStore;
import pbwebhook.store.airtable.AirtableOptions;
import pbwebhook.store.airtable.AirtableStore;
import pbwebhook.store.embedded.EmbeddedStore;
import pbwebhook.store.schema.ExecutionSummary;

/**
 * The Execution Summary views read from a seeded history, on both stores, with a fixed "today": exact records,
 * sums and rates. Days are UTC dates as written in the records.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExecutionSummaryViewsTest {

  private static final String KEY = "patVIEWS-key.0123456789abcdef";
  private static final String MASTER = "appMasterViews01";
  private static final LocalDate TODAY = LocalDate.parse("2026-03-10");
  private static final Set<String> NUMBERS = Set.of(ExecutionSummary.LEADS_PROCESSED, ExecutionSummary.LEADS_SUCCESSFUL,
      ExecutionSummary.LEADS_FAILED, ExecutionSummary.SUCCESS_RATE, ExecutionSummary.DURATION,
      ExecutionSummary.TOKENS_USED, ExecutionSummary.ERROR_COUNT, ExecutionSummary.PERFORMANCE_SCORE,
      ExecutionSummary.ESTIMATED_COST_USD);

  @TempDir
  Path dataDir;

  private Vertx vertx;
  private FakeAirtable fake;
  private RecordStore store;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    if (store != null) await(store.close());
    if (fake != null) await(fake.close());
    await(vertx.close());
  }

  private ExecutionSummaryReader seeded(String storeKind) {
    if (storeKind.equals("airtable")) {
      fake = new FakeAirtable(vertx, KEY);
      int port = await(fake.start());
      fake.createTable(MASTER, ExecutionSummary.TABLE, Stream.concat(NUMBERS.stream(), Stream.of(
          ExecutionSummary.EXECUTION_ID, ExecutionSummary.DATE, ExecutionSummary.TIME, ExecutionSummary.CLIENT_ID,
          ExecutionSummary.CLIENT_NAME, ExecutionSummary.PROCESS_TYPE, ExecutionSummary.STATUS))
          .collect(java.util.stream.Collectors.toSet()));
      NUMBERS.forEach(f -> fake.numberField(MASTER, ExecutionSummary.TABLE, f));
      store = new AirtableStore(vertx, AirtableOptions.defaults(KEY).withEndpointUrl("http://127.0.0.1:" + port));
    } else {
      store = new EmbeddedStore(vertx, dataDir);
    }
    // id, client, date, time, processed, successful, tokens, cost, duration, errors
    Object[][] runs = {
        {"acme-lead-0310", "acme", "2026-03-10", "09:00:00", 10, 9, 1000, 0.012, 30, 1},
        {"acme-post-0310", "acme", "2026-03-10", "10:00:00", 4, 4, 500, 0.003, 10, 0},
        {"gamma-0310", "gamma", "2026-03-10", "11:00:00", 0, 0, 0, 0.0, 0, 0},
        {"beta-0309", "beta", "2026-03-09", "08:00:00", 5, 0, 200, 0.0, 5, 5},
        {"acme-0303", "acme", "2026-03-03", "23:59:59", 20, 20, 3000, 0.05, 60, 0},
        {"beta-0101", "beta", "2026-01-01", "12:00:00", 1, 1, 100, 0.001, 1, 0},
    };
    for (Object[] r : runs) {
      await(store.create(MASTER, ExecutionSummary.TABLE, List.of(new JsonObject()
          .put(ExecutionSummary.EXECUTION_ID, r[0]).put(ExecutionSummary.CLIENT_ID, r[1])
          .put(ExecutionSummary.CLIENT_NAME, "Client " + r[1]).put(ExecutionSummary.DATE, r[2])
          .put(ExecutionSummary.TIME, r[3]).put(ExecutionSummary.LEADS_PROCESSED, r[4])
          .put(ExecutionSummary.LEADS_SUCCESSFUL, r[5]).put(ExecutionSummary.TOKENS_USED, r[6])
          .put(ExecutionSummary.ESTIMATED_COST_USD, r[7]).put(ExecutionSummary.DURATION, r[8])
          .put(ExecutionSummary.ERROR_COUNT, r[9]))));
    }
    return new ExecutionSummaryReader(store, MASTER);
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "airtable"})
  void todayAndSevenDaysHoldOnlyTheirWindowNewestFirst(String storeKind) {
    ExecutionSummaryReader reader = seeded(storeKind);

    JsonObject today = await(reader.view(View.TODAY, null, 1, TODAY));
    assertThat(today.getString("view")).isEqualTo("today");
    assertThat(today.getString("from")).isEqualTo("2026-03-10");
    assertThat(ids(today)).containsExactly("gamma-0310", "acme-post-0310", "acme-lead-0310");

    JsonObject week = await(reader.view(View.LAST_7_DAYS, null, 7, TODAY));
    assertThat(week.getString("from")).isEqualTo("2026-03-04");
    assertThat(week.getString("to")).isEqualTo("2026-03-10");
    assertThat(ids(week)).containsExactly("gamma-0310", "acme-post-0310", "acme-lead-0310", "beta-0309");

    assertThat(ids(await(reader.view(View.LAST_7_DAYS, "acme", 7, TODAY))))
        .containsExactly("acme-post-0310", "acme-lead-0310");
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "airtable"})
  void byClientSumsTheRunsOfThePeriod(String storeKind) {
    ExecutionSummaryReader reader = seeded(storeKind);

    JsonArray week = await(reader.view(View.BY_CLIENT, null, 7, TODAY)).getJsonArray("clients");
    assertThat(week).hasSize(3);
    assertThat(week.getJsonObject(0)).isEqualTo(new JsonObject().put("clientId", "acme").put("clientName", "Client acme")
        .put("runs", 2).put("leadsProcessed", 14L).put("leadsSuccessful", 13L).put("successRate", 92.86)
        .put("tokens", 1500L).put("estimatedCostUsd", 0.015).put("errors", 1L));
    assertThat(week.getJsonObject(1)).isEqualTo(new JsonObject().put("clientId", "beta").put("clientName", "Client beta")
        .put("runs", 1).put("leadsProcessed", 5L).put("leadsSuccessful", 0L).put("successRate", 0.0)
        .put("tokens", 200L).put("estimatedCostUsd", 0.0).put("errors", 5L));
    assertThat(week.getJsonObject(2).getString("clientId")).isEqualTo("gamma");
    assertThat(week.getJsonObject(2).getValue("successRate")).as("no lead processed: no rate").isNull();

    JsonObject month = await(reader.view(View.BY_CLIENT, "acme", 30, TODAY));
    assertThat(month.getString("from")).isEqualTo("2026-02-09");
    assertThat(month.getJsonArray("clients")).hasSize(1);
    JsonObject acme = month.getJsonArray("clients").getJsonObject(0);
    assertThat(acme.getInteger("runs")).isEqualTo(3);
    assertThat(acme.getLong("leadsProcessed")).isEqualTo(34L);
    assertThat(acme.getDouble("successRate")).isEqualTo(97.06);
    assertThat(acme.getDouble("estimatedCostUsd")).isEqualTo(0.065);
  }

  @ParameterizedTest
  @ValueSource(strings = {"embedded", "airtable"})
  void trendsHaveOnePointPerDayAndClientIncludingDaysWithoutRuns(String storeKind) {
    ExecutionSummaryReader reader = seeded(storeKind);

    JsonArray points = await(reader.view(View.TRENDS, null, 3, TODAY)).getJsonArray("points");
    assertThat(points.stream().map(p -> ((JsonObject) p).getString("date") + " " + ((JsonObject) p).getString("clientId")))
        .containsExactly("2026-03-08 acme", "2026-03-08 beta", "2026-03-08 gamma",
            "2026-03-09 acme", "2026-03-09 beta", "2026-03-09 gamma",
            "2026-03-10 acme", "2026-03-10 beta", "2026-03-10 gamma");
    assertThat(points.getJsonObject(0)).isEqualTo(new JsonObject().put("date", "2026-03-08").put("clientId", "acme")
        .put("runs", 0).put("leadsProcessed", 0L).put("leadsSuccessful", 0L).putNull("successRate").put("tokens", 0L)
        .put("estimatedCostUsd", 0.0).put("durationSeconds", 0L).put("errors", 0L));
    assertThat(points.getJsonObject(6)).isEqualTo(new JsonObject().put("date", "2026-03-10").put("clientId", "acme")
        .put("runs", 2).put("leadsProcessed", 14L).put("leadsSuccessful", 13L).put("successRate", 92.86)
        .put("tokens", 1500L).put("estimatedCostUsd", 0.015).put("durationSeconds", 40L).put("errors", 1L));

    JsonArray quarter = await(reader.view(View.TRENDS, "beta", 90, TODAY)).getJsonArray("points");
    assertThat(quarter).hasSize(90);
    assertThat(quarter.getJsonObject(0).getString("date")).isEqualTo("2025-12-11");
    assertThat(quarter.stream().mapToInt(p -> ((JsonObject) p).getInteger("runs")).sum()).isEqualTo(2);
  }

  private static List<String> ids(JsonObject view) {
    return view.getJsonArray("records").stream()
        .map(r -> ((JsonObject) r).getJsonObject("fields").getString(ExecutionSummary.EXECUTION_ID)).toList();
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.await(45, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("call did not complete in time", e);
    }
  }
}
