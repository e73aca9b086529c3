package pbwebhook.ai;

import io.vertx.core.json.JsonObject;

/** The user message of a post-scoring call (system.md §5 step 6): the request, then the lead's posts as JSON. */
final class PostPromptText {

  static final String INTRO = "Score each of the following LinkedIn posts separately against the instructions and "
      + "attributes above. Return a JSON array with one object per post: {\"post_url\": <the post's postUrl>, "
      + "\"post_score\": <integer>, \"scoring_rationale\": <one or two sentences>}.";

  private PostPromptText() {}

  static String userMessage(JsonObject leadPosts) {
    return INTRO + "\n\n" + (leadPosts == null ? new JsonObject() : leadPosts).encodePrettily();
  }
}
