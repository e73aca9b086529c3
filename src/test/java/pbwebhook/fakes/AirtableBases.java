package pbwebhook.fakes;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import pbwebhook.scoring.DefaultRubric;
import pbwebhook.store.schema.Clients;
import pbwebhook.store.schema.Credentials;
import pbwebhook.store.schema.Leads;
import pbwebhook.store.schema.PostScoringAttributes;
import pbwebhook.store.schema.PostScoringInstructions;
import pbwebhook.store.schema.RequiredSchema;
import pbwebhook.store.schema.ScoringAttributes;

/** Lays out bases in a {@link FakeAirtable} the way operators have them: system.md §2 tables and fields only. */
public final class AirtableBases {
  private AirtableBases() {}

  public static final Set<String> CLIENT_FIELDS = Set.of(Clients.CLIENT_ID, Clients.CLIENT_NAME, Clients.STATUS,
      Clients.AIRTABLE_BASE_ID, Clients.EXECUTION_LOG);

  /** A master base with a Clients table (no Execution Summary table, like existing master bases). */
  public static void master(FakeAirtable fake, String masterBaseId) {
    fake.createTable(masterBaseId, Clients.TABLE, CLIENT_FIELDS);
  }

  public static void addClient(FakeAirtable fake, String masterBaseId, String clientId, String baseId, String status) {
    fake.insert(masterBaseId, Clients.TABLE, new JsonObject().put(Clients.CLIENT_ID, clientId)
        .put(Clients.CLIENT_NAME, "Client " + clientId).put(Clients.STATUS, status)
        .put(Clients.AIRTABLE_BASE_ID, baseId).put(Clients.EXECUTION_LOG, ""));
  }

  /** A client base with every §2 table and field, seeded with the default rubric. */
  public static void clientBase(FakeAirtable fake, String baseId) {
    clientBase(fake, baseId, Set.of());
  }

  /** As {@link #clientBase(FakeAirtable, String)}, but the Leads table lacks the given fields. */
  public static void clientBase(FakeAirtable fake, String baseId, Set<String> leadFieldsLeftOut) {
    RequiredSchema.clientBase(ScoringAttributes.TABLE).forEach((table, fields) -> {
      Set<String> declared = new LinkedHashSet<>(fields);
      if (table.equals(Leads.TABLE)) {
        declared.add(Leads.PROFILE_KEY);
        declared.add(Leads.POSTS_JSON_STATUS);
        declared.removeAll(leadFieldsLeftOut);
      }
      if (table.equals(ScoringAttributes.TABLE)) {
        declared.addAll(List.of(ScoringAttributes.EXAMPLES, ScoringAttributes.SIGNALS, ScoringAttributes.MIN_TO_QUALIFY,
            ScoringAttributes.DISQUALIFYING));
      }
      if (table.equals(PostScoringAttributes.TABLE)) {
        declared.addAll(List.of(PostScoringAttributes.SCORING_TYPE, PostScoringAttributes.MAX_SCORE,
            PostScoringAttributes.INSTRUCTIONS, PostScoringAttributes.POSITIVE_KEYWORDS,
            PostScoringAttributes.NEGATIVE_KEYWORDS, PostScoringAttributes.EXAMPLE_HIGH, PostScoringAttributes.EXAMPLE_LOW));
      }
      if (table.equals(PostScoringInstructions.TABLE)) {
        declared.addAll(List.of(PostScoringInstructions.COMPONENT_ID, PostScoringInstructions.COMPONENT_NAME));
      }
      fake.createTable(baseId, table, declared);
    });
    fake.numberField(baseId, Leads.TABLE, Leads.AI_SCORE);
    DefaultRubric.scoringAttributeRows().forEach(r -> fake.insert(baseId, ScoringAttributes.TABLE, r));
    DefaultRubric.postScoringAttributeRows().forEach(r -> fake.insert(baseId, PostScoringAttributes.TABLE, r));
    DefaultRubric.postScoringInstructionRows().forEach(r -> fake.insert(baseId, PostScoringInstructions.TABLE, r));
    fake.insert(baseId, Credentials.TABLE, DefaultRubric.credentialsRow());
  }
}
