package pbwebhook.inbox;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.zip.CRC32C;

/**
 * One record of the inbox journal and its framing on disk: {@code [int length][int crc32c][payload]}.
 * The payload starts with a type byte: an entry ({@code E}: int meta length, meta JSON, raw body), or a
 * state change of an entry ({@code A} delivered, {@code D} dead with a reason, {@code R} replayed: JSON).
 * A torn or damaged record fails the length, type or checksum test, so recovery can tell it from a whole one.
 */
sealed interface JournalRecord {

  byte ENTRY = 'E';
  byte DELIVERED = 'A';
  byte DEAD = 'D';
  byte REPLAYED = 'R';

  int HEADER_BYTES = 8;
  /** Larger than any accepted body plus its metadata; a longer length can only be garbage. */
  int MAX_PAYLOAD = 64 * 1024 * 1024;

  String id();

  record Entry(InboxEntry entry) implements JournalRecord {
    public String id() { return entry.id(); }
  }

  record StateChange(byte type, String id, Instant at, String reason) implements JournalRecord {}

  static byte[] encode(JournalRecord r) {
    byte[] payload;
    if (r instanceof Entry e) {
      byte[] meta = e.entry().meta().encode().getBytes(StandardCharsets.UTF_8);
      byte[] body = e.entry().body().getBytes();
      payload = ByteBuffer.allocate(1 + 4 + meta.length + body.length).put(ENTRY).putInt(meta.length).put(meta)
          .put(body).array();
    } else {
      StateChange s = (StateChange) r;
      JsonObject j = new JsonObject().put("id", s.id()).put("at", s.at().toString());
      if (s.reason() != null) j.put("reason", s.reason());
      byte[] json = j.encode().getBytes(StandardCharsets.UTF_8);
      payload = ByteBuffer.allocate(1 + json.length).put(s.type()).put(json).array();
    }
    CRC32C crc = new CRC32C();
    crc.update(payload);
    return ByteBuffer.allocate(HEADER_BYTES + payload.length).putInt(payload.length).putInt((int) crc.getValue())
        .put(payload).array();
  }

  /** Decodes a checksummed payload (the framing already verified). */
  static JournalRecord decode(byte[] payload) {
    ByteBuffer b = ByteBuffer.wrap(payload);
    byte type = b.get();
    if (type == ENTRY) {
      int metaLen = b.getInt();
      JsonObject meta = new JsonObject(new String(payload, 5, metaLen, StandardCharsets.UTF_8));
      int bodyStart = 5 + metaLen;
      Buffer body = Buffer.buffer(payload.length - bodyStart);
      body.appendBytes(payload, bodyStart, payload.length - bodyStart);
      return new Entry(InboxEntry.fromMeta(meta, body));
    }
    if (type != DELIVERED && type != DEAD && type != REPLAYED) {
      throw new IllegalArgumentException("unknown journal record type " + type);
    }
    JsonObject j = new JsonObject(new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8));
    return new StateChange(type, j.getString("id"), Instant.parse(j.getString("at")), j.getString("reason"));
  }

  /** The first byte of every payload: a cheap test before a checksum while looking for the next record. */
  static boolean knownType(byte type) {
    return type == ENTRY || type == DELIVERED || type == DEAD || type == REPLAYED;
  }
}
