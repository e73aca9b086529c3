package pbwebhook.ingest;

import java.util.Locale;

/**
 * The one LinkedIn profile URL canonicalisation (behaviour-decisions.md "Ingest"). The old server
 * had four that disagreed on {@code www.}, case and query strings (system.md §8 item 16), so the same
 * lead could fail to match; every lookup now goes through {@link #canonicalKey}.
 */
public final class LinkedInUrl {
  private LinkedInUrl() {}

  private static final String PROFILE_VIEW_PATH = "linkedin.com/profile/view";

  /**
   * The matching key: lower-case host and path without protocol, leading {@code www.}, query,
   * fragment and trailing {@code /}. A {@code linkedin.com/profile/view?id=<memberId>} URL keeps its
   * {@code id} (as given, since member ids are case-sensitive) so leads known only by member id stay
   * distinct. Returns "" for null or blank input.
   */
  public static String canonicalKey(String url) {
    if (url == null || url.isBlank()) {
      return "";
    }
    String s = url.trim();
    s = stripPrefixIgnoreCase(s, "https://");
    s = stripPrefixIgnoreCase(s, "http://");
    s = stripPrefixIgnoreCase(s, "www.");

    String query = "";
    int hash = s.indexOf('#');
    if (hash >= 0) {
      s = s.substring(0, hash);
    }
    int question = s.indexOf('?');
    if (question >= 0) {
      query = s.substring(question + 1);
      s = s.substring(0, question);
    }
    String path = trimTrailingSlashes(s.toLowerCase(Locale.ROOT));
    if (path.equals(PROFILE_VIEW_PATH)) {
      String memberId = queryParam(query, "id");
      if (!memberId.isEmpty()) {
        return path + "?id=" + memberId;
      }
    }
    return path;
  }

  /** The stored form of a profile URL: trimmed, with one trailing {@code /} removed. Null gives "". */
  public static String stripTrailingSlash(String url) {
    if (url == null) {
      return "";
    }
    String s = url.trim();
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  private static String stripPrefixIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length()) ? s.substring(prefix.length()) : s;
  }

  private static String trimTrailingSlashes(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(0, end);
  }

  private static String queryParam(String query, String name) {
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq >= 0 ? pair.substring(0, eq) : pair;
      if (key.trim().equalsIgnoreCase(name)) {
        return eq >= 0 ? pair.substring(eq + 1).trim() : "";
      }
    }
    return "";
  }
}
