package pbwebhook.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static pbwebhook.ingest.LhProfileMapperTest.NOW;
import static pbwebhook.ingest.LhProfileMapperTest.NOW_ISO;
import static pbwebhook.ingest.LhProfileMapperTest.withUrl;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import pbwebhook.store.Record;
import pbwebhook.store.schema.Leads;

class LeadUpsertPlannerTest {

  static final String LATER_ISO = "2025-07-02T09:30:00.000Z";

  static MappedLead sampleLead() throws IOException {
    return LhProfileMapper.map(LhProfileMapperTest.sample(), NOW);
  }

  /** The stored record a create of {@code lead} would have produced, with a given Scoring Status. */
  static Record storedAs(MappedLead lead, String scoringStatus) {
    JsonObject fields = LeadUpsertPlanner.plan(lead, null, NOW).put(Leads.SCORING_STATUS, scoringStatus);
    return new Record("rec1", NOW_ISO, fields);
  }

  static Record stored(Object... keyValues) {
    JsonObject fields = new JsonObject();
    for (int i = 0; i < keyValues.length; i += 2) {
      fields.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new Record("rec1", NOW_ISO, fields);
  }

  // --- create ---

  @Test
  void createsANewSalesNavLeadWithItsDefaults() throws IOException {
    MappedLead lead = sampleLead();

    JsonObject plan = LeadUpsertPlanner.plan(lead, null, NOW);

    assertThat(plan.getString(Leads.STATUS)).isEqualTo("In Process");
    assertThat(plan.getString(Leads.SOURCE)).isEqualTo("SalesNav + LH Scrape");
    assertThat(plan.getString(Leads.SCORING_STATUS)).isEqualTo("To Be Scored");
    assertThat(plan.getString(Leads.LINKEDIN_CONNECTION_STATUS)).isEqualTo("Candidate");
    assertThat(plan.containsKey(Leads.DATE_CONNECTED)).isFalse();
    assertThat(plan.getString(Leads.EMAIL)).isEqualTo("jane@example.org");
    assertThat(plan.getString(Leads.PHONE)).isEqualTo("+61 400 000 000");
    assertThat(plan.fieldNames()).containsAll(lead.fields().fieldNames());
  }

  static Stream<Arguments> createdConnections() {
    return Stream.of(
        Arguments.of(withUrl("distance", "DISTANCE_1"), NOW_ISO),
        Arguments.of(withUrl("connectionDegree", "1st", "connectionDate", "2024.03.05"), "2024-03-05T00:00:00.000Z"));
  }

  @ParameterizedTest
  @MethodSource("createdConnections")
  void createsAnExistingConnection(JsonObject raw, String dateConnected) {
    JsonObject plan = LeadUpsertPlanner.plan(LhProfileMapper.map(raw, NOW), null, NOW);

    assertThat(plan.getString(Leads.SOURCE)).isEqualTo("Existing Connection Added by PB");
    assertThat(plan.getString(Leads.LINKEDIN_CONNECTION_STATUS)).isEqualTo("Connected");
    assertThat(plan.getString(Leads.DATE_CONNECTED)).isEqualTo(dateConnected);
    assertThat(plan.getString(Leads.SCORING_STATUS)).isEqualTo("To Be Scored");
    assertThat(plan.getString(Leads.STATUS)).isEqualTo("In Process");
  }

  @Test
  void createsAPendingLeadAsPending() {
    JsonObject plan = LeadUpsertPlanner.plan(LhProfileMapper.map(withUrl("connectionStatus", "Pending"), NOW), null, NOW);

    assertThat(plan.getString(Leads.LINKEDIN_CONNECTION_STATUS)).isEqualTo("Pending");
    assertThat(plan.getString(Leads.SOURCE)).isEqualTo("SalesNav + LH Scrape");
    assertThat(plan.containsKey(Leads.DATE_CONNECTED)).isFalse();
  }

  // --- update ---

  @Test
  void theSamePayloadAgainWritesNothing() throws IOException {
    MappedLead lead = sampleLead();

    assertThat(LeadUpsertPlanner.plan(lead, storedAs(lead, Leads.SCORED), NOW.plusSeconds(3600))).isEmpty();
  }

  @Test
  void storedDatesAndJsonInAnotherSpellingCountAsUnchanged() throws IOException {
    MappedLead lead = sampleLead();
    Record record = storedAs(lead, Leads.SCORED);
    record.fields()
        .put(Leads.REFRESHED_AT, "2025-06-30T14:05:00Z")
        .put(Leads.PROFILE_FULL_JSON, new JsonObject(lead.fields().getString(Leads.PROFILE_FULL_JSON)).encodePrettily());

    assertThat(LeadUpsertPlanner.plan(lead, record, NOW)).isEmpty();
  }

  @Test
  void writesOnlyTheFieldsThatChanged() throws IOException {
    MappedLead before = sampleLead();
    JsonObject raw = LhProfileMapperTest.sample().put("email", "jane@new.example.org").put("locationName", "Sydney");

    JsonObject plan = LeadUpsertPlanner.plan(LhProfileMapper.map(raw, NOW), storedAs(before, Leads.SCORED), NOW);

    assertThat(plan.fieldNames())
        .containsExactlyInAnyOrder(Leads.EMAIL, Leads.LOCATION, Leads.RAW_PROFILE_DATA);
    assertThat(plan.getString(Leads.EMAIL)).isEqualTo("jane@new.example.org");
    assertThat(plan.getString(Leads.LOCATION)).isEqualTo("Sydney");
  }

  @Test
  void neverBlanksStoredFieldsNorResetsStatusOrSource() {
    Record record = stored(
        Leads.LINKEDIN_PROFILE_URL, "https://www.linkedin.com/in/jane-example-0001",
        Leads.EMAIL, "jane@example.org", Leads.PHONE, "+61 400 000 000",
        Leads.VIEW_IN_SALES_NAVIGATOR, "https://www.linkedin.com/sales/lead/ACwAAAExampleHash0001",
        Leads.DATE_CONNECTED, "2024-03-05T00:00:00.000Z", Leads.STATUS, "Contacted",
        Leads.SOURCE, "SalesNav + LH Scrape", Leads.SCORING_STATUS, Leads.SCORED,
        Leads.REFRESHED_AT, NOW_ISO);
    MappedLead thin = LhProfileMapper.map(
        withUrl("email", "", "phone", " ", "sn_hash_id", "", "connectionDate", "", "firstName", "Jane"), NOW);

    JsonObject plan = LeadUpsertPlanner.plan(thin, record, NOW);

    assertThat(plan.fieldNames()).containsExactlyInAnyOrder(Leads.FIRST_NAME, Leads.RAW_PROFILE_DATA);
  }

  static Stream<Arguments> connectionStatusUpdates() {
    return Stream.of(
        Arguments.of("Connected", withUrl("connectionStatus", "Pending"), null),
        Arguments.of("Connected", withUrl("connectionStatus", "Invitation withdrawn"), null),
        Arguments.of("Connected", withUrl("degree", 1), null),
        Arguments.of("Candidate", withUrl("connectionStatus", "Pending"), "Pending"),
        Arguments.of("Pending", withUrl("member_distance", "DISTANCE_1"), "Connected"),
        Arguments.of("Candidate", withUrl(), null));
  }

  @ParameterizedTest
  @MethodSource("connectionStatusUpdates")
  void connectionStatusIsNeverDowngradedFromConnected(String storedStatus, JsonObject raw, String written) {
    Record record = stored(Leads.LINKEDIN_CONNECTION_STATUS, storedStatus,
        Leads.DATE_CONNECTED, "2024-03-05T00:00:00.000Z", Leads.SCORING_STATUS, Leads.SCORED);

    JsonObject plan = LeadUpsertPlanner.plan(LhProfileMapper.map(raw, NOW), record, NOW);

    assertThat(plan.getString(Leads.LINKEDIN_CONNECTION_STATUS)).isEqualTo(written);
  }

  @ParameterizedTest(name = "[{index}] stored={0} payload={1} -> {2}")
  @CsvSource(nullValues = "null", value = {
    // a connection without any date gets now, once
    "null,                     null,       " + NOW_ISO,
    // a stored date is never reset to now
    "2024-03-05T00:00:00.000Z, null,       null",
    // a date in the payload that differs from the stored one is written as given
    "2024-03-05T00:00:00.000Z, 2024.04.01, 2024-04-01T00:00:00.000Z",
    "null,                     2024.04.01, 2024-04-01T00:00:00.000Z",
  })
  void dateConnectedOfAConnection(String storedDate, String payloadDate, String written) {
    Record record = stored(Leads.LINKEDIN_CONNECTION_STATUS, "Connected", Leads.DATE_CONNECTED, storedDate);
    JsonObject raw = withUrl("degree", 1);
    if (payloadDate != null) {
      raw.put("connectionDate", payloadDate);
    }

    JsonObject plan = LeadUpsertPlanner.plan(LhProfileMapper.map(raw, NOW), record, NOW);

    assertThat(plan.getString(Leads.DATE_CONNECTED)).isEqualTo(written);
  }

  @Test
  void aNonConnectionGetsNoDateConnected() {
    JsonObject plan = LeadUpsertPlanner.plan(LhProfileMapper.map(withUrl(), NOW), stored(), NOW);

    assertThat(plan.containsKey(Leads.DATE_CONNECTED)).isFalse();
  }

  // --- scoring status on update ---

  @Test
  void aRevisitWithTheSameScoringInputCostsNoRescore() throws IOException {
    MappedLead lead = sampleLead();
    JsonObject raw = LhProfileMapperTest.sample().put("lastRefreshed", "2025-07-02T09:30:00Z").put("email", "x@y.org");

    JsonObject plan = LeadUpsertPlanner.plan(LhProfileMapper.map(raw, NOW), storedAs(lead, Leads.SCORED), NOW);

    assertThat(plan.getString(Leads.REFRESHED_AT)).isEqualTo(LATER_ISO);
    assertThat(plan.containsKey(Leads.SCORING_STATUS)).isFalse();
  }

  static Stream<Arguments> scoringInputChanges() {
    return Stream.of(
        Arguments.of("headline", (Consumer<JsonObject>) raw -> raw.put("headline", "CEO at Example Labs")),
        Arguments.of("about", (Consumer<JsonObject>) raw -> raw.put("summary", "Now advising large enterprises on AI.")),
        Arguments.of("new job", (Consumer<JsonObject>) raw -> raw.getJsonArray("experience")
            .add(new JsonObject().put("title", "Intern").put("company", "First Co"))),
        Arguments.of("job description", (Consumer<JsonObject>) raw -> raw.getJsonArray("experience")
            .getJsonObject(0).put("description", "Product, sales and hiring.")));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("scoringInputChanges")
  void aChangedScoringInputSendsANonConnectionBackToScoring(
      String change, Consumer<JsonObject> edit) throws IOException {
    Record record = storedAs(sampleLead(), Leads.SCORED);
    JsonObject raw = LhProfileMapperTest.sample();
    edit.accept(raw);

    JsonObject plan = LeadUpsertPlanner.plan(LhProfileMapper.map(raw, NOW), record, NOW);

    assertThat(plan.getString(Leads.SCORING_STATUS)).isEqualTo("To Be Scored");
    assertThat(plan.containsKey(Leads.PROFILE_FULL_JSON)).isTrue();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("scoringInputChanges")
  void aFirstDegreeConnectionKeepsItsScoringStatus(
      String change, Consumer<JsonObject> edit) throws IOException {
    Record record = storedAs(sampleLead(), Leads.SCORED);
    JsonObject raw = LhProfileMapperTest.sample().put("member_distance", "DISTANCE_1");
    edit.accept(raw);

    JsonObject plan = LeadUpsertPlanner.plan(LhProfileMapper.map(raw, NOW), record, NOW);

    assertThat(plan.containsKey(Leads.SCORING_STATUS)).isFalse();
    assertThat(plan.containsKey(Leads.PROFILE_FULL_JSON)).isTrue();
  }

  static Stream<Arguments> storedScoringStates() {
    return Stream.of(
        // stored status, stored profile json, expected Scoring Status written
        Arguments.of(null, "same", "To Be Scored"),
        Arguments.of("", "same", "To Be Scored"),
        Arguments.of(Leads.SCORED, null, "To Be Scored"),
        Arguments.of(Leads.SCORED, "{not json", "To Be Scored"),
        Arguments.of(Leads.FAILED_API_ERROR, "same", null),
        Arguments.of(Leads.TO_BE_SCORED, "same", null),
        // changed input is written even over a stored To Be Scored: the snapshot planned against may be stale
        Arguments.of(Leads.TO_BE_SCORED, null, "To Be Scored"));
  }

  @ParameterizedTest
  @MethodSource("storedScoringStates")
  void scoringStatusOfAStoredNonConnection(String storedStatus, String storedProfile, String written)
      throws IOException {
    MappedLead lead = sampleLead();
    Record record = storedAs(lead, storedStatus);
    record.fields().put(Leads.PROFILE_FULL_JSON,
        "same".equals(storedProfile) ? lead.fields().getString(Leads.PROFILE_FULL_JSON) : storedProfile);

    JsonObject plan = LeadUpsertPlanner.plan(lead, record, NOW);

    assertThat(plan.getString(Leads.SCORING_STATUS)).isEqualTo(written);
  }

  @Test
  void aBlankScoringStatusOfAConnectionIsLeftAlone() throws IOException {
    MappedLead lead = LhProfileMapper.map(LhProfileMapperTest.sample().put("degree", 1), NOW);

    JsonObject plan = LeadUpsertPlanner.plan(lead, storedAs(lead, null), NOW);

    assertThat(plan.containsKey(Leads.SCORING_STATUS)).isFalse();
  }

  @Test
  void aPayloadWithoutProfileDataDoesNotTriggerARescore() {
    Record record = stored(Leads.SCORING_STATUS, Leads.SCORED,
        Leads.PROFILE_FULL_JSON, "{\"headline\":\"Founder\",\"about\":\"\",\"experience\":[]}");

    JsonObject plan = LeadUpsertPlanner.plan(LhProfileMapper.map(withUrl("email", "a@b.org"), NOW), record, NOW);

    assertThat(plan.containsKey(Leads.SCORING_STATUS)).isFalse();
    assertThat(plan.containsKey(Leads.PROFILE_FULL_JSON)).isFalse();
  }

  // --- scoringInputChanged ---

  static Stream<Arguments> scoringInputPairs() {
    String base = "{\"headline\":\"Founder\",\"about\":\"Builds things.\","
        + "\"experience\":[{\"title\":\"Founder\",\"company\":\"Example Labs\"}],\"_experienceCount\":1,\"_originalId\":\"a\"}";
    return Stream.of(
        Arguments.of(base, base, false),
        // counters, ids, blank keys and spacing are not scoring input
        Arguments.of(base, "{\"headline\":\" Founder \",\"about\":\"Builds things.\",\"experience\":"
            + "[{\"title\":\"Founder\",\"company\":\"Example Labs\",\"description\":\"\"}],\"_experienceCount\":9,\"_originalId\":\"b\"}", false),
        Arguments.of(base, base.replace("\"Founder\",\"about", "\"CEO\",\"about"), true),
        Arguments.of(base, base.replace("Builds things.", "Builds more things."), true),
        Arguments.of(base, base.replace("Example Labs", "Other Labs"), true),
        Arguments.of(base, base.replace("}],", "},{\"title\":\"Advisor\"}],"), true),
        Arguments.of(null, base, true),
        Arguments.of("", base, true),
        Arguments.of("[1,2]", base, true),
        Arguments.of("{broken", base, true),
        Arguments.of(base, null, false),
        Arguments.of(base, "{broken", false));
  }

  @ParameterizedTest
  @MethodSource("scoringInputPairs")
  void scoringInputChangedComparesHeadlineAboutAndJobs(String stored, String fresh, boolean changed) {
    assertThat(LeadUpsertPlanner.scoringInputChanged(stored, fresh)).isEqualTo(changed);
  }

  @Test
  void updatesNeverCarryPlannerOnlyFields() throws IOException {
    MappedLead lead = sampleLead();
    JsonObject plan = LeadUpsertPlanner.plan(lead, stored(Leads.SCORING_STATUS, Leads.SCORED), NOW);

    assertThat(plan.fieldNames()).doesNotContain(Leads.STATUS, Leads.SOURCE);
    assertThat(plan.getString(Leads.SCORING_STATUS)).isEqualTo("To Be Scored");
    assertThat(plan.fieldNames()).containsAll(lead.fields().fieldNames());
    // Candidate is a create-time default only; an update never invents a connection status.
    assertThat(plan.containsKey(Leads.LINKEDIN_CONNECTION_STATUS)).isFalse();
  }
}
