package pbwebhook.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.vertx.junit5.VertxExtension;

/** The fake answers like Airtable does, checked with raw HTTP so the store's own behaviour cannot hide a gap. */
@ExtendWith(VertxExtension.class)
class FakeAirtableTest {

  private static final String KEY = "patFakeTest.key";
  private static final String BASE = "appFake00000001";

  private FakeAirtable fake;
  private WebClient web;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    fake = new FakeAirtable(vertx, KEY);
    fake.start().await(10, TimeUnit.SECONDS);
    fake.createTable(BASE, "Leads", Set.of("Name", "Key"));
    web = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    web.close();
    fake.close().await(10, TimeUnit.SECONDS);
  }

  private HttpResponse<Buffer> call(HttpMethod method, String uri, JsonObject body, String key) throws Exception {
    var req = web.request(method, fake.port(), "127.0.0.1", uri);
    if (key != null) req.bearerTokenAuthentication(key);
    return (body == null ? req.send() : req.sendJsonObject(body)).await(10, TimeUnit.SECONDS);
  }

  private static String errorType(HttpResponse<Buffer> r) {
    JsonObject json = r.bodyAsJsonObject();
    if (json.getValue("error") instanceof String s) return s;
    if (json.getJsonObject("error") != null) return json.getJsonObject("error").getString("type");
    return json.getJsonArray("errors").getJsonObject(0).getString("error");
  }

  private static JsonObject records(int n, String prefix) {
    JsonArray arr = new JsonArray();
    for (int i = 0; i < n; i++) arr.add(new JsonObject().put("fields", new JsonObject().put("Name", prefix + i).put("Key", prefix + i)));
    return new JsonObject().put("records", arr);
  }

  @Test
  void requestsWithoutTheBearerTokenAre401() throws Exception {
    assertThat(call(HttpMethod.GET, "/v0/" + BASE + "/Leads", null, null).statusCode()).isEqualTo(401);
    assertThat(call(HttpMethod.GET, "/v0/" + BASE + "/Leads", null, "patOther").statusCode()).isEqualTo(401);
    assertThat(call(HttpMethod.GET, "/v0/" + BASE + "/Leads", null, KEY).statusCode()).isEqualTo(200);
  }

  @Test
  void sixthRequestInOneSecondIs429AndTheBaseStaysInThePenaltyBox() throws Exception {
    fake.penaltyMillis(600);
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      burst.add(web.get(fake.port(), "127.0.0.1", "/v0/" + BASE + "/Leads").bearerTokenAuthentication(KEY).send());
    }
    Future.all(burst).await(10, TimeUnit.SECONDS);

    assertThat(burst.stream().filter(f -> f.result().statusCode() == 429).count()).isEqualTo(1);
    HttpResponse<Buffer> inPenalty = call(HttpMethod.GET, "/v0/" + BASE + "/Leads", null, KEY);
    assertThat(inPenalty.statusCode()).isEqualTo(429);
    assertThat(errorType(inPenalty)).isEqualTo("RATE_LIMIT_REACHED");
    Thread.sleep(1_100);
    assertThat(call(HttpMethod.GET, "/v0/" + BASE + "/Leads", null, KEY).statusCode()).isEqualTo(200);
    assertThat(fake.rateLimited429s()).isEqualTo(2);
    assertThat(fake.maxRequestsInAnySecond(BASE)).isGreaterThanOrEqualTo(7);
  }

  @Test
  void writesAreLimitedToTenRecordsAndKnownFields() throws Exception {
    HttpResponse<Buffer> eleven = call(HttpMethod.POST, "/v0/" + BASE + "/Leads", records(11, "r"), KEY);
    HttpResponse<Buffer> unknown = call(HttpMethod.POST, "/v0/" + BASE + "/Leads",
        new JsonObject().put("records", new JsonArray().add(new JsonObject().put("fields", new JsonObject().put("Colour", "red")))), KEY);

    assertThat(eleven.statusCode()).isEqualTo(422);
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(errorType(unknown)).isEqualTo("UNKNOWN_FIELD_NAME");
    assertThat(unknown.bodyAsJsonObject().getJsonObject("error").getString("message")).contains("Colour");
    assertThat(fake.records(BASE, "Leads")).isEmpty();
  }

  @Test
  void pagesHoldAtMostAHundredRecords() throws Exception {
    IntStream.range(0, 120).forEach(i -> fake.insert(BASE, "Leads", new JsonObject().put("Name", "n" + i)));

    HttpResponse<Buffer> tooBig = call(HttpMethod.GET, "/v0/" + BASE + "/Leads?pageSize=101", null, KEY);
    JsonObject page = call(HttpMethod.GET, "/v0/" + BASE + "/Leads", null, KEY).bodyAsJsonObject();
    JsonObject rest = call(HttpMethod.POST, "/v0/" + BASE + "/Leads/listRecords",
        new JsonObject().put("offset", page.getString("offset")), KEY).bodyAsJsonObject();

    assertThat(tooBig.statusCode()).isEqualTo(422);
    assertThat(page.getJsonArray("records")).hasSize(100);
    assertThat(rest.getJsonArray("records")).hasSize(20);
    assertThat(rest.containsKey("offset")).isFalse();
  }

  @Test
  void performUpsertSeparatesCreatedFromUpdated() throws Exception {
    String existing = fake.insert(BASE, "Leads", new JsonObject().put("Key", "k1").put("Name", "old"));
    JsonObject body = new JsonObject()
        .put("performUpsert", new JsonObject().put("fieldsToMergeOn", new JsonArray().add("Key")))
        .put("records", new JsonArray()
            .add(new JsonObject().put("fields", new JsonObject().put("Key", "k1").put("Name", "new")))
            .add(new JsonObject().put("fields", new JsonObject().put("Key", "k2").put("Name", "two"))));

    JsonObject out = call(HttpMethod.PATCH, "/v0/" + BASE + "/Leads", body, KEY).bodyAsJsonObject();

    assertThat(out.getJsonArray("updatedRecords")).containsExactly(existing);
    assertThat(out.getJsonArray("createdRecords")).hasSize(1).doesNotContain(existing);
    assertThat(fake.records(BASE, "Leads")).extracting(r -> r.getJsonObject("fields").getString("Name"))
        .containsExactly("new", "two");
  }

  @Test
  void formulaFiltersUnknownFieldsAndBadSyntaxAre422() throws Exception {
    fake.insert(BASE, "Leads", new JsonObject().put("Name", "a \"b\""));
    fake.insert(BASE, "Leads", new JsonObject().put("Name", "c"));

    JsonObject match = call(HttpMethod.POST, "/v0/" + BASE + "/Leads/listRecords",
        new JsonObject().put("filterByFormula", "AND({Name} = \"a \\\"b\\\"\", NOT({Name} = BLANK()))"), KEY).bodyAsJsonObject();
    HttpResponse<Buffer> unknown = call(HttpMethod.POST, "/v0/" + BASE + "/Leads/listRecords",
        new JsonObject().put("filterByFormula", "{Colour} = \"red\""), KEY);
    HttpResponse<Buffer> bad = call(HttpMethod.POST, "/v0/" + BASE + "/Leads/listRecords",
        new JsonObject().put("filterByFormula", "{Name} = \"x"), KEY);

    assertThat(match.getJsonArray("records")).hasSize(1);
    assertThat(unknown.statusCode()).isEqualTo(422);
    assertThat(unknown.bodyAsString()).contains("Unknown field names: Colour");
    assertThat(bad.statusCode()).isEqualTo(422);
  }
}
