package pbwebhook.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Checks on a webhook body beyond size and nesting: valid UTF-8, and no field of absurd length. */
public final class BodyChecks {

  /** Airtable's long-text limit: a longer value could never be stored anyway. */
  public static final int FIELD_MAX_CHARS = 100_000;

  private BodyChecks() {}

  /** 400 naming the byte offset of the first byte that is not UTF-8 (overlong forms and surrogates included). */
  public static void requireUtf8(Buffer body) {
    int n = body.length();
    int i = 0;
    while (i < n) {
      int b = body.getByte(i) & 0xff;
      if (b < 0x80) {
        i++;
        continue;
      }
      int len;
      int min;
      if (b >= 0xc2 && b <= 0xdf) { len = 2; min = 0x80; }
      else if (b >= 0xe0 && b <= 0xef) { len = 3; min = 0x800; }
      else if (b >= 0xf0 && b <= 0xf4) { len = 4; min = 0x10000; }
      else throw invalidUtf8(i);
      if (i + len > n) throw invalidUtf8(i);
      int cp = b & (0xff >> (len + 1));
      for (int k = 1; k < len; k++) {
        int c = body.getByte(i + k) & 0xff;
        if ((c & 0xc0) != 0x80) throw invalidUtf8(i);
        cp = (cp << 6) | (c & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw invalidUtf8(i);
      i += len;
    }
  }

  private static ApiError invalidUtf8(int offset) {
    return ApiError.badRequest("body is not valid UTF-8 (bad byte sequence at byte " + offset + ")");
  }

  /** 400 naming the first string (value or key) longer than {@link #FIELD_MAX_CHARS}, by its JSON path. */
  public static void requireFieldSizes(Object json) {
    String path = oversized(json, "");
    if (path != null) {
      if (path.length() > 200) path = path.substring(0, 200) + "…";
      throw ApiError.badRequest("field " + (path.isEmpty() ? "(the body)" : path) + " is too long: more than "
          + FIELD_MAX_CHARS + " characters");
    }
  }

  private static String oversized(Object v, String path) {
    if (v instanceof String s) return s.length() > FIELD_MAX_CHARS ? path : null;
    if (v instanceof JsonObject o) {
      for (var e : o) {
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (e.getKey().length() > FIELD_MAX_CHARS) return path.isEmpty() ? "(a key)" : path + ".(a key)";
        String hit = oversized(e.getValue(), p);
        if (hit != null) return hit;
      }
    } else if (v instanceof JsonArray a) {
      for (int i = 0; i < a.size(); i++) {
        String hit = oversized(a.getValue(i), path + "[" + i + "]");
        if (hit != null) return hit;
      }
    }
    return null;
  }
}
