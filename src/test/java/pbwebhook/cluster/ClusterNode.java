package pbwebhook.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import pbwebhook.Addresses;
import pbwebhook.Await;
import pbwebhook.Server;
import pbwebhook.TestHttp;
import pbwebhook.config.AppConfig;

/** One clustered member started in the test's JVM: its Vert.x, its server, and an HTTP client to it. */
record ClusterNode(Vertx vertx, Server server, TestHttp http) {

  static ClusterNode start(AppConfig config) {
    Vertx vertx = Await.within(ClusterVertx.create(config.cluster()));
    Server server = Await.within(Server.start(vertx, config));
    return new ClusterNode(vertx, server, new TestHttp(server.port()));
  }

  /** The clients this member may write for now (a valid lease and a worker), as its registry says. */
  Set<String> owned() {
    Set<String> out = new HashSet<>();
    clientsList().getJsonArray("ownedHere").forEach(o -> out.add((String) o));
    return out;
  }

  /** This member's node id, as leases and rendezvous hashing know it. */
  String member() {
    return clientsList().getString("member");
  }

  private JsonObject clientsList() {
    return Await.within(vertx.eventBus().<JsonObject>request(Addresses.CLIENTS_LIST, new JsonObject(),
        new DeliveryOptions().setLocalOnly(true))).body();
  }

  void stop() {
    Await.within(server.stop());
    Await.within(vertx.close());
  }
}
