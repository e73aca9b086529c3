package pbwebhook.store.airtable;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import pbwebhook.store.StoreException;
import pbwebhook.store.StoreException.Kind;

class AirtableErrorMapperTest {

  private static final String KEY = "patMapperKey.123";
  private final AirtableErrorMapper mapper = new AirtableErrorMapper(KEY);
  private final AirtableRequest write = new AirtableRequest(AirtableRequest.Operation.CREATE, HttpMethod.POST, "appB1",
      "Leads", null, "/v0/appB1/Leads", "", new JsonObject().put("records", new JsonArray()
      .add(new JsonObject().put("fields", new JsonObject().put("AI Score", "lots")))));

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', value = {
      "422 | {\"error\":{\"type\":\"UNKNOWN_FIELD_NAME\",\"message\":\"Unknown field name: \\\"Colour\\\"\"}} | INVALID_FIELD | Unknown field \"Colour\" in table \"Leads\" of base appB1",
      "422 | {\"error\":{\"type\":\"INVALID_VALUE_FOR_COLUMN\",\"message\":\"Field \\\"AI Score\\\" cannot accept the provided value\"}} | INVALID_VALUE | Invalid value \"lots\" for field \"AI Score\" in table \"Leads\" of base appB1",
      "422 | {\"error\":{\"type\":\"INVALID_FILTER_BY_FORMULA\",\"message\":\"The formula for filtering records is invalid: Unknown field names: Colour\"}} | INVALID_FIELD | Unknown field \"Colour\" in table \"Leads\"",
      "422 | {\"error\":{\"type\":\"LIST_RECORDS_ITERATOR_NOT_AVAILABLE\"}} | INVALID_REQUEST | Listing offset expired",
      "422 | {\"error\":{\"type\":\"INVALID_REQUEST_UNKNOWN\",\"message\":\"Invalid request\"}} | INVALID_REQUEST | INVALID_REQUEST_UNKNOWN",
      "404 | {\"error\":\"NOT_FOUND\"} | NOT_FOUND | Base appB1 or its table \"Leads\" not found",
      "422 | {\"error\":{\"type\":\"ROW_DOES_NOT_EXIST\",\"message\":\"Record ID recAAAAAAAAAAAAAA does not exist\"}} | NOT_FOUND | Record recAAAAAAAAAAAAAA not found",
      "403 | {\"error\":{\"type\":\"INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND\"}} | FORBIDDEN | No access to base appB1",
      "401 | {\"error\":{\"type\":\"AUTHENTICATION_REQUIRED\"}} | FORBIDDEN | rejected the API token",
      "429 | {\"errors\":[{\"error\":\"RATE_LIMIT_REACHED\",\"message\":\"Rate limit exceeded\"}]} | RATE_LIMITED | RATE_LIMIT_REACHED",
      "429 | {\"error\":{\"type\":\"PUBLIC_API_BILLING_LIMIT_EXCEEDED\"}} | BILLING_LIMIT | billing-plan",
      "503 | <html>Service Unavailable</html> | UNAVAILABLE | Airtable answered 503 for table \"Leads\" of base appB1",
  })
  void mapsEachAirtableErrorToATypedMessageNamingTheThing(int status, String body, Kind kind, String message) {
    StoreException e = mapper.map(write, status, Buffer.buffer(body));

    assertThat(e.kind()).isEqualTo(kind);
    assertThat(e).hasMessageContaining(message);
  }

  @Test
  void anEchoedApiKeyIsMaskedInTheMessage() {
    StoreException e = mapper.map(write, 422, Buffer.buffer(new JsonObject().put("error", new JsonObject()
        .put("type", "INVALID_REQUEST_UNKNOWN").put("message", "bad token " + KEY)).encode()));

    assertThat(e.getMessage()).doesNotContain(KEY).contains("***");
  }
}
