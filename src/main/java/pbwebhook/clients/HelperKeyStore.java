package pbwebhook.clients;

import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The per-client keys of the Custom-GPT helper routes, made by {@code POST /api/clients/{id}/helper-key} and kept
 * like the webhook secrets ({@code <DATA_DIR>/helper-keys.json}, mode 600, atomic writes, shared by a cluster's
 * members, the previous key valid for SECRET_ROTATION_GRACE_H after a rotation), except that only a SHA-256 digest
 * of each key is stored: a key is only ever compared, so the file holds nothing a reader could call the routes with.
 */
public final class HelperKeyStore extends WebhookSecretStore {

  public static final String FILE_NAME = "helper-keys.json";
  public static final String CHANGED = "clients.helper-keys.changed";

  public HelperKeyStore(Vertx vertx, Path dataDir, Duration grace) {
    super(vertx, dataDir.resolve(FILE_NAME), grace, CHANGED, "GPT helper key");
  }

  @Override
  protected String stored(String key) {
    return digest(key);
  }

  /** Whether {@code given} is a key of the client now; compares every candidate in constant time. */
  public boolean matches(String clientId, String given, long nowMs) {
    return matchesAny(given, accepted(clientId, nowMs));
  }

  /** Whether {@code given} is a key of any client now (to refuse, before reading a body, what no client accepts). */
  public boolean matchesAnyClient(String given, long nowMs) {
    return matchesAny(given, acceptedByAny(nowMs));
  }

  private static boolean matchesAny(String given, List<String> digests) {
    if (given == null) return false;
    byte[] d = digest(given).getBytes(StandardCharsets.US_ASCII);
    boolean any = false;
    for (String e : digests) any |= MessageDigest.isEqual(d, e.getBytes(StandardCharsets.US_ASCII));
    return any;
  }

  static String digest(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
