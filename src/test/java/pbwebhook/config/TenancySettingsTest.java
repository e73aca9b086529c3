package pbwebhook.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The old server's names for the tenancy settings keep working. */
class TenancySettingsTest {

  static final JsonObject AIRTABLE = new JsonObject().put("AIRTABLE_API_KEY", "patX").put("AIRTABLE_BASE_ID", "appOld");

  @Test
  void clientsBaseIdIsAnotherNameForTheMasterBase() {
    AppConfig c = AppConfig.from(AIRTABLE.copy().put("CLIENTS_BASE_ID", "appClients"));
    assertThat(c.masterClientsBaseId()).isEqualTo("appClients");
    assertThat(c.singleTenant()).as("a Clients table means multi-tenant, AIRTABLE_BASE_ID then picks the default")
        .isFalse();
    assertThat(c.airtableBaseId()).isEqualTo("appOld");
  }

  @Test
  void masterClientsBaseIdWinsWhenBothAreSet() {
    AppConfig c = AppConfig.from(AIRTABLE.copy().put("CLIENTS_BASE_ID", "appClients").put("MASTER_CLIENTS_BASE_ID", "appMaster"));
    assertThat(c.masterClientsBaseId()).isEqualTo("appMaster");
  }

  @Test
  void withNeitherAndABaseIdItIsSingleTenant() {
    AppConfig c = AppConfig.from(AIRTABLE.copy());
    assertThat(c.masterClientsBaseId()).isNull();
    assertThat(c.singleTenant()).isTrue();
  }
}
