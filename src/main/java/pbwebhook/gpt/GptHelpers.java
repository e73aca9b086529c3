package pbwebhook.gpt;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import pbwebhook.ai.LeadPromptBuilder;
import pbwebhook.json.JsonRepair;
import pbwebhook.scoring.RubricLoader;
import pbwebhook.store.Filter;
import pbwebhook.store.ListQuery;
import pbwebhook.store.Record;
import pbwebhook.store.RecordStore;
import pbwebhook.store.StoreException;
import pbwebhook.store.schema.Credentials;
import pbwebhook.store.schema.Leads;
import pbwebhook.store.schema.ScoringAttributes;

/**
 * The Custom-GPT helpers of one client (system.md §1), on the client's own base: the lead chosen for the chat is
 * the first Credentials row's {@code Record ID for Chat}; what the GPT may read of it is that row's
 * {@code GPT Visible Fields}. The prompt is the one lead scoring sends ({@link LeadPromptBuilder} over the client's
 * rubric, through the worker's own {@link RubricLoader}, whose cache an attribute edit clears).
 */
public final class GptHelpers {

  public static final String POINTER = "pointer";
  public static final String LATEST_LEAD = "latest-lead";
  public static final String UPDATE_LEAD = "update-lead";
  public static final String PROMPT = "prompt";
  public static final String PROFILE = "profile";
  public static final String ATTRIBUTE = "attribute";

  private final RecordStore store;
  private final String baseId;
  private final String attributesTable;
  private final RubricLoader rubrics;

  public GptHelpers(RecordStore store, String baseId, String attributesTable, RubricLoader rubrics) {
    this.store = store;
    this.baseId = baseId;
    this.attributesTable = attributesTable;
    this.rubrics = rubrics;
  }

  /** One request from the HTTP side: {@code {action, ...}}, already validated there. */
  public Future<JsonObject> handle(JsonObject m) {
    String action = m.getString("action", "");
    return switch (action) {
      case POINTER -> pointTo(m.getString("recordId"));
      case LATEST_LEAD -> latestLead();
      case UPDATE_LEAD -> updateLead(m.getJsonObject("fields"));
      case PROMPT -> rubrics.load().map(r -> new JsonObject().put("prompt", LeadPromptBuilder.systemInstruction(r)));
      case PROFILE -> profile(m.getString("recordId"));
      case ATTRIBUTE -> editAttribute(m.getString("attributeId"), m.getJsonObject("fields"));
      default -> Future.failedFuture(new IllegalArgumentException("unknown GPT helper action: " + action));
    };
  }

  /** Checks the lead exists, then stores it as the chat's lead (in a new Credentials row if the table has none). */
  private Future<JsonObject> pointTo(String recordId) {
    JsonObject pointer = new JsonObject().put(Credentials.RECORD_ID_FOR_CHAT, recordId);
    return store.get(baseId, Leads.TABLE, recordId).compose(lead -> credentials()).compose(row -> row == null
            ? store.create(baseId, Credentials.TABLE, List.of(pointer))
            : store.update(baseId, Credentials.TABLE, List.of(new Record(row.id(), null, pointer))))
        .map(w -> new JsonObject().put("recordId", recordId));
  }

  /** The chat's lead, limited to the GPT Visible Fields; a listed field the lead leaves empty is left out. */
  private Future<JsonObject> latestLead() {
    return credentials().compose(row -> chatLead(row).map(lead -> {
      JsonObject out = new JsonObject();
      for (String f : visibleFields(row)) {
        Object v = lead.fields().getValue(f);
        if (v != null) out.put(f, v);
      }
      return out;
    }));
  }

  private Future<JsonObject> updateLead(JsonObject fields) {
    return credentials().compose(this::chatLead)
        .compose(lead -> store.update(baseId, Leads.TABLE, List.of(new Record(lead.id(), null, fields))))
        .map(w -> new JsonObject().put("success", true));
  }

  /** {@code {profile}}: the lead's Profile Full JSON parsed (null when empty). */
  private Future<JsonObject> profile(String recordId) {
    return store.get(baseId, Leads.TABLE, recordId).compose(lead -> {
      String text = lead.string(Leads.PROFILE_FULL_JSON);
      if (text == null || text.isBlank()) return Future.succeededFuture(new JsonObject().putNull("profile"));
      JsonRepair.Result r = JsonRepair.repairAndParse(text);
      if (!r.success()) {
        return Future.failedFuture(new StoreException(StoreException.Kind.INVALID_VALUE,
            "the lead's Profile Full JSON does not parse: " + r.error()));
      }
      return Future.succeededFuture(new JsonObject().put("profile", r.data()));
    });
  }

  private Future<JsonObject> editAttribute(String attributeId, JsonObject fields) {
    ListQuery q = ListQuery.where(Filter.eq(ScoringAttributes.ATTRIBUTE_ID, attributeId)).withMaxRecords(1);
    return store.listAll(baseId, attributesTable, q).compose(rows -> {
      if (rows.isEmpty()) {
        return Future.failedFuture(new StoreException(StoreException.Kind.NOT_FOUND,
            "no attribute \"" + attributeId + "\" in table " + attributesTable));
      }
      return store.update(baseId, attributesTable, List.of(new Record(rows.get(0).id(), null, fields)));
    }).map(written -> {
      rubrics.invalidate();
      JsonObject out = new JsonObject().put("ok", true).put("attributeId", attributeId).put("fields", fields);
      // A field the base lacks (an optional one, such as Active) is left out of the write rather than failing it.
      List<String> missing = store.missingOptionalFields(baseId).getOrDefault(attributesTable, List.of());
      List<String> notStored = fields.fieldNames().stream().filter(missing::contains).sorted().toList();
      if (!notStored.isEmpty()) out.put("notStored", notStored);
      return out;
    });
  }

  /** The first Credentials row, or null when the table is empty. */
  private Future<Record> credentials() {
    return store.list(baseId, Credentials.TABLE, ListQuery.all().withPageSize(1).withMaxRecords(1))
        .map(page -> page.records().isEmpty() ? null : page.records().get(0));
  }

  private Future<Record> chatLead(Record credentials) {
    String recordId = credentials == null ? null : credentials.string(Credentials.RECORD_ID_FOR_CHAT);
    if (recordId == null || recordId.isBlank()) {
      return Future.failedFuture(new StoreException(StoreException.Kind.NOT_FOUND,
          "no lead is chosen for the chat: open /pointer?recordId=<lead> first"));
    }
    return store.get(baseId, Leads.TABLE, recordId.trim());
  }

  private static List<String> visibleFields(Record credentials) {
    String list = credentials.string(Credentials.GPT_VISIBLE_FIELDS);
    if (list == null) return List.of();
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
