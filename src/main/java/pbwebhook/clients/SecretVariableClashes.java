package pbwebhook.clients;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import pbwebhook.config.AppConfig;

/**
 * Clients whose ids fold to the same {@code WEBHOOK_SECRET_<ID>} variable ({@code acme-co} and {@code acme_co}
 * both read WEBHOOK_SECRET_ACME_CO) while that variable is set: one secret would let either client's senders post
 * into the other. Without the variable there is nothing shared (both use PB_WEBHOOK_SECRET like everyone else).
 * A client already being served keeps working; the newcomer is refused. At start-up nobody is being served yet,
 * so every client of a clash is refused, which stops the start.
 */
public final class SecretVariableClashes {

  private SecretVariableClashes() {}

  /** Refused client id → why, naming the variable and the clients that share it. */
  public static Map<String, String> refused(Collection<String> clientIds, Set<String> served, AppConfig config) {
    Map<String, List<String>> byVariable = new LinkedHashMap<>();
    for (String id : clientIds) {
      if (config.ownWebhookSecret(id) == null) continue;
      byVariable.computeIfAbsent(AppConfig.clientSecretKey(id), k -> new ArrayList<>()).add(id);
    }
    Map<String, String> refused = new LinkedHashMap<>();
    byVariable.forEach((key, ids) -> {
      if (ids.size() < 2) return;
      String why = AppConfig.CLIENT_SECRET_PREFIX + key + " is the webhook secret of clients " + String.join(", ", ids)
          + " alike; rename all but one of them in the Clients table";
      for (String id : ids) {
        if (!served.contains(id)) refused.put(id, why);
      }
    });
    return refused;
  }
}
