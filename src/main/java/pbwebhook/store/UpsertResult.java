package pbwebhook.store;

import java.util.List;

/** Result of an upsert: every record written, in input order, and which ids were newly created. */
public record UpsertResult(List<Record> records, List<String> createdIds, List<String> updatedIds) {}
