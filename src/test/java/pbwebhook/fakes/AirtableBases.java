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

  /** The Leads fields of system.md §2, written out here so the fixture does not share the server's own lists. */
  public static final List<String> OLD_LEADS_FIELDS = List.of("LinkedIn Profile URL", "Profile Key", "First Name",
      "Last Name", "Headline", "Job Title", "Company Name", "About", "Job History", "Location", "Email", "Phone",
      "View In Sales Navigator", "LinkedIn Connection Status", "Status", "Source", "Date Connected", "Refreshed At",
      "Profile Full JSON", "Raw Profile Data", "AI Score", "AI Profile Assessment", "AI Attribute Breakdown",
      "Scoring Status", "Date Scored", "AI_Excluded", "Exclude Details", "AU", "Posts Content", "Time Posts Added",
      "Posts Relevance Score", "Posts AI Evaluation", "Top Scoring Post", "Date Posts Scored", "Posts Plain Text",
      "Notes", "Message To Be Sent", "Send At", "PB Run ID", "PB Error Message", "Time PB Message Sent",
      "Message Status");

  /**
   * A client base with exactly the old server's tables and fields (system.md §2, no {@code Posts JSON Status}),
   * seeded with the default rubric: what every existing deployment has.
   */
  public static void oldSchemaClientBase(FakeAirtable fake, String baseId) {
    fake.createTable(baseId, "Leads", new LinkedHashSet<>(OLD_LEADS_FIELDS));
    fake.createTable(baseId, "Scoring Attributes", Set.of("Attribute Id", "Category", "Heading", "Instructions",
        "Examples", "Signals", "Max Points", "Penalty", "Min To Qualify", "Disqualifying"));
    fake.createTable(baseId, "Post Scoring Attributes", Set.of("Attribute ID", "Criterion Name", "Category",
        "Scoring Type", "Max Score / Point Value", "Detailed Instructions for AI (Scoring Rubric)",
        "Keywords/Positive Indicators", "Keywords/Negative Indicators", "Example - High Score / Applies",
        "Example - Low Score / Does Not Apply"));
    fake.createTable(baseId, "Post Scoring Instructions", Set.of("Component ID", "Component Name",
        "Instruction Text", "Sort Order"));
    fake.createTable(baseId, "Credentials", Set.of("Post Scoring AI Keywords", "PB Message Sender ID",
        "Phantom API Key", "LinkedIn Cookie", "User-Agent", "Record ID for Chat", "GPT Visible Fields"));
    fake.numberField(baseId, "Leads", "AI Score");
    DefaultRubric.scoringAttributeRows().forEach(r -> fake.insert(baseId, ScoringAttributes.TABLE, r));
    DefaultRubric.postScoringAttributeRows().forEach(r -> fake.insert(baseId, PostScoringAttributes.TABLE, r));
    DefaultRubric.postScoringInstructionRows().forEach(r -> fake.insert(baseId, PostScoringInstructions.TABLE, r));
    fake.insert(baseId, Credentials.TABLE, DefaultRubric.credentialsRow());
  }
}
