package pbwebhook.clients;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.Addresses;
import pbwebhook.config.AppConfig;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.airtable.AirtableStore;
import pbwebhook.store.schema.BaseLayout;
import pbwebhook.store.schema.Clients;

/**
 * Adds and changes clients: writes the master base's Clients table, provisions bases, makes webhook secrets, and
 * makes every member's registry reload at once (no cache wait, no restart). One change at a time cluster-wide.
 * Refusals are {@link ReplyException}s whose failure code is the HTTP status to answer.
 */
public final class ClientAdmin {

  private static final Logger log = LoggerFactory.getLogger(ClientAdmin.class);

  static final Pattern CLIENT_ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?");
  private static final Pattern BASE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Set<String> CREATE_KEYS = Set.of("clientId", "clientName", "status", "baseId", "provision",
      "monthlyTokenBudget");
  private static final Set<String> PATCH_KEYS = Set.of("clientName", "status", "baseId", "monthlyTokenBudget");
  private static final String ADMIN_LOCK = "pb.client-admin";
  private static final long ADMIN_LOCK_WAIT_MS = 60_000;
  private static final int MAX_NAME_CHARS = 200;

  private final Vertx vertx;
  private final RecordStore store;
  private final AppConfig config;
  private final ClientProvisioner provisioner;
  private final WebhookSecretStore secrets;

  public ClientAdmin(Vertx vertx, RecordStore store, AppConfig config, WebhookSecretStore secrets) {
    this.vertx = vertx;
    this.store = store;
    this.config = config;
    this.provisioner = new ClientProvisioner(store, config);
    this.secrets = secrets;
  }

  public ClientProvisioner provisioner() { return provisioner; }

  /** {@code POST /api/clients}: the new client with its provisioning report and its webhook secret (shown once). */
  public Future<JsonObject> create(JsonObject body) {
    try {
      requireMasterBase();
      unknownKeys(body, CREATE_KEYS);
      String name = name(body.getValue("clientName"));
      if (name == null) throw refuse(400, "clientName is required (a non-empty string)");
      String id = body.getValue("clientId") == null ? slug(name) : clientId(body.getValue("clientId"));
      String status = body.getValue("status") == null ? Clients.STATUS_ACTIVE : status(body.getValue("status"));
      String baseId = body.getValue("baseId") == null ? null : baseId(body.getValue("baseId"));
      Long budget = budget(body, "monthlyTokenBudget");
      Object p = body.getValue("provision", Boolean.TRUE);
      if (!(p instanceof Boolean)) throw refuse(400, "provision must be true or false");
      boolean provision = (Boolean) p;
      if (!provision && baseId == null) throw refuse(400, "baseId is required when provision is false");
      boolean airtable = store.unwrap() instanceof AirtableStore;
      if (provision && baseId == null && airtable && config.tenants().airtableWorkspaceId() == null) {
        throw refuse(400, "no baseId given and AIRTABLE_WORKSPACE_ID is not set: pass the id of an existing base, "
            + "or set the workspace new bases are created in");
      }
      // The embedded store names a new client's base after the client.
      String plannedBase = baseId != null ? baseId : airtable ? null : id;
      return exclusively(() -> rows().compose(rows -> {
        for (Record r : rows) {
          if (id.equalsIgnoreCase(trim(r.string(Clients.CLIENT_ID)))) {
            return Future.failedFuture(refuse(409, "client id " + id + " already exists"));
          }
        }
        if (plannedBase != null) {
          Record user = baseUser(rows, plannedBase, null);
          if (user != null) {
            return Future.failedFuture(refuse(409, "base " + plannedBase + " is already used by client "
                + user.string(Clients.CLIENT_ID)));
          }
        }
        Future<ClientProvisioner.Report> provisioned = provision ? provisioner.provision(id, name, baseId)
            : Future.succeededFuture(null);
        return provisioned.compose(report -> {
          String base = report == null ? baseId : report.baseId();
          JsonObject row = new JsonObject().put(Clients.CLIENT_ID, id).put(Clients.CLIENT_NAME, name)
              .put(Clients.STATUS, status).put(Clients.AIRTABLE_BASE_ID, base).put(Clients.EXECUTION_LOG, "");
          if (budget != null) row.put(BaseLayout.MONTHLY_TOKEN_BUDGET, budget);
          // The secret before the row: the client never exists without its own secret.
          return secrets.rotate(id)
              .compose(secret -> store.create(config.masterClientsBaseId(), Clients.TABLE, List.of(row))
                  .compose(created -> applied())
                  .map(v -> {
                    log.info("client {} created on base {} ({})", id, base, status);
                    JsonObject out = clientJson(id, name, status, base, budget);
                    if (report != null) out.put("provisioned", report.toJson());
                    return out.put("webhookSecret", secret).put("webhookPaths", webhookPaths(id));
                  }));
        });
      }));
    } catch (ReplyException e) {
      return Future.failedFuture(e);
    }
  }

  /** {@code PATCH /api/clients/{id}}: changes any of name, status, base and budget; the client as it now is. */
  public Future<JsonObject> update(String clientId, JsonObject body) {
    try {
      requireMasterBase();
      unknownKeys(body, PATCH_KEYS);
      if (body.isEmpty()) throw refuse(400, "nothing to change: give any of " + new TreeSet<>(PATCH_KEYS));
      JsonObject patch = new JsonObject();
      if (body.containsKey("clientName")) {
        String name = name(body.getValue("clientName"));
        if (name == null) throw refuse(400, "clientName must be a non-empty string");
        patch.put(Clients.CLIENT_NAME, name);
      }
      if (body.containsKey("status")) patch.put(Clients.STATUS, status(body.getValue("status")));
      if (body.containsKey("baseId")) patch.put(Clients.AIRTABLE_BASE_ID, baseId(body.getValue("baseId")));
      if (body.containsKey("monthlyTokenBudget")) {
        // null clears the budget (unlimited); the store drops a null field, Airtable blanks it.
        patch.putNull(BaseLayout.MONTHLY_TOKEN_BUDGET);
        Long budget = budget(body, "monthlyTokenBudget");
        if (budget != null) patch.put(BaseLayout.MONTHLY_TOKEN_BUDGET, budget);
      }
      return exclusively(() -> rows().compose(rows -> {
        Record row = find(rows, clientId);
        if (row == null) return Future.failedFuture(refuse(404, "unknown client: " + clientId));
        String newBase = patch.getString(Clients.AIRTABLE_BASE_ID);
        if (newBase != null) {
          Record user = baseUser(rows, newBase, row.id());
          if (user != null) {
            return Future.failedFuture(refuse(409, "base " + newBase + " is already used by client "
                + user.string(Clients.CLIENT_ID)));
          }
        }
        return store.update(config.masterClientsBaseId(), Clients.TABLE, List.of(new Record(row.id(), null, patch)))
            .compose(updated -> applied().map(v -> {
              log.info("client {} changed: {}", clientId, patch.fieldNames());
              return rowJson(updated.get(0));
            }));
      }));
    } catch (ReplyException e) {
      return Future.failedFuture(e);
    }
  }

  /** {@code POST /api/clients/{id}/webhook-secret}: a new secret, shown once; the old one works for the grace period. */
  public Future<JsonObject> rotateSecret(String clientId) {
    return exclusively(() -> row(clientId).compose(row -> secrets.rotate(row.string(Clients.CLIENT_ID))
        .map(secret -> new JsonObject().put("clientId", row.string(Clients.CLIENT_ID)).put("webhookSecret", secret)
            .put("previousSecretValidForHours", secrets.grace().toHours()))));
  }

  /** {@code POST /api/clients/{id}/provision}: completes the client's base and seeds empty rubric tables. */
  public Future<JsonObject> provision(String clientId) {
    return exclusively(() -> row(clientId).compose(row -> provisioner.provision(clientId,
            row.string(Clients.CLIENT_NAME), row.string(Clients.AIRTABLE_BASE_ID))
        .map(r -> new JsonObject().put("clientId", clientId).put("baseId", r.baseId()).put("provisioned", r.toJson()))));
  }

  public Future<JsonObject> schema(String clientId) {
    return row(clientId).compose(row -> provisioner.checkClientBase(row.string(Clients.AIRTABLE_BASE_ID)))
        .map(j -> j.put("clientId", clientId));
  }

  public Future<JsonObject> repairSchema(String clientId) {
    return exclusively(() -> row(clientId)
        .compose(row -> provisioner.repairClientBase(row.string(Clients.AIRTABLE_BASE_ID)))
        .map(r -> new JsonObject().put("clientId", clientId).put("baseId", r.baseId()).put("repaired", r.toJson())));
  }

  public Future<JsonObject> masterSchema() {
    return provisioner.checkMaster();
  }

  public Future<JsonObject> repairMasterSchema() {
    return exclusively(() -> provisioner.repairMaster()
        .map(r -> new JsonObject().put("baseId", r.baseId()).put("repaired", r.toJson())));
  }

  /** The client's Clients row as the API shows it, budget included. */
  public Future<JsonObject> details(String clientId) {
    return row(clientId).map(ClientAdmin::rowJson);
  }

  /** The client's monthly token budget; null when blank (unlimited). */
  public static Long budgetOf(Record row) {
    Object v = row.fields().getValue(BaseLayout.MONTHLY_TOKEN_BUDGET);
    if (v instanceof Number n) return n.longValue();
    if (v instanceof String s && !s.isBlank()) {
      try {
        return (long) Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private Future<Void> applied() {
    // Here first (so the reply's caller can use the client at once), then every other member.
    return vertx.eventBus().request(Addresses.CLIENTS_REFRESH, new JsonObject(), new DeliveryOptions().setLocalOnly(true))
        .onComplete(ar -> vertx.eventBus().publish(Addresses.CLIENTS_CHANGED, new JsonObject()))
        .mapEmpty();
  }

  private <T> Future<T> exclusively(Supplier<Future<T>> work) {
    return vertx.sharedData().getLockWithTimeout(ADMIN_LOCK, ADMIN_LOCK_WAIT_MS)
        .recover(e -> Future.failedFuture(refuse(503, "another client change is still running; try again")))
        .compose(lock -> {
          Future<T> f;
          try {
            f = work.get();
          } catch (RuntimeException e) {
            f = Future.failedFuture(e);
          }
          return f.onComplete(ar -> lock.release());
        });
  }

  private Future<List<Record>> rows() {
    return store.listAll(config.masterClientsBaseId(), Clients.TABLE, ListQuery.all());
  }

  private Future<Record> row(String clientId) {
    return store.listAll(config.masterClientsBaseId(), Clients.TABLE,
            ListQuery.where(Filter.eq(Clients.CLIENT_ID, clientId)))
        .compose(rows -> rows.isEmpty() ? Future.failedFuture(refuse(404, "unknown client: " + clientId))
            : Future.succeededFuture(rows.get(0)));
  }

  private static Record find(List<Record> rows, String clientId) {
    for (Record r : rows) if (clientId.equals(trim(r.string(Clients.CLIENT_ID)))) return r;
    return null;
  }

  private static Record baseUser(List<Record> rows, String baseId, String exceptRecordId) {
    for (Record r : rows) {
      if (baseId.equals(trim(r.string(Clients.AIRTABLE_BASE_ID))) && !r.id().equals(exceptRecordId)) return r;
    }
    return null;
  }

  private void requireMasterBase() {
    if (config.masterClientsBaseId() == null) {
      throw refuse(409, "clients can only be added with a master base: set MASTER_CLIENTS_BASE_ID "
          + "(single-tenant mode with only AIRTABLE_BASE_ID has one fixed client)");
    }
  }

  static JsonObject rowJson(Record r) {
    return clientJson(r.string(Clients.CLIENT_ID), r.string(Clients.CLIENT_NAME), r.string(Clients.STATUS),
        r.string(Clients.AIRTABLE_BASE_ID), budgetOf(r));
  }

  private static JsonObject clientJson(String id, String name, String status, String baseId, Long budget) {
    return new JsonObject().put("clientId", id).put("clientName", name).put("status", status).put("baseId", baseId)
        .put("monthlyTokenBudget", budget);
  }

  /** Where the sender tools post; the secret goes in {@code &secret=} (or a header, or an HMAC signature). */
  private static JsonObject webhookPaths(String id) {
    return new JsonObject().put("linkedHelper", "/lh-webhook/upsertLeadOnly?clientId=" + id)
        .put("phantomBuster", "/api/pb-webhook?clientId=" + id);
  }

  /** "Acme Co. (UK)" → "acme-co-uk". */
  static String slug(String name) {
    String ascii = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    String s = ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
    if (s.length() > 40) s = s.substring(0, 40).replaceAll("-+$", "");
    if (!CLIENT_ID.matcher(s).matches()) {
      throw refuse(400, "cannot make a client id from clientName \"" + name + "\": give clientId "
          + "(lower-case letters, digits and '-', at most 40)");
    }
    return s;
  }

  private static String clientId(Object v) {
    if (v instanceof String s && CLIENT_ID.matcher(s).matches()) return s;
    throw refuse(400, "invalid clientId " + describe(v) + ": expected 1-40 lower-case letters, digits or '-', "
        + "not starting or ending with '-'");
  }

  private static String name(Object v) {
    if (!(v instanceof String s) || s.isBlank()) return null;
    if (s.length() > MAX_NAME_CHARS) throw refuse(400, "clientName is longer than " + MAX_NAME_CHARS + " characters");
    return s.trim();
  }

  private static String status(Object v) {
    if (v instanceof String s) {
      if (s.equalsIgnoreCase(Clients.STATUS_ACTIVE)) return Clients.STATUS_ACTIVE;
      if (s.equalsIgnoreCase(Clients.STATUS_PAUSED)) return Clients.STATUS_PAUSED;
    }
    throw refuse(400, "invalid status " + describe(v) + ": expected \"Active\" or \"Paused\"");
  }

  private static String baseId(Object v) {
    if (v instanceof String s && BASE_ID.matcher(s.trim()).matches()) return s.trim();
    throw refuse(400, "invalid baseId " + describe(v) + ": expected 1 to 64 letters, digits, '-' or '_'"
        + " (an Airtable base id is \"app\" and 14 letters or digits)");
  }

  private static Long budget(JsonObject body, String key) {
    Object v = body.getValue(key);
    if (v == null) return null;
    if (v instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() == Math.floor(n.doubleValue())
        && n.doubleValue() <= Long.MAX_VALUE) {
      return n.longValue();
    }
    throw refuse(400, "invalid " + key + " " + describe(v) + ": expected a whole number of tokens >= 0, or null for "
        + "unlimited");
  }

  private static void unknownKeys(JsonObject body, Set<String> allowed) {
    Set<String> unknown = new TreeSet<>(body.fieldNames());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw refuse(400, "unknown field(s) " + unknown + "; allowed: " + new TreeSet<>(allowed));
    }
  }

  private static String describe(Object v) {
    String s = v instanceof String str ? "\"" + str + "\"" : String.valueOf(v);
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }

  private static String trim(String s) {
    return s == null ? null : s.trim();
  }

  static ReplyException refuse(int status, String message) {
    return new ReplyException(ReplyFailure.RECIPIENT_FAILURE, status, message);
  }
}
