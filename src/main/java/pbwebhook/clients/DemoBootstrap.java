package pbwebhook.clients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.config.AppConfig;
import pbwebhook.store.ListQuery;
import pbwebhook.store.RecordStore;
import pbwebhook.store.schema.Clients;

/**
 * First start on an empty embedded store: a master base with one Active client {@code demo}, whose base
 * holds the default rubric, post-scoring rubric and prompt, and a Credentials row. Runs only when the
 * Clients table is empty, so operators' own data is never touched.
 */
public final class DemoBootstrap {

  private static final Logger log = LoggerFactory.getLogger(DemoBootstrap.class);
  public static final String DEMO_CLIENT_ID = "demo";
  public static final String DEMO_BASE_ID = "demo";

  private DemoBootstrap() {}

  public static Future<Boolean> seedIfEmpty(RecordStore store, AppConfig config) {
    String master = config.masterClientsBaseId();
    return store.list(master, Clients.TABLE, ListQuery.all().withPageSize(1)).compose(page -> {
      if (!page.records().isEmpty()) return Future.succeededFuture(false);
      log.info("empty store: creating the demo client '{}' with the default rubric", DEMO_CLIENT_ID);
      JsonObject client = new JsonObject()
          .put(Clients.CLIENT_ID, DEMO_CLIENT_ID)
          .put(Clients.CLIENT_NAME, "Demo Client")
          .put(Clients.STATUS, Clients.STATUS_ACTIVE)
          .put(Clients.AIRTABLE_BASE_ID, DEMO_BASE_ID)
          .put(Clients.EXECUTION_LOG, "");
      return new ClientProvisioner(store, config).provision(DEMO_CLIENT_ID, "Demo Client", DEMO_BASE_ID)
          // The client row last: if seeding stops half-way, the next start sees an empty Clients table and retries.
          .compose(v -> store.create(master, Clients.TABLE, List.of(client)))
          .map(true);
    });
  }
}
