package pbwebhook.ai;

import io.vertx.core.json.JsonObject;

/**
 * A lead as sent to a scorer: its stable id (the record id), which the scorer must return, and the
 * slim profile ({@code headline, about, experience[], _experienceCount, _originalId}).
 */
public record LeadInput(String id, JsonObject profile) {}
