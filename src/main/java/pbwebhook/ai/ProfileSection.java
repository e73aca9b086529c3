package pbwebhook.ai;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One searchable piece of a slim profile. {@code place} names it in reasons ("headline", "job 2 title");
 * {@code prominent} marks self-descriptions (headline, job titles), which count as stronger evidence;
 * {@code current} marks what describes the person today (headline, about, most recent job title and
 * company), the only places where penalties are looked for.
 */
record ProfileSection(String place, String text, boolean prominent, boolean current) {

  static List<ProfileSection> of(JsonObject profile) {
    List<ProfileSection> sections = new ArrayList<>();
    if (profile == null) return sections;
    add(sections, "headline", text(profile, "headline"), true, true);
    String about = text(profile, "about");
    add(sections, "about", about.isBlank() ? text(profile, "summary") : about, false, true);
    if (profile.getValue("experience") instanceof JsonArray jobs) {
      for (int i = 0; i < jobs.size(); i++) {
        if (!(jobs.getValue(i) instanceof JsonObject job)) continue;
        String place = "job " + (i + 1);
        boolean latest = i == 0;
        add(sections, place + " title", text(job, "title"), true, latest);
        add(sections, place + " company", text(job, "company"), false, latest);
        add(sections, place + " description", text(job, "description"), false, false);
      }
    }
    return sections;
  }

  static String text(JsonObject json, String key) {
    Object value = json.getValue(key);
    return value == null ? "" : value.toString();
  }

  private static void add(List<ProfileSection> sections, String place, String text, boolean prominent,
                          boolean current) {
    if (!text.isBlank()) sections.add(new ProfileSection(place, text, prominent, current));
  }
}
