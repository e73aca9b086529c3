package pbwebhook.clients;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-client webhook secrets made by the client API, kept out of Airtable: {@code <DATA_DIR>/webhook-secrets.json},
 * mode 600, written atomically. A rotation keeps the previous secret valid for the grace period
 * (SECRET_ROTATION_GRACE_H). The file holds the secrets themselves because an HMAC signature can only be checked
 * with the secret. Secrets are only ever returned by {@link #rotate}, never logged.
 *
 * <p>Every member keeps the file's content in memory and reads it again when {@link #CHANGED} is published (after
 * each rotation), so in a cluster the members share DATA_DIR's secrets file (one volume) and see a new secret at
 * once. A {@code WEBHOOK_SECRET_<CLIENTID>} environment variable wins over the file (see RequestAuth).
 */
public final class WebhookSecretStore {

  private static final Logger log = LoggerFactory.getLogger(WebhookSecretStore.class);

  public static final String FILE_NAME = "webhook-secrets.json";
  /** Published after every change; each member reloads the file. */
  public static final String CHANGED = "clients.webhook-secrets.changed";

  private static final SecureRandom RANDOM = new SecureRandom();

  private record Entry(String current, String previous, long previousUntilMs) {
    JsonObject toJson() {
      JsonObject j = new JsonObject().put("current", current);
      if (previous != null) j.put("previous", previous).put("previousUntilMs", previousUntilMs);
      return j;
    }

    static Entry fromJson(JsonObject j) {
      return new Entry(j.getString("current"), j.getString("previous"), j.getLong("previousUntilMs", 0L));
    }
  }

  private final Vertx vertx;
  private final Path file;
  private final Duration grace;
  private volatile Map<String, Entry> entries = Map.of();

  public WebhookSecretStore(Vertx vertx, Path dataDir, Duration grace) {
    this.vertx = vertx;
    this.file = dataDir.resolve(FILE_NAME);
    this.grace = grace;
  }

  /** Reads the file (on a worker thread) and reloads it whenever a member publishes {@link #CHANGED}. */
  public Future<Void> start() {
    return vertx.eventBus().consumer(CHANGED, m -> load()).completion().compose(v -> load());
  }

  public Future<Void> load() {
    return vertx.<Map<String, Entry>>executeBlocking(this::read, false)
        .onSuccess(map -> entries = map)
        .onFailure(e -> log.error("cannot read {}: {}", file, e.getMessage()))
        .mapEmpty();
  }

  /** The secrets a client's webhooks may carry now: the current one, and the previous one during its grace. */
  public List<String> accepted(String clientId, long nowMs) {
    Entry e = entries.get(clientId);
    if (e == null) return List.of();
    List<String> out = new ArrayList<>(2);
    out.add(e.current());
    if (e.previous() != null && nowMs < e.previousUntilMs()) out.add(e.previous());
    return out;
  }

  /** Every secret some client's webhooks may carry now (for refusing, before the body, what no client accepts). */
  public List<String> acceptedByAny(long nowMs) {
    List<String> out = new ArrayList<>();
    for (String clientId : entries.keySet()) out.addAll(accepted(clientId, nowMs));
    return out;
  }

  /** Makes a new secret for the client (the old one stays valid for the grace period) and returns it, once. */
  public Future<String> rotate(String clientId) {
    String secret = newSecret();
    return vertx.<Void>executeBlocking(() -> {
      synchronized (this) {
        Map<String, Entry> map = read();
        Entry old = map.get(clientId);
        map.put(clientId, old == null ? new Entry(secret, null, 0)
            : new Entry(secret, old.current(), System.currentTimeMillis() + grace.toMillis()));
        write(map);
        entries = map;
      }
      return null;
    }, false).onSuccess(v -> {
      log.info("client {}: new webhook secret stored in {}", clientId, FILE_NAME);
      vertx.eventBus().publish(CHANGED, new JsonObject().put("clientId", clientId));
    }).map(secret);
  }

  public Duration grace() { return grace; }

  private Map<String, Entry> read() throws IOException {
    Map<String, Entry> map = new HashMap<>();
    if (!Files.exists(file)) return map;
    JsonObject json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
    for (String id : json.fieldNames()) {
      if (json.getValue(id) instanceof JsonObject j && j.getString("current") != null) map.put(id, Entry.fromJson(j));
    }
    return map;
  }

  private void write(Map<String, Entry> map) throws IOException {
    JsonObject json = new JsonObject();
    map.forEach((id, e) -> json.put(id, e.toJson()));
    // A symlink (the file shared by a cluster's members) is written through, not replaced by a local file.
    Path target = Files.isSymbolicLink(file) ? file.resolveSibling(Files.readSymbolicLink(file)) : file;
    Files.createDirectories(target.toAbsolutePath().getParent());
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      // Created with mode 600, so the secrets are never readable by others, not even for a moment.
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.writeString(tmp, json.encodePrettily(), StandardCharsets.UTF_8);
    try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** 32 random bytes, URL-safe Base64 (43 characters), so it can go in a {@code ?secret=} query parameter. */
  static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
