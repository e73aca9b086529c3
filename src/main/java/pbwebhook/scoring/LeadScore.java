package pbwebhook.scoring;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The scored result for one lead. Score maps hold only rubric ids, sorted by id; {@code percentage} is the
 * {@code AI Score} (0 when disqualified); {@code disqualifiedBy} is null or {@code "<id> <label>"}.
 */
public record LeadScore(double percentage, int rawScore, int denominator, Map<String, Integer> positiveScores,
                        Map<String, Integer> negativeScores, Map<String, String> reasons, List<String> unscored,
                        String disqualifiedBy, boolean aiExcluded, String excludeDetails, String assessment) {

  public LeadScore {
    positiveScores = sorted(positiveScores);
    negativeScores = sorted(negativeScores);
    reasons = sorted(reasons);
    unscored = unscored == null ? List.of() : List.copyOf(unscored);
    excludeDetails = excludeDetails == null ? "" : excludeDetails;
    assessment = assessment == null ? "N/A" : assessment;
  }

  public boolean disqualified() {
    return disqualifiedBy != null;
  }

  private static <V> Map<String, V> sorted(Map<String, V> map) {
    return map == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }
}
