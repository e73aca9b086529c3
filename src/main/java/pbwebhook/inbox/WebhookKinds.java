package pbwebhook.inbox;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The webhook kinds this server delivers, by name. */
public final class WebhookKinds {

  private final Map<String, WebhookKind> byName = new LinkedHashMap<>();

  public WebhookKinds(List<WebhookKind> kinds) {
    for (WebhookKind k : kinds) {
      if (byName.putIfAbsent(k.name(), k) != null) throw new IllegalArgumentException("webhook kind registered twice: " + k.name());
    }
  }

  public Optional<WebhookKind> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  public Set<String> names() {
    return byName.keySet();
  }
}
