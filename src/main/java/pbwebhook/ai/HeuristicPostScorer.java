package pbwebhook.ai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Offline post scoring: reads the positive and negative keyword bullets of the post-scoring prompt
 * ({@code Keywords/Positive Indicators: a, b}) and scores each post by the distinct keywords it contains.
 * Deterministic; every rationale says it came from the offline heuristic scorer.
 */
final class HeuristicPostScorer {

  private static final Pattern POSITIVE = Pattern.compile("Keywords/Positive Indicators\\W*:?\\W*(.+)", Pattern.CASE_INSENSITIVE);
  private static final Pattern NEGATIVE = Pattern.compile("Keywords/Negative Indicators\\W*:?\\W*(.+)", Pattern.CASE_INSENSITIVE);
  private static final int POINTS_PER_KEYWORD = 25;
  private static final int BASE_SCORE = 10;

  private HeuristicPostScorer() {}

  static PostScoringReply score(String systemInstruction, JsonObject leadPosts) {
    Set<String> positives = keywords(POSITIVE, systemInstruction);
    Set<String> negatives = keywords(NEGATIVE, systemInstruction);
    List<JsonObject> results = new ArrayList<>();
    JsonArray posts = leadPosts.getJsonArray("posts", new JsonArray());
    long inputChars = systemInstruction.length() + leadPosts.encode().length();
    long outputChars = 0;
    for (Object o : posts) {
      if (!(o instanceof JsonObject post)) continue;
      String content = post.getString("postContent", "");
      List<String> hits = found(positives, content);
      List<String> misses = found(negatives, content);
      int score = Math.max(0, Math.min(100,
          (hits.isEmpty() ? 0 : BASE_SCORE) + POINTS_PER_KEYWORD * hits.size() - POINTS_PER_KEYWORD * misses.size()));
      String rationale = "Offline heuristic scorer (no AI model was used): "
          + (hits.isEmpty() ? "no positive indicator found" : "found " + quote(hits))
          + (misses.isEmpty() ? "" : "; negative indicators " + quote(misses)) + ".";
      JsonObject r = new JsonObject().put("post_url", post.getString("postUrl")).put("post_score", score)
          .put("scoring_rationale", rationale);
      results.add(r);
      outputChars += r.encode().length();
    }
    // Token figures are estimates (about 4 characters a token), so runs show comparable numbers offline.
    return new PostScoringReply(results, new TokenUsage(inputChars / 4, outputChars / 4, 0));
  }

  private static Set<String> keywords(Pattern bullet, String prompt) {
    Set<String> out = new LinkedHashSet<>();
    if (prompt == null) return out;
    Matcher m = bullet.matcher(prompt);
    while (m.find()) {
      for (String k : m.group(1).split("[,;]")) {
        String t = k.replaceAll("[*_`]", "").trim().toLowerCase(Locale.ROOT);
        if (t.length() >= 2) out.add(t);
      }
    }
    return out;
  }

  private static List<String> found(Set<String> keywords, String content) {
    List<String> hits = new ArrayList<>();
    for (String k : keywords) {
      Pattern p = Pattern.compile("(?<![\\p{L}\\p{N}])" + Pattern.quote(k) + "s?(?![\\p{L}\\p{N}])",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
      if (p.matcher(content).find()) hits.add(k);
    }
    return hits;
  }

  private static String quote(List<String> terms) {
    return "\"" + String.join("\", \"", terms) + "\"";
  }
}
