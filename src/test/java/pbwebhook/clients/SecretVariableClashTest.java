package pbwebhook.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import pbwebhook.Addresses;
import pbwebhook.Server;
import pbwebhook.TestHttp;
import pbwebhook.config.AppConfig;
import pbwebhook.store.RecordStore;
import pbwebhook.store.embedded.EmbeddedStore;
import pbwebhook.store.schema.Clients;

/** Two clients whose ids fold to one WEBHOOK_SECRET_<ID> variable never share it silently. */
class SecretVariableClashTest {

  static final String SHARED = "acme-shared-secret";
  static final String CLASH = "WEBHOOK_SECRET_ACME_CO is the webhook secret of clients acme-co, acme_co alike; "
      + "rename all but one of them in the Clients table";

  @TempDir
  Path dataDir;
  Vertx vertx = Vertx.vertx();
  Server server;

  @AfterEach
  void stop() throws Exception {
    if (server != null) server.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  static AppConfig config(Path dataDir, String... secretKeys) {
    JsonObject c = new JsonObject().put("HTTP_HOST", "127.0.0.1").put("PORT", 0).put("DATA_DIR", dataDir.toString())
        .put("ADMIN_TOKEN", "admin-clash-token").put("PB_WEBHOOK_SECRET", "global-clash-secret");
    for (String k : secretKeys) c.put("WEBHOOK_SECRET_" + k, SHARED);
    return AppConfig.from(c);
  }

  private void addClient(RecordStore store, String id) throws Exception {
    store.create("master", Clients.TABLE, List.of(new JsonObject().put(Clients.CLIENT_ID, id).put(Clients.CLIENT_NAME, id)
        .put(Clients.STATUS, Clients.STATUS_ACTIVE).put(Clients.AIRTABLE_BASE_ID, id + "-base"))).await(10, TimeUnit.SECONDS);
  }

  @Test
  void foldedIdsClashOnlyWhenTheirVariableIsSet() {
    AppConfig with = config(dataDir, "ACME_CO");
    assertThat(SecretVariableClashes.refused(List.of("acme-co", "demo", "acme_co", "ACME.CO"), Set.of(), with))
        .isEqualTo(Map.of("acme-co", "WEBHOOK_SECRET_ACME_CO is the webhook secret of clients acme-co, acme_co, ACME.CO "
            + "alike; rename all but one of them in the Clients table",
            "acme_co", "WEBHOOK_SECRET_ACME_CO is the webhook secret of clients acme-co, acme_co, ACME.CO alike; "
                + "rename all but one of them in the Clients table",
            "ACME.CO", "WEBHOOK_SECRET_ACME_CO is the webhook secret of clients acme-co, acme_co, ACME.CO alike; "
                + "rename all but one of them in the Clients table"));
    assertThat(SecretVariableClashes.refused(List.of("acme-co", "acme_co"), Set.of("acme-co"), with))
        .as("the client already served keeps working").isEqualTo(Map.of("acme_co", CLASH));
    assertThat(SecretVariableClashes.refused(List.of("acme-co", "acme_co"), Set.of(), config(dataDir)))
        .as("no variable: both use PB_WEBHOOK_SECRET like every client").isEmpty();
  }

  @Test
  void theServerRefusesToStartNamingTheClash() throws Exception {
    EmbeddedStore store = new EmbeddedStore(vertx, dataDir);
    addClient(store, "acme-co");
    addClient(store, "acme_co");
    store.close().await(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> Server.start(vertx, config(dataDir, "ACME_CO")).await(30, TimeUnit.SECONDS))
        .hasMessage("refusing to start: " + CLASH);
  }

  @Test
  void aClashingClientAddedLaterIsRefusedAndTheServedOneKeepsWorking() throws Exception {
    server = Server.start(vertx, config(dataDir, "ACME_CO")).await(30, TimeUnit.SECONDS);
    RecordStore store = server.store();
    addClient(store, "acme-co");
    vertx.eventBus().request(Addresses.CLIENTS_REFRESH, new JsonObject()).await(10, TimeUnit.SECONDS);
    addClient(store, "acme_co");
    vertx.eventBus().request(Addresses.CLIENTS_REFRESH, new JsonObject()).await(10, TimeUnit.SECONDS);

    TestHttp http = new TestHttp(server.port());
    String body = "{\"profileUrl\":\"https://www.linkedin.com/in/clash\",\"firstName\":\"C\"}";
    Map<String, String> json = Map.of("Content-Type", "application/json");
    TestHttp.Reply refused = http.post("/lh-webhook/upsertLeadOnly?clientId=acme_co&secret=" + SHARED, body, json);
    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.json().getString("error")).isEqualTo("client acme_co is refused: its WEBHOOK_SECRET_ACME_CO is "
        + "also another client's secret; the operator must rename one of them");
    TestHttp.Reply served = http.post("/lh-webhook/upsertLeadOnly?clientId=acme-co&secret=" + SHARED, body, json);
    assertThat(served.status()).as(served.body()).isEqualTo(200);
    assertThat(served.json().getString("clientId")).isEqualTo("acme-co");
    List<String> listed = http.get("/api/clients", Map.of("Authorization", "Bearer admin-clash-token")).json()
        .getJsonArray("clients").stream().map(o -> ((JsonObject) o).getString("clientId")).toList();
    assertThat(listed).contains("acme-co").doesNotContain("acme_co");
  }
}
