package pbwebhook.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LinkedInUrlTest {

  @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
  @CsvSource(delimiter = '|', value = {
    "https://www.linkedin.com/in/jane-example-0001/            | linkedin.com/in/jane-example-0001",
    "http://www.linkedin.com/in/jane-example-0001              | linkedin.com/in/jane-example-0001",
    "HTTPS://WWW.LinkedIn.com/in/Jane-Example-0001/            | linkedin.com/in/jane-example-0001",
    "linkedin.com/in/jane-example-0001                         | linkedin.com/in/jane-example-0001",
    "www.linkedin.com/in/jane-example-0001/                    | linkedin.com/in/jane-example-0001",
    "'  https://www.linkedin.com/in/jane-example-0001/  '      | linkedin.com/in/jane-example-0001",
    "https://www.linkedin.com/in/jane-example-0001/?trk=abc    | linkedin.com/in/jane-example-0001",
    "https://www.linkedin.com/in/jane-example-0001?a=1&b=2#top | linkedin.com/in/jane-example-0001",
    "https://www.linkedin.com/in/jane-example-0001#experience  | linkedin.com/in/jane-example-0001",
    "https://www.linkedin.com/in/jane-example-0001//           | linkedin.com/in/jane-example-0001",
    "https://www.linkedin.com/profile/view?id=100000001        | linkedin.com/profile/view?id=100000001",
    "http://linkedin.com/profile/view/?id=100000001&trk=x#f    | linkedin.com/profile/view?id=100000001",
    "https://www.linkedin.com/profile/view?trk=x&id=ACwAAAbC   | linkedin.com/profile/view?id=ACwAAAbC",
    "https://www.linkedin.com/profile/view?trk=x               | linkedin.com/profile/view",
    "https://www.linkedin.com/sales/lead/ACwAAA,NAME_SEARCH    | linkedin.com/sales/lead/acwaaa,name_search",
  })
  void canonicalKey(String url, String expected) {
    assertThat(LinkedInUrl.canonicalKey(url)).isEqualTo(expected);
  }

  @Test
  void canonicalKeyOfNothingIsEmpty() {
    assertThat(LinkedInUrl.canonicalKey(null)).isEmpty();
    assertThat(LinkedInUrl.canonicalKey("   ")).isEmpty();
  }

  @Test
  void memberIdUrlsStayDistinct() {
    assertThat(LinkedInUrl.canonicalKey("https://www.linkedin.com/profile/view?id=1"))
        .isNotEqualTo(LinkedInUrl.canonicalKey("https://www.linkedin.com/profile/view?id=2"));
  }

  @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
  @CsvSource(delimiter = '|', value = {
    "https://www.linkedin.com/in/jane-example-0001/     | https://www.linkedin.com/in/jane-example-0001",
    "https://www.linkedin.com/in/Jane-Example-0001      | https://www.linkedin.com/in/Jane-Example-0001",
    "'  https://www.linkedin.com/in/jane/  '            | https://www.linkedin.com/in/jane",
    "https://www.linkedin.com/in/jane//                 | https://www.linkedin.com/in/jane/",
    "https://www.linkedin.com/profile/view?id=100000001 | https://www.linkedin.com/profile/view?id=100000001",
  })
  void stripTrailingSlashKeepsTheUrlAsReceived(String url, String expected) {
    assertThat(LinkedInUrl.stripTrailingSlash(url)).isEqualTo(expected);
  }
}
