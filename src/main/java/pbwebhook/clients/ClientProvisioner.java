package pbwebhook.clients;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import pbwebhook.config.AppConfig;
import pbwebhook.scoring.DefaultRubric;
import pbwebhook.store.ListQuery;
import pbwebhook.store.RecordStore;
import pbwebhook.store.StoreException;
import pbwebhook.store.StoreException.Kind;
import pbwebhook.store.airtable.AirtableMetadataClient;
import pbwebhook.store.airtable.AirtableStore;
import pbwebhook.store.embedded.EmbeddedStore;
import pbwebhook.store.schema.BaseLayout;
import pbwebhook.store.schema.Credentials;
import pbwebhook.store.schema.FieldSpec;
import pbwebhook.store.schema.PostScoringAttributes;
import pbwebhook.store.schema.PostScoringInstructions;
import pbwebhook.store.schema.RequiredSchema;

/**
 * Makes a base fit for the server: every table and typed field of {@link BaseLayout}, and the default rubric
 * in rubric tables that are empty. On Airtable it creates the base ({@code AIRTABLE_WORKSPACE_ID}) or adds
 * what an existing base lacks, never deleting or retyping anything; the embedded store has no declared
 * schema (a table exists once written), so there it creates the base file and seeds it. Also checks a base
 * against the layout.
 */
public final class ClientProvisioner {

  private static final Logger log = LoggerFactory.getLogger(ClientProvisioner.class);

  private final RecordStore store;
  private final AppConfig config;

  public ClientProvisioner(RecordStore store, AppConfig config) {
    this.store = store;
    this.config = config;
  }

  /** What was created: {@code {baseId, baseCreated, tablesCreated, fieldsCreated, rowsSeeded}}. */
  public record Report(String baseId, boolean baseCreated, List<String> tablesCreated,
                       Map<String, List<String>> fieldsCreated, Map<String, Integer> rowsSeeded) {
    public JsonObject toJson() {
      JsonObject fields = new JsonObject();
      fieldsCreated.forEach((t, f) -> fields.put(t, new JsonArray(f)));
      JsonObject rows = new JsonObject();
      rowsSeeded.forEach(rows::put);
      return new JsonObject().put("baseCreated", baseCreated).put("tablesCreated", new JsonArray(tablesCreated))
          .put("fieldsCreated", fields).put("rowsSeeded", rows);
    }
  }

  /**
   * Provisions a client base: a new one when {@code baseId} is null (Airtable needs AIRTABLE_WORKSPACE_ID;
   * the embedded store names it after the client), else the given one, completed.
   */
  public Future<Report> provision(String clientId, String clientName, String baseId) {
    Map<String, List<FieldSpec>> layout = BaseLayout.clientBase(config.attrTableName());
    Future<Report> schema;
    if (store.unwrap() instanceof AirtableStore airtable) {
      AirtableMetadataClient meta = airtable.metadata();
      if (baseId == null) {
        String workspace = config.tenants().airtableWorkspaceId();
        if (workspace == null) {
          return Future.failedFuture(new StoreException(Kind.INVALID_REQUEST, "no baseId given and "
              + "AIRTABLE_WORKSPACE_ID is not set: pass the id of an existing base, or set the workspace to create one in"));
        }
        schema = meta.createBase(workspace, clientName, layout)
            .map(id -> new Report(id, true, List.copyOf(layout.keySet()), BaseLayout.names(layout), Map.of()));
      } else {
        schema = complete(meta, baseId, layout);
      }
    } else {
      String id = baseId == null ? clientId : baseId;
      Future<List<String>> existing = store.unwrap() instanceof EmbeddedStore embedded ? embedded.baseIds()
          : Future.succeededFuture(List.of(id));
      // Schemaless: a new base file "has" every table and field of the layout once written to.
      schema = existing.map(ids -> ids.contains(id)
          ? new Report(id, false, List.of(), Map.of(), Map.of())
          : new Report(id, true, List.copyOf(layout.keySet()), BaseLayout.names(layout), Map.of()));
    }
    return schema.compose(this::seedRubric)
        .onSuccess(r -> log.info("client {}: base {} provisioned (base created: {}, tables created: {})", clientId,
            r.baseId(), r.baseCreated(), r.tablesCreated().size()));
  }

  /** Adds what the client base lacks (same rules as provisioning). */
  public Future<Report> repairClientBase(String baseId) {
    return provision(null, null, baseId);
  }

  /** Adds the master base's missing tables and fields (Clients, Execution Summary); nothing to seed there. */
  public Future<Report> repairMaster() {
    String master = config.masterClientsBaseId();
    if (!(store.unwrap() instanceof AirtableStore airtable)) return Future.succeededFuture(new Report(master, false, List.of(),
        Map.of(), Map.of()));
    return complete(airtable.metadata(), master, BaseLayout.masterBase());
  }

  public Future<JsonObject> checkClientBase(String baseId) {
    return check(baseId, BaseLayout.clientBase(config.attrTableName()),
        RequiredSchema.clientBase(config.attrTableName()));
  }

  public Future<JsonObject> checkMaster() {
    return check(config.masterClientsBaseId(), BaseLayout.masterBase(), BaseLayout.masterRequired());
  }

  /**
   * {@code {baseId, schemaChecked, missingTables, missingFields, optionalMissing, extraFieldsIgnored}}:
   * required tables and fields absent, optional ones absent, and fields the server does not use.
   */
  private Future<JsonObject> check(String baseId, Map<String, List<FieldSpec>> layout,
                                   Map<String, List<String>> required) {
    return store.tableFields(baseId).map(actual -> {
      JsonObject out = new JsonObject().put("baseId", baseId);
      if (actual == null) {
        return out.put("schemaChecked", false).put("missingTables", new JsonArray()).put("missingFields", new JsonObject())
            .put("optionalMissing", new JsonObject()).put("extraFieldsIgnored", new JsonObject())
            .put("note", "the embedded store has no declared schema: every table and field exists once written");
      }
      JsonArray missingTables = new JsonArray();
      JsonObject missingFields = new JsonObject();
      JsonObject optionalMissing = new JsonObject();
      JsonObject extra = new JsonObject();
      layout.forEach((table, specs) -> {
        List<String> must = required.getOrDefault(table, List.of());
        Set<String> have = actual.get(table);
        if (have == null) {
          if (!must.isEmpty()) missingTables.add(table);
          else optionalMissing.put(table, new JsonArray(specs.stream().map(FieldSpec::name).toList()));
          return;
        }
        List<String> lackingRequired = new ArrayList<>();
        List<String> lackingOptional = new ArrayList<>();
        for (FieldSpec f : specs) {
          if (have.contains(f.name())) continue;
          (must.contains(f.name()) ? lackingRequired : lackingOptional).add(f.name());
        }
        if (!lackingRequired.isEmpty()) missingFields.put(table, new JsonArray(lackingRequired));
        if (!lackingOptional.isEmpty()) optionalMissing.put(table, new JsonArray(lackingOptional));
        Set<String> known = new LinkedHashSet<>(have);
        specs.forEach(f -> known.remove(f.name()));
        if (!known.isEmpty()) extra.put(table, new JsonArray(List.copyOf(known)));
      });
      return out.put("schemaChecked", true).put("missingTables", missingTables).put("missingFields", missingFields)
          .put("optionalMissing", optionalMissing).put("extraFieldsIgnored", extra);
    });
  }

  /** Creates the layout's missing tables, then the missing fields of existing tables, one request at a time. */
  private Future<Report> complete(AirtableMetadataClient meta, String baseId, Map<String, List<FieldSpec>> layout) {
    return meta.tables(baseId).compose(json -> {
      Map<String, String> tableIds = new LinkedHashMap<>();
      Map<String, Set<String>> actual = new LinkedHashMap<>();
      for (Object o : json.getJsonArray("tables", new JsonArray())) {
        if (!(o instanceof JsonObject t)) continue;
        tableIds.put(t.getString("name"), t.getString("id"));
        Set<String> names = new LinkedHashSet<>();
        for (Object f : t.getJsonArray("fields", new JsonArray())) {
          if (f instanceof JsonObject field) names.add(field.getString("name"));
        }
        actual.put(t.getString("name"), names);
      }
      BaseLayout.Missing missing = BaseLayout.missing(layout, actual);
      List<String> tablesCreated = new ArrayList<>();
      Map<String, List<String>> fieldsCreated = new LinkedHashMap<>();
      Future<Void> chain = Future.succeededFuture();
      for (String table : missing.tables()) {
        chain = chain.compose(v -> meta.createTable(baseId, table, layout.get(table)).map(t -> {
          tablesCreated.add(table);
          fieldsCreated.put(table, layout.get(table).stream().map(FieldSpec::name).toList());
          return null;
        }));
      }
      for (var e : missing.fields().entrySet()) {
        for (FieldSpec f : e.getValue()) {
          chain = chain.compose(v -> meta.createField(baseId, tableIds.get(e.getKey()), e.getKey(), f).map(created -> {
            fieldsCreated.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(f.name());
            return null;
          }));
        }
      }
      return chain.map(v -> new Report(baseId, false, tablesCreated, fieldsCreated, Map.of()));
    });
  }

  /** Seeds the default rubric, post rubric, prompt and keywords into those of the base's tables that are empty. */
  private Future<Report> seedRubric(Report schema) {
    Map<String, List<JsonObject>> seeds = new LinkedHashMap<>();
    seeds.put(config.attrTableName(), DefaultRubric.scoringAttributeRows());
    seeds.put(PostScoringAttributes.TABLE, DefaultRubric.postScoringAttributeRows());
    seeds.put(PostScoringInstructions.TABLE, DefaultRubric.postScoringInstructionRows());
    seeds.put(Credentials.TABLE, List.of(DefaultRubric.credentialsRow()));
    Map<String, Integer> seeded = new LinkedHashMap<>();
    Future<Void> chain = Future.succeededFuture();
    for (var e : seeds.entrySet()) {
      chain = chain.compose(v -> store.list(schema.baseId(), e.getKey(), ListQuery.all().withPageSize(1)))
          .compose(page -> {
            if (!page.records().isEmpty()) return Future.succeededFuture();
            Future<Void> writes = Future.succeededFuture();
            for (List<JsonObject> batch : RecordStore.batches(e.getValue())) {
              writes = writes.compose(v -> store.create(schema.baseId(), e.getKey(), batch).mapEmpty());
            }
            return writes.onSuccess(v -> seeded.put(e.getKey(), e.getValue().size()));
          });
    }
    return chain.map(v -> new Report(schema.baseId(), schema.baseCreated(), schema.tablesCreated(),
        schema.fieldsCreated(), seeded));
  }
}
