package pbwebhook.ai;

import java.util.List;
import java.util.Optional;

/** A client's lead-scoring rubric: the preamble and its positive and negative attributes. */
public record Rubric(String preamble, List<ScoringAttribute> positives, List<ScoringAttribute> negatives) {

  public Rubric {
    positives = List.copyOf(positives);
    negatives = List.copyOf(negatives);
  }

  /** Sum of max points over all positive attributes, scored or not (system.md §4.4 step 3). */
  public int denominator() {
    return positives.stream().mapToInt(ScoringAttribute::maxPoints).sum();
  }

  public Optional<ScoringAttribute> attribute(String id) {
    return positives.stream().filter(a -> a.id().equals(id)).findFirst()
        .or(() -> negatives.stream().filter(a -> a.id().equals(id)).findFirst());
  }
}
