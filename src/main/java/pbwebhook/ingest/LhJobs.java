package pbwebhook.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The jobs of a LinkedHelper profile and the {@code Job History} text built from them (system.md §3.2). */
final class LhJobs {
  private LhJobs() {}

  /** How many flat legacy {@code organization_i} slots LinkedHelper sends. */
  static final int FLAT_SLOTS = 5;

  /** Jobs from {@code experience[]}, else from the flat {@code organization_i} fields (i = 1..5). */
  static List<LhJob> fromPayload(JsonObject raw) {
    List<LhJob> jobs = new ArrayList<>();
    if (raw.getValue("experience") instanceof JsonArray experience) {
      for (Object item : experience) {
        if (item instanceof JsonObject o) {
          LhJob job = new LhJob(
              PayloadText.first(o, "title"),
              PayloadText.first(o, "company"),
              dateRange(o),
              PayloadText.first(o, "description"));
          if (!job.isEmpty()) {
            jobs.add(job);
          }
        }
      }
    }
    if (!jobs.isEmpty()) {
      return jobs;
    }
    for (int i = 1; i <= FLAT_SLOTS; i++) {
      String start = PayloadText.first(raw, "organization_start_" + i);
      String end = PayloadText.first(raw, "organization_end_" + i);
      LhJob job = new LhJob(
          PayloadText.first(raw, "organization_title_" + i),
          PayloadText.first(raw, "organization_" + i),
          start == null && end == null ? null : flatRange(start, end),
          PayloadText.first(raw, "position_description_" + i));
      if (!job.isEmpty()) {
        jobs.add(job);
      }
    }
    return jobs;
  }

  /**
   * {@code Current:\n<range> — <desc>} and {@code Previous:\n<range> — <desc>} from experience[0]
   * and [1], joined by a newline; if both are empty, one line per organization_1..2. Null when
   * there is nothing to say.
   */
  static String jobHistory(JsonObject raw) {
    List<String> blocks = new ArrayList<>();
    addBlock(blocks, "Current:", PayloadText.objectAt(raw, "experience", 0));
    addBlock(blocks, "Previous:", PayloadText.objectAt(raw, "experience", 1));
    if (blocks.isEmpty()) {
      for (int i = 1; i <= 2; i++) {
        String org = PayloadText.first(raw, "organization_" + i);
        String title = PayloadText.first(raw, "organization_title_" + i);
        if (org == null && title == null) {
          continue;
        }
        blocks.add(PayloadText.orElse(title, "Unknown Role")
            + " at " + PayloadText.orElse(org, "Unknown")
            + " (" + flatRange(PayloadText.first(raw, "organization_start_" + i),
                PayloadText.first(raw, "organization_end_" + i)) + ")");
      }
    }
    return blocks.isEmpty() ? null : String.join("\n", blocks);
  }

  private static void addBlock(List<String> blocks, String label, JsonObject job) {
    if (job == null) {
      return;
    }
    String range = dateRange(job);
    String description = PayloadText.first(job, "description");
    if (range == null && description == null) {
      return;
    }
    // The separator only sits between two parts, so a missing part leaves no dangling dash.
    String line = range == null ? description : description == null ? range : range + " — " + description;
    blocks.add(label + "\n" + line);
  }

  private static String dateRange(JsonObject job) {
    return PayloadText.first(job, "dateRange", "dates");
  }

  private static String flatRange(String start, String end) {
    return PayloadText.orElse(start, "?") + " – " + PayloadText.orElse(end, "Present");
  }
}
