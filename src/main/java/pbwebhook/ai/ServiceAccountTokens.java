package pbwebhook.ai;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

/**
 * OAuth access tokens for a Google service account (the GOOGLE_APPLICATION_CREDENTIALS JSON file): signs an
 * RS256 JWT with the account's key, exchanges it at the file's {@code token_uri} and caches the token until a
 * minute before it expires. Concurrent callers share one exchange. Neither the key nor a token is ever logged.
 */
public final class ServiceAccountTokens {

  public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
  public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";
  static final long JWT_LIFETIME_S = 3600;
  static final long REFRESH_MARGIN_S = 60;
  private static final long EXCHANGE_TIMEOUT_MS = 30_000;

  private record Account(String clientEmail, PrivateKey key, String tokenUri) {}

  private record Token(String value, Instant refreshAt) {}

  private final Vertx vertx;
  private final WebClient client;
  private final String credentialsPath;
  private final Clock clock;
  private Future<Account> account;
  private Token token;
  private Future<String> exchanging;

  public ServiceAccountTokens(Vertx vertx, WebClient client, String credentialsPath, Clock clock) {
    this.vertx = vertx;
    this.client = client;
    this.credentialsPath = credentialsPath;
    this.clock = clock;
  }

  public synchronized Future<String> accessToken() {
    if (token != null && clock.instant().isBefore(token.refreshAt())) return Future.succeededFuture(token.value());
    if (exchanging != null) return exchanging;
    Future<String> f = account().compose(this::exchange);
    exchanging = f;
    f.onComplete(ar -> {
      synchronized (this) {
        exchanging = null;
      }
    });
    return f;
  }

  private synchronized Future<Account> account() {
    if (account == null || account.failed()) {
      account = vertx.fileSystem().readFile(credentialsPath)
          .recover(e -> Future.failedFuture(new AiException(AiException.Kind.API_ERROR,
              "cannot read GOOGLE_APPLICATION_CREDENTIALS " + credentialsPath + ": " + e.getMessage())))
          .map(buf -> parseAccount(buf.toString(StandardCharsets.UTF_8)));
    }
    return account;
  }

  private Account parseAccount(String json) {
    JsonObject o;
    try {
      o = new JsonObject(json);
    } catch (RuntimeException e) {
      throw new AiException(AiException.Kind.API_ERROR, "GOOGLE_APPLICATION_CREDENTIALS is not JSON: " + credentialsPath);
    }
    String email = o.getString("client_email");
    String pem = o.getString("private_key");
    String tokenUri = o.getString("token_uri", "https://oauth2.googleapis.com/token");
    if (email == null || pem == null) {
      throw new AiException(AiException.Kind.API_ERROR,
          "GOOGLE_APPLICATION_CREDENTIALS needs client_email and private_key (a service-account key file)");
    }
    return new Account(email, privateKey(pem), tokenUri);
  }

  private Future<String> exchange(Account a) {
    String jwt;
    try {
      jwt = signedJwt(a, clock.instant());
    } catch (GeneralSecurityException e) {
      return Future.failedFuture(new AiException(AiException.Kind.API_ERROR, "cannot sign the service-account JWT: "
          + e.getClass().getSimpleName()));
    }
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("grant_type", GRANT_TYPE).add("assertion", jwt);
    Instant asked = clock.instant();
    return client.postAbs(a.tokenUri()).timeout(EXCHANGE_TIMEOUT_MS).sendForm(form)
        .recover(e -> Future.failedFuture(new RetryableAiException(AiException.Kind.API_ERROR,
            "token exchange at " + a.tokenUri() + " failed: " + e.getClass().getSimpleName(), -1)))
        .compose(r -> {
          JsonObject body = r.statusCode() == 200 ? safeJson(r.bodyAsString()) : null;
          String value = body == null ? null : body.getString("access_token");
          if (value == null) {
            String why = "token exchange at " + a.tokenUri() + " answered HTTP " + r.statusCode();
            return Future.failedFuture(r.statusCode() == 429 || r.statusCode() >= 500
                ? new RetryableAiException(AiException.Kind.API_ERROR, why, -1)
                : new AiException(AiException.Kind.API_ERROR, why));
          }
          long expiresIn = body.getLong("expires_in", JWT_LIFETIME_S);
          synchronized (this) {
            token = new Token(value, asked.plusSeconds(Math.max(0, expiresIn - REFRESH_MARGIN_S)));
          }
          return Future.succeededFuture(value);
        });
  }

  static String signedJwt(Account a, Instant now) throws GeneralSecurityException {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    JsonObject claims = new JsonObject()
        .put("iss", a.clientEmail())
        .put("scope", SCOPE)
        .put("aud", a.tokenUri())
        .put("iat", now.getEpochSecond())
        .put("exp", now.getEpochSecond() + JWT_LIFETIME_S);
    String payload = b64.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    Signature sig = Signature.getInstance("SHA256withRSA");
    sig.initSign(a.key());
    sig.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
    return header + "." + payload + "." + b64.encodeToString(sig.sign());
  }

  private static PrivateKey privateKey(String pem) {
    String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
        .replaceAll("\\s+", "");
    try {
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new AiException(AiException.Kind.API_ERROR,
          "the service-account private_key is not a PKCS#8 RSA key (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static JsonObject safeJson(String s) {
    try {
      return s == null ? null : new JsonObject(s);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
