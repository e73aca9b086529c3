package pbwebhook.store.airtable;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import pbwebhook.fakes.FakeAirtable;
import pbwebhook.store.RecordStore;
import pbwebhook.store.RecordStoreContract;

/** The store contract against the fake Airtable, with rate limits raised so the contract runs quickly. */
@ExtendWith(VertxExtension.class)
class AirtableStoreContractTest extends RecordStoreContract {

  private static final String KEY = "patContractKey.0123456789";
  private static final String BASE = "appContract0001";

  private FakeAirtable fake;
  private AirtableStore store;

  @BeforeEach
  void start(Vertx vertx) {
    fake = new FakeAirtable(vertx, KEY);
    fake.rateLimit(1000);
    int port = await(fake.start());
    fake.createTable(BASE, TABLE, Set.of());
    store = new AirtableStore(vertx, AirtableOptions.defaults(KEY).withEndpointUrl("http://127.0.0.1:" + port)
        .withRequestsPerSecondPerBase(1000).withTokenRequestsPerSecond(1000));
  }

  @AfterEach
  void stop() {
    await(store.close());
    await(fake.close());
  }

  @Override
  protected RecordStore store() { return store; }

  @Override
  protected String baseId() { return BASE; }
}
