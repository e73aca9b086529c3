package pbwebhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Rendezvous hashing spreads clients over members and moves only a leaving member's clients. */
class RendezvousTest {

  static final List<String> MEMBERS = List.of("2aa21f13-d695-480d-8b52-0fe3c5de5001",
      "ff885a9c-0a25-427c-9b4a-1a087523acc1", "c93e3231-d3da-4e36-a46f-cb53495fd7ef");
  static final List<String> CLIENTS = IntStream.range(0, 300).mapToObj(i -> "client-" + i).toList();

  static Map<String, String> owners(List<String> members) {
    Map<String, String> out = new HashMap<>();
    CLIENTS.forEach(c -> out.put(c, Rendezvous.owner(c, members)));
    return out;
  }

  @Test
  void everyMemberGetsAFairShareAndEveryMemberComputesTheSameOwner() {
    Map<String, String> owners = owners(MEMBERS);
    Map<String, Integer> counts = new HashMap<>();
    owners.values().forEach(m -> counts.merge(m, 1, Integer::sum));
    assertThat(counts).hasSize(3);
    assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(70, 130));
    assertThat(owners(List.of(MEMBERS.get(2), MEMBERS.get(0), MEMBERS.get(1)))).isEqualTo(owners);
  }

  @Test
  void aMemberLeavingMovesOnlyItsOwnClients() {
    Map<String, String> before = owners(MEMBERS);
    Map<String, String> after = owners(MEMBERS.subList(0, 2));
    for (String c : CLIENTS) {
      if (!before.get(c).equals(MEMBERS.get(2))) assertThat(after.get(c)).as(c).isEqualTo(before.get(c));
      else assertThat(after.get(c)).isIn(MEMBERS.get(0), MEMBERS.get(1));
    }
  }
}
