package pbwebhook.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The cluster settings' defaults, and the heartbeat timeout below which one frozen member splits the others. */
class ClusterSettingsTest {

  @Test
  void defaultsAreAMajorityQuorumASixtySecondHeartbeatAndAFifteenSecondLease() {
    ClusterSettings s = ClusterSettings.from(new JsonObject().put("CLUSTER", true));
    assertThat(s.members()).containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703");
    assertThat(s.minMembers()).isEqualTo(2);
    assertThat(s.heartbeatTimeoutS()).isEqualTo(60);
    assertThat(s.leaseMs()).isEqualTo(15_000);
  }

  @Test
  void aHeartbeatTimeoutUnderTwentySecondsIsRefusedByName() {
    assertThatThrownBy(() -> ClusterSettings.from(new JsonObject().put("CLUSTER", true).put("CLUSTER_HEARTBEAT_TIMEOUT_S", "10")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("CLUSTER_HEARTBEAT_TIMEOUT_S must be at least 20 (a shorter one lets one frozen member split the "
            + "healthy ones), not: 10");
    assertThat(ClusterSettings.from(new JsonObject().put("CLUSTER", true).put("CLUSTER_HEARTBEAT_TIMEOUT_S", "20"))
        .heartbeatTimeoutS()).isEqualTo(20);
    assertThat(ClusterSettings.from(new JsonObject().put("CLUSTER_HEARTBEAT_TIMEOUT_S", "10")).enabled())
        .as("not clustered: the setting is not used, so it stops nothing").isFalse();
  }
}
