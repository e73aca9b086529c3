package pbwebhook.scoring;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The keyword pre-filter of system.md §5 step 3: a post is relevant when any keyword of the client's
 * {@code Post Scoring AI Keywords} occurs in it (case-insensitive, whole words, an optional plural {@code s}).
 * The keyword {@code ai} also matches compounds such as "AI-powered" or "AI solutions", with the regex the
 * old code meant to write ({@code [-\s]}, §8 item 15).
 */
public final class PostKeywordFilter {

  static final String AI_REGEX =
      "\\bAI(\\b|[-\\s]?(powered|related|driven|enabled|based|focused|centric|solutions?))\\b";
  /** "AI" in capitals inside a word ("OpenAI", "AIs"): not a match, but worth an operator's look. */
  private static final Pattern BARE_AI = Pattern.compile("AI");
  private static final int EDGE_CASE_CHARS = 200;

  private final List<Pattern> patterns;

  private PostKeywordFilter(List<Pattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** From the comma-separated keyword list; blanks are skipped. */
  public static PostKeywordFilter of(String commaSeparated) {
    List<Pattern> patterns = new ArrayList<>();
    if (commaSeparated != null) {
      for (String raw : commaSeparated.split(",")) {
        String kw = raw.trim();
        if (!kw.isEmpty()) patterns.add(pattern(kw));
      }
    }
    return new PostKeywordFilter(patterns);
  }

  static Pattern pattern(String keyword) {
    String regex = keyword.toLowerCase(Locale.ROOT).equals("ai") ? AI_REGEX
        : "\\b" + Pattern.quote(keyword) + "s?\\b";
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }

  /** With no keywords configured there is nothing to filter on, so every post counts as relevant. */
  public boolean configured() {
    return !patterns.isEmpty();
  }

  public boolean matches(String text) {
    if (!configured()) return true;
    if (text == null || text.isEmpty()) return false;
    for (Pattern p : patterns) if (p.matcher(text).find()) return true;
    return false;
  }

  /** The text tested: the post itself when it is a string, otherwise its {@code postContent}. */
  public static String textOf(Object post) {
    if (post instanceof String s) return s;
    if (post instanceof JsonObject o && o.getValue("postContent") != null) return String.valueOf(o.getValue("postContent"));
    return "";
  }

  /** The note for a post that did not match but has "AI" in it: {@code EDGE CASE: post_url=<u> | content="<t>"}. */
  public static String edgeCase(Object post) {
    String text = textOf(post);
    if (!BARE_AI.matcher(text).find()) return null;
    String url = post instanceof JsonObject o ? o.getString("postUrl", "") : "";
    String shown = text.length() > EDGE_CASE_CHARS ? text.substring(0, EDGE_CASE_CHARS) + "…" : text;
    return "EDGE CASE: post_url=" + url + " | content=\"" + shown.replace('\n', ' ') + "\"";
  }
}
