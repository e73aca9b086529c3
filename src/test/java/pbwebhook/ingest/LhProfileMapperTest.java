package pbwebhook.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import pbwebhook.store.schema.Leads;

class LhProfileMapperTest {

  static final Instant NOW = Instant.parse("2025-07-01T08:00:00Z");
  static final String NOW_ISO = "2025-07-01T08:00:00.000Z";
  static final String URL = "https://www.linkedin.com/in/jane-example-0001";

  /** The system.md §9.1 sample, as kept in examples/. */
  static JsonObject sample() throws IOException {
    return new JsonObject(Files.readString(Path.of("examples/lh-profile.json")));
  }

  static JsonObject withUrl(Object... keyValues) {
    JsonObject json = new JsonObject().put("profileUrl", URL + "/");
    for (int i = 0; i < keyValues.length; i += 2) {
      json.put((String) keyValues[i], keyValues[i + 1]);
    }
    return json;
  }

  @Test
  void mapsTheSamplePayloadOfTheSpec() throws IOException {
    JsonObject raw = sample();

    MappedLead lead = LhProfileMapper.map(raw, NOW);

    assertThat(lead.profileUrl()).isEqualTo(URL);
    assertThat(lead.canonicalKey()).isEqualTo("linkedin.com/in/jane-example-0001");
    assertThat(lead.connected()).isFalse();
    assertThat(lead.pending()).isFalse();
    JsonObject f = lead.fields();
    assertThat(f.getString(Leads.LINKEDIN_PROFILE_URL)).isEqualTo(URL);
    assertThat(f.getString(Leads.FIRST_NAME)).isEqualTo("Jane");
    assertThat(f.getString(Leads.LAST_NAME)).isEqualTo("Example");
    assertThat(f.getString(Leads.HEADLINE)).isEqualTo("Founder at Example Labs | Applied AI for SMEs");
    assertThat(f.getString(Leads.JOB_TITLE)).isEqualTo("Founder at Example Labs | Applied AI for SMEs");
    assertThat(f.getString(Leads.COMPANY_NAME)).isEqualTo("Example Labs");
    assertThat(f.getString(Leads.ABOUT)).isEqualTo("Building practical automation products for small firms since 2022.");
    assertThat(f.getString(Leads.JOB_HISTORY)).isEqualTo(
        "Current:\nJan 2022 – Present — Product and sales.\nPrevious:\n2018 – 2021 — Led a team of 6.");
    assertThat(f.getString(Leads.LOCATION)).isEqualTo("Brisbane, Queensland, Australia");
    assertThat(f.getString(Leads.EMAIL)).isEqualTo("jane@example.org");
    assertThat(f.getString(Leads.PHONE)).isEqualTo("+61 400 000 000");
    assertThat(f.getString(Leads.VIEW_IN_SALES_NAVIGATOR))
        .isEqualTo("https://www.linkedin.com/sales/lead/ACwAAAExampleHash0001");
    assertThat(f.getString(Leads.REFRESHED_AT)).isEqualTo("2025-06-30T14:05:00.000Z");
    assertThat(new JsonObject(f.getString(Leads.RAW_PROFILE_DATA))).isEqualTo(raw);
    assertThat(f.getString(Leads.RAW_PROFILE_DATA)).doesNotContain("\n");
    assertThat(new JsonObject(f.getString(Leads.PROFILE_FULL_JSON))).isEqualTo(new JsonObject()
        .put("headline", "Founder at Example Labs | Applied AI for SMEs")
        .put("about", "Building practical automation products for small firms since 2022.")
        .put("experience", new JsonArray()
            .add(new JsonObject().put("title", "Founder").put("company", "Example Labs")
                .put("dateRange", "Jan 2022 – Present").put("description", "Product and sales."))
            .add(new JsonObject().put("title", "Head of Product").put("company", "Sample SaaS")
                .put("dateRange", "2018 – 2021").put("description", "Led a team of 6.")))
        .put("_experienceCount", 2)
        // The sample has publicId but neither id nor public_id: empty, as the mapping spec has it.
        .put("_originalId", ""));
    // Not connected, no status, no date given: the planner decides these.
    assertThat(f.fieldNames()).doesNotContain(Leads.LINKEDIN_CONNECTION_STATUS, Leads.DATE_CONNECTED,
        Leads.STATUS, Leads.SOURCE, Leads.SCORING_STATUS);
  }

  @Test
  void fieldsHoldOnlyValuesThePayloadHas() {
    MappedLead lead = LhProfileMapper.map(withUrl("firstName", "  ", "email", "", "phone", null), NOW);

    assertThat(lead.fields().fieldNames())
        .containsExactlyInAnyOrder(Leads.LINKEDIN_PROFILE_URL, Leads.REFRESHED_AT, Leads.RAW_PROFILE_DATA);
    assertThat(lead.fields().getString(Leads.REFRESHED_AT)).isEqualTo(NOW_ISO);
  }

  static Stream<Arguments> urlChain() {
    return Stream.of(
        Arguments.of(new JsonObject().put("profileUrl", "https://www.linkedin.com/in/a/").put("linkedinProfileUrl", "x"),
            "https://www.linkedin.com/in/a", "linkedin.com/in/a"),
        Arguments.of(new JsonObject().put("profileUrl", " ").put("linkedinProfileUrl", "https://www.linkedin.com/in/b/"),
            "https://www.linkedin.com/in/b", "linkedin.com/in/b"),
        Arguments.of(new JsonObject().put("profile_url", "http://linkedin.com/in/C"),
            "http://linkedin.com/in/C", "linkedin.com/in/c"),
        Arguments.of(new JsonObject().put("publicId", "jane-example-0001").put("memberId", "100000001"),
            "https://www.linkedin.com/in/jane-example-0001", "linkedin.com/in/jane-example-0001"),
        Arguments.of(new JsonObject().put("memberId", "100000001"),
            "https://www.linkedin.com/profile/view?id=100000001", "linkedin.com/profile/view?id=100000001"),
        Arguments.of(new JsonObject().put("memberId", 100000002),
            "https://www.linkedin.com/profile/view?id=100000002", "linkedin.com/profile/view?id=100000002"));
  }

  @ParameterizedTest
  @MethodSource("urlChain")
  void resolvesTheUrlChain(JsonObject raw, String storedUrl, String key) {
    MappedLead lead = LhProfileMapper.map(raw, NOW);

    assertThat(lead.profileUrl()).isEqualTo(storedUrl);
    assertThat(lead.fields().getString(Leads.LINKEDIN_PROFILE_URL)).isEqualTo(storedUrl);
    assertThat(lead.canonicalKey()).isEqualTo(key);
  }

  @Test
  void refusesAProfileWithoutAnyUrl() {
    assertThatThrownBy(() -> LhProfileMapper.map(new JsonObject().put("firstName", "Jane").put("profileUrl", ""), NOW))
        .isInstanceOf(InvalidPayloadException.class)
        .hasMessage("profile has no URL (expected one of profileUrl, linkedinProfileUrl, profile_url, publicId, memberId)");
    assertThatThrownBy(() -> LhProfileMapper.map(null, NOW)).isInstanceOf(InvalidPayloadException.class);
  }

  static Stream<Arguments> degrees() {
    return Stream.of(
        Arguments.of(withUrl("connectionDegree", "1st"), true),
        Arguments.of(withUrl("connectionDegree", "2nd"), false),
        Arguments.of(withUrl("distance", "DISTANCE_1"), true),
        Arguments.of(withUrl("distance", "DISTANCE_2"), false),
        Arguments.of(withUrl("member_distance", "DISTANCE_1"), true),
        Arguments.of(withUrl("member_distance", "DISTANCE_3"), false),
        Arguments.of(withUrl("degree", 1), true),
        Arguments.of(withUrl("degree", "1"), true),
        Arguments.of(withUrl("degree", 1.0), true),
        Arguments.of(withUrl("degree", 2), false),
        Arguments.of(withUrl("connectionStatus", "Connected"), true),
        Arguments.of(withUrl("linkedinConnectionStatus", "Connected"), true),
        Arguments.of(withUrl("connectionStatus", "Pending"), false),
        Arguments.of(withUrl(), false));
  }

  @ParameterizedTest
  @MethodSource("degrees")
  void detectsFirstDegreeInEachForm(JsonObject raw, boolean connected) {
    MappedLead lead = LhProfileMapper.map(raw, NOW);

    assertThat(lead.connected()).isEqualTo(connected);
    if (connected) {
      assertThat(lead.fields().getString(Leads.LINKEDIN_CONNECTION_STATUS)).isEqualTo(Leads.CONNECTION_CONNECTED);
    }
  }

  static Stream<Arguments> connectionStatuses() {
    return Stream.of(
        Arguments.of(withUrl("connectionStatus", "Pending"), "Pending", true),
        Arguments.of(withUrl("linkedinConnectionStatus", "Pending"), "Pending", true),
        Arguments.of(withUrl("connectionStatus", "Invitation withdrawn"), "Invitation withdrawn", false),
        Arguments.of(withUrl("degree", 1, "connectionStatus", "Invitation withdrawn"), "Connected", false),
        Arguments.of(withUrl(), null, false));
  }

  @ParameterizedTest
  @MethodSource("connectionStatuses")
  void connectionStatusIsConnectedElsePendingElseRaw(JsonObject raw, String status, boolean pending) {
    MappedLead lead = LhProfileMapper.map(raw, NOW);

    assertThat(lead.fields().getString(Leads.LINKEDIN_CONNECTION_STATUS)).isEqualTo(status);
    assertThat(lead.pending()).isEqualTo(pending);
  }

  static Stream<Arguments> keyChains() {
    JsonArray experience = new JsonArray().add(new JsonObject().put("title", "CTO").put("company", "Exp Co"));
    return Stream.of(
        Arguments.of(withUrl("firstName", "Jane", "first_name", "J"), Leads.FIRST_NAME, "Jane"),
        Arguments.of(withUrl("first_name", "Jo"), Leads.FIRST_NAME, "Jo"),
        Arguments.of(withUrl("lastName", "Example", "last_name", "E"), Leads.LAST_NAME, "Example"),
        Arguments.of(withUrl("last_name", "Legacy"), Leads.LAST_NAME, "Legacy"),
        Arguments.of(withUrl("locationName", "Brisbane", "location_name", "x", "location", "y"), Leads.LOCATION, "Brisbane"),
        Arguments.of(withUrl("location_name", "Sydney", "location", "y"), Leads.LOCATION, "Sydney"),
        Arguments.of(withUrl("location", "Perth"), Leads.LOCATION, "Perth"),
        Arguments.of(withUrl("headline", "H", "occupation", "O"), Leads.HEADLINE, "H"),
        Arguments.of(withUrl("occupation", "Occupied"), Leads.HEADLINE, "Occupied"),
        Arguments.of(withUrl("position", "P"), Leads.HEADLINE, null),
        Arguments.of(withUrl("headline", "H", "occupation", "O", "position", "P"), Leads.JOB_TITLE, "H"),
        Arguments.of(withUrl("occupation", "O", "position", "P"), Leads.JOB_TITLE, "O"),
        Arguments.of(withUrl("position", "P", "experience", experience), Leads.JOB_TITLE, "P"),
        Arguments.of(withUrl("experience", experience), Leads.JOB_TITLE, "CTO"),
        Arguments.of(withUrl("companyName", "CN", "company", new JsonObject().put("name", "Obj")), Leads.COMPANY_NAME, "CN"),
        Arguments.of(withUrl("company", new JsonObject().put("name", "Obj"), "experience", experience), Leads.COMPANY_NAME, "Obj"),
        Arguments.of(withUrl("experience", experience, "organization_1", "Org1"), Leads.COMPANY_NAME, "Exp Co"),
        Arguments.of(withUrl("organization_1", "Org1"), Leads.COMPANY_NAME, "Org1"),
        Arguments.of(withUrl("summary", "S", "bio", "B"), Leads.ABOUT, "S"),
        Arguments.of(withUrl("bio", "Bio text"), Leads.ABOUT, "Bio text"),
        Arguments.of(withUrl("email", "a@x.org", "workEmail", "w@x.org"), Leads.EMAIL, "a@x.org"),
        Arguments.of(withUrl("workEmail", "w@x.org"), Leads.EMAIL, "w@x.org"),
        Arguments.of(withUrl("phone", "+61 1", "phoneNumbers", new JsonArray().add(new JsonObject().put("value", "+61 2"))),
            Leads.PHONE, "+61 1"),
        Arguments.of(withUrl("phoneNumbers", new JsonArray().add(new JsonObject().put("type", "mobile").put("value", "+61 2"))),
            Leads.PHONE, "+61 2"),
        Arguments.of(withUrl("sn_hash_id", "ACwAAAExampleHash0001,NAME_SEARCH,x1y2"), Leads.VIEW_IN_SALES_NAVIGATOR,
            "https://www.linkedin.com/sales/lead/ACwAAAExampleHash0001"),
        Arguments.of(withUrl("sn_hash_id", "ACwAAAOnlyHash"), Leads.VIEW_IN_SALES_NAVIGATOR,
            "https://www.linkedin.com/sales/lead/ACwAAAOnlyHash"),
        Arguments.of(withUrl("sn_hash_id", ",NAME_SEARCH"), Leads.VIEW_IN_SALES_NAVIGATOR, null),
        Arguments.of(withUrl("lastRefreshed", "2025-06-30T14:05:00Z", "profileLastRefreshedDate", "2025-01-01"),
            Leads.REFRESHED_AT, "2025-06-30T14:05:00.000Z"),
        Arguments.of(withUrl("profileLastRefreshedDate", "2025-01-01"), Leads.REFRESHED_AT, "2025-01-01T00:00:00.000Z"),
        Arguments.of(withUrl(), Leads.REFRESHED_AT, NOW_ISO));
  }

  @ParameterizedTest(name = "[{index}] {1} = {2}")
  @MethodSource("keyChains")
  void firstNonEmptyValueOfEachChainWins(JsonObject raw, String field, String expected) {
    assertThat(LhProfileMapper.map(raw, NOW).fields().getString(field)).isEqualTo(expected);
  }

  static Stream<Arguments> connectionDates() {
    return Stream.of(
        Arguments.of(withUrl("connectionDate", "2024.03.05", "connected_at", "2020-01-01"), "2024-03-05T00:00:00.000Z"),
        Arguments.of(withUrl("connected_at_iso", "2024-03-05T10:11:12Z", "connected_at", "2020-01-01"), "2024-03-05T10:11:12.000Z"),
        Arguments.of(withUrl("connected_at", "2023.12.31"), "2023-12-31T00:00:00.000Z"),
        Arguments.of(withUrl("invited_date_iso", "2022-02-02T02:02:02.000Z"), "2022-02-02T02:02:02.000Z"),
        Arguments.of(withUrl("connectedAt", "2021-05-06"), "2021-05-06T00:00:00.000Z"),
        Arguments.of(withUrl("connectionDate", "last week", "connectedAt", "2021-05-06"), "2021-05-06T00:00:00.000Z"),
        Arguments.of(withUrl("connectionDate", "last week"), null),
        Arguments.of(withUrl("degree", 1), null));
  }

  @ParameterizedTest
  @MethodSource("connectionDates")
  void dateConnectedComesFromTheFirstReadableDateNeverFromNow(JsonObject raw, String expected) {
    assertThat(LhProfileMapper.map(raw, NOW).fields().getString(Leads.DATE_CONNECTED)).isEqualTo(expected);
  }

  @Test
  void jobHistoryFromCurrentAndPreviousExperience() {
    JsonObject raw = withUrl("experience", new JsonArray()
        .add(new JsonObject().put("dates", "2023 – Present").put("description", "Runs the place."))
        .add(new JsonObject().put("dateRange", "2019 – 2022")));

    assertThat(LhProfileMapper.map(raw, NOW).fields().getString(Leads.JOB_HISTORY))
        .isEqualTo("Current:\n2023 – Present — Runs the place.\nPrevious:\n2019 – 2022");
  }

  @Test
  void jobHistoryFallsBackToOneLinePerFlatOrganisation() {
    JsonObject raw = withUrl(
        "organization_1", "Example Labs", "organization_title_1", "Founder", "organization_start_1", "2022",
        "organization_2", "Sample SaaS", "organization_start_2", "2018", "organization_end_2", "2021",
        "organization_title_3", "Ignored", "organization_3", "Third Co");

    assertThat(LhProfileMapper.map(raw, NOW).fields().getString(Leads.JOB_HISTORY)).isEqualTo(
        "Founder at Example Labs (2022 – Present)\nUnknown Role at Sample SaaS (2018 – 2021)");
  }

  @Test
  void jobHistoryFallbackFillsUnknownOrganisationAndStart() {
    JsonObject raw = withUrl("experience", new JsonArray().add(new JsonObject().put("title", "No dates")),
        "organization_title_1", "Advisor");

    assertThat(LhProfileMapper.map(raw, NOW).fields().getString(Leads.JOB_HISTORY))
        .isEqualTo("Advisor at Unknown (? – Present)");
  }

  @Test
  void slimProfileReadsFlatLegacyJobsWhenThereIsNoExperience() {
    JsonObject raw = withUrl("id", "lh-42", "bio", "Legacy bio", "occupation", "Consultant");
    for (int i = 1; i <= 6; i++) {
      raw.put("organization_" + i, "Org " + i).put("organization_title_" + i, "Title " + i);
    }
    raw.put("organization_start_1", "2020").put("organization_end_1", "2024")
        .put("position_description_1", "Did things.");

    JsonObject slim = new JsonObject(LhProfileMapper.map(raw, NOW).fields().getString(Leads.PROFILE_FULL_JSON));

    assertThat(slim.getString("headline")).isEqualTo("Consultant");
    assertThat(slim.getString("about")).isEqualTo("Legacy bio");
    assertThat(slim.getString("_originalId")).isEqualTo("lh-42");
    assertThat(slim.getInteger("_experienceCount")).isEqualTo(5);
    assertThat(slim.getJsonArray("experience")).hasSize(5);
    assertThat(slim.getJsonArray("experience").getJsonObject(0)).isEqualTo(new JsonObject()
        .put("title", "Title 1").put("company", "Org 1").put("dateRange", "2020 – 2024").put("description", "Did things."));
    assertThat(slim.getJsonArray("experience").getJsonObject(1))
        .isEqualTo(new JsonObject().put("title", "Title 2").put("company", "Org 2"));
  }

  @Test
  void slimProfileKeepsFiveJobsButCountsThemAll() {
    JsonArray experience = new JsonArray();
    for (int i = 1; i <= 7; i++) {
      experience.add(new JsonObject().put("title", "Job " + i).put("company", ""));
    }
    JsonObject raw = withUrl("experience", experience, "linkedinDescription", "About via description", "public_id", "pid");

    JsonObject slim = new JsonObject(LhProfileMapper.map(raw, NOW).fields().getString(Leads.PROFILE_FULL_JSON));

    assertThat(slim.getJsonArray("experience")).hasSize(5);
    assertThat(slim.getJsonArray("experience").getJsonObject(0)).isEqualTo(new JsonObject().put("title", "Job 1"));
    assertThat(slim.getInteger("_experienceCount")).isEqualTo(7);
    assertThat(slim.getString("headline")).isEqualTo("Job 1");
    assertThat(slim.getString("about")).isEqualTo("About via description");
    assertThat(slim.getString("_originalId")).isEqualTo("pid");
  }

  @Test
  void noSlimProfileWhenThePayloadHasNothingToScore() {
    JsonObject fields = LhProfileMapper.map(withUrl("connectionStatus", "Connected"), NOW).fields();

    assertThat(fields.containsKey(Leads.PROFILE_FULL_JSON)).isFalse();
  }
}
