package pbwebhook.ai;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A keyword or short phrase that counts as evidence for a rubric attribute, with the whole-word pattern
 * that finds it. Terms come from {@code Signals} and {@code Examples} (split into short fragments) and,
 * because {@code Instructions} is prose, only from its quoted phrases and its "e.g./such as" lists.
 */
record EvidenceTerm(String term, Pattern pattern) {

  /** Longer fragments are sentences, not keywords; matching them verbatim would almost never hit. */
  private static final int MAX_WORDS = 4;
  private static final Pattern LIST_SEPARATORS = Pattern.compile("[,;/|\\n\\r•]+");
  private static final Pattern QUOTED = Pattern.compile("[\"“”‘’]([^\"“”‘’\\n]{2,80})[\"“”‘’]");
  private static final Pattern EXAMPLE_LIST =
      Pattern.compile("(?i)(?:\\be\\.g\\.|\\beg\\.|\\bsuch as\\b|\\bincluding\\b|\\bfor example\\b)[:,]?\\s*([^.;:()\\n]+)");
  private static final Pattern EXAMPLE_LIST_SEPARATORS = Pattern.compile("\\s*(?:,|/|\\bor\\b|\\band\\b)\\s*");
  private static final Pattern TWO_LETTER_ACRONYM = Pattern.compile("[A-Z]{2}");
  private static final String EDGE_PUNCTUATION = "\"'“”‘’()[]{}.,:;!?*•·-–— \t";
  private static final Set<String> LEADING_FILLER = Set.of("e.g", "e.g.", "eg", "eg.", "i.e", "i.e.", "ie",
      "such", "as", "including", "example", "examples", "example:", "examples:", "and", "or");
  private static final Set<String> STOP_WORDS = Set.of(
      "a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "with", "by", "from", "as", "is", "are",
      "was", "were", "be", "been", "etc", "such", "like", "including", "example", "examples", "any", "some",
      "their", "his", "her", "they", "them", "this", "that", "these", "those", "who", "which", "has", "have",
      "had", "not", "yes", "if", "than", "then", "also", "into", "about", "over", "very", "more", "most",
      "other", "others", "profile", "lead", "person", "someone", "mentions", "mention", "signal", "signals",
      "none", "n/a", "and/or", "e.g", "i.e");

  static List<EvidenceTerm> of(ScoringAttribute attribute) {
    Map<String, Boolean> terms = new LinkedHashMap<>(); // term -> matched case-sensitively
    for (String field : new String[] {attribute.signals(), attribute.examples()}) {
      if (field == null) continue;
      quotedPhrases(field, terms);
      for (String fragment : LIST_SEPARATORS.split(field)) addTerm(fragment, terms);
    }
    String instructions = attribute.instructions();
    if (instructions != null) {
      quotedPhrases(instructions, terms);
      Matcher list = EXAMPLE_LIST.matcher(instructions);
      while (list.find()) {
        for (String fragment : EXAMPLE_LIST_SEPARATORS.split(list.group(1))) addTerm(fragment, terms);
      }
    }
    List<EvidenceTerm> result = new ArrayList<>(terms.size());
    terms.forEach((term, exactCase) -> result.add(new EvidenceTerm(term, pattern(term, exactCase))));
    return result;
  }

  boolean foundIn(String text) {
    return pattern.matcher(text).find();
  }

  private static void quotedPhrases(String text, Map<String, Boolean> terms) {
    Matcher quoted = QUOTED.matcher(text);
    while (quoted.find()) addTerm(quoted.group(1), terms);
  }

  /**
   * Normalises a fragment into a term, or drops it (stop word, too short, too long). A two-letter
   * acronym written in capitals (AI, VC, HR) is kept but matched case-sensitively; lower-case "it" or
   * "us" would otherwise hit nearly every profile.
   */
  private static void addTerm(String fragment, Map<String, Boolean> terms) {
    String trimmed = strip(fragment);
    List<String> words = new ArrayList<>(List.of(trimmed.split("\\s+")));
    while (!words.isEmpty() && LEADING_FILLER.contains(words.get(0).toLowerCase(Locale.ROOT))) words.remove(0);
    while (!words.isEmpty() && words.get(words.size() - 1).equalsIgnoreCase("etc")) words.remove(words.size() - 1);
    if (words.isEmpty() || words.size() > MAX_WORDS) return;
    String original = strip(String.join(" ", words));
    String term = original.toLowerCase(Locale.ROOT);
    if (words.size() == 1) {
      if (STOP_WORDS.contains(term)) return;
      if (TWO_LETTER_ACRONYM.matcher(original).matches()) {
        terms.putIfAbsent(original, true);
        return;
      }
      if (term.codePointCount(0, term.length()) < 3) return;
    }
    if (!term.isBlank()) terms.putIfAbsent(term, false);
  }

  private static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && EDGE_PUNCTUATION.indexOf(s.charAt(start)) >= 0) start++;
    while (end > start && EDGE_PUNCTUATION.indexOf(s.charAt(end - 1)) >= 0) end--;
    return s.substring(start, end).trim();
  }

  /**
   * Whole-word, case-insensitive, tolerant of spacing and hyphens ("co-founder" also finds "cofounder"
   * and "co founder"), of straight or curly apostrophes, and of a plural ending.
   */
  private static Pattern pattern(String term, boolean exactCase) {
    StringBuilder regex = new StringBuilder("(?<![\\p{L}\\p{N}])");
    boolean inSpace = false;
    for (char c : term.toCharArray()) {
      if (Character.isWhitespace(c)) {
        if (!inSpace) regex.append("[\\s\\-]+");
        inSpace = true;
        continue;
      }
      inSpace = false;
      if (c == '-' || c == '–') regex.append("[\\s\\-–]?");
      else if (c == '\'' || c == '’') regex.append("['’]?");
      else if ("\\.[]{}()<>*+=!?^$|".indexOf(c) >= 0) regex.append('\\').append(c);
      else regex.append(c);
    }
    regex.append("(?:s|es)?(?![\\p{L}\\p{N}])");
    return Pattern.compile(regex.toString(), exactCase ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  }
}
