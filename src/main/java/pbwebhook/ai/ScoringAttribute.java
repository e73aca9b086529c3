package pbwebhook.ai;

/**
 * One lead-scoring rubric attribute. Positives score 0..maxPoints; negatives score penalty..0
 * ({@code penalty} is stored negative, e.g. -5). {@code minToQualify} (positives, 0 = none) and
 * {@code disqualifying} (negatives) are enforced by the calculator.
 */
public record ScoringAttribute(String id, boolean positive, String label, String instructions, String examples,
                               String signals, int maxPoints, int penalty, int minToQualify, boolean disqualifying) {

  public static ScoringAttribute positive(String id, String label, String instructions, String examples,
                                          String signals, int maxPoints, int minToQualify) {
    return new ScoringAttribute(id, true, label, instructions, examples, signals, maxPoints, 0, minToQualify, false);
  }

  public static ScoringAttribute negative(String id, String label, String instructions, String examples,
                                          String signals, int penalty, boolean disqualifying) {
    return new ScoringAttribute(id, false, label, instructions, examples, signals, 0, -Math.abs(penalty), 0,
        disqualifying);
  }
}
