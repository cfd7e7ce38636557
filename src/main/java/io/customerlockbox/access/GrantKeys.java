package io.customerlockbox.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import org.springframework.core.io.ClassPathResource;

/**
 * Reads, checks and makes grant-signing keys: EC P-256 JWKs for ES256. A setting holds the JSON
 * itself (it starts with a brace) or names a file ({@code classpath:} for resources).
 */
final class GrantKeys {

  private GrantKeys() {}

  /** A new signing key; its id is its JWK thumbprint, so two keys never share one. */
  static ECKey generate() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
          .keyIDFromThumbprint(true).issueTime(new Date()).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("Every Java runtime has EC P-256", e);
    }
  }

  /** The private signing key of {@code setting} (checked; an id is added from the thumbprint if it has none). */
  static ECKey signingKey(String setting, String name) {
    ECKey key = ecKey(parse(read(setting, name), name), name);
    if (!key.isPrivate()) {
      throw new GrantSigningKeyException(name + " holds a public key only; the private key (with \"d\") signs");
    }
    return key;
  }

  /** The public keys of {@code setting}, a JWK or a JWK set; none when it is empty. */
  static List<ECKey> publicKeys(String setting, String name) {
    if (setting == null || setting.isBlank()) {
      return List.of();
    }
    String json = read(setting, name);
    try {
      List<JWK> keys = json.contains("\"keys\"") ? JWKSet.parse(json).getKeys() : List.of(JWK.parse(json));
      return keys.stream().map(key -> ecKey(key, name).toPublicJWK()).toList();
    } catch (ParseException e) {
      throw new GrantSigningKeyException(name + " is not a JWK or JWK set: " + e.getMessage());
    }
  }

  /** Writes a new private key to {@code file}, readable by its owner only; never overwrites one. */
  static ECKey writeNew(Path file) throws IOException {
    ECKey key = generate();
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path temp = Files.createTempFile(parent, ".grant-key", ".tmp");
    try {
      restrictToOwner(temp);
      Files.writeString(temp, key.toJSONString() + "\n", StandardCharsets.UTF_8);
      // A hard link appears whole or not at all, and fails when the file exists (another node made it).
      Files.createLink(file, temp);
    } finally {
      Files.deleteIfExists(temp);
    }
    return key;
  }

  /** The key in {@code file}, made there first if there is none. */
  static ECKey readOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      try {
        return writeNew(file);
      } catch (FileAlreadyExistsException madeMeanwhile) {
        // fall through: another node of this machine made it a moment ago
      }
    }
    return signingKey(file.toString(), file.toString());
  }

  private static void restrictToOwner(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  private static String read(String setting, String name) {
    String value = setting.trim();
    if (value.startsWith("{")) {
      return value;
    }
    try {
      if (value.startsWith("classpath:")) {
        try (InputStream in = new ClassPathResource(value.substring("classpath:".length())).getInputStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      return Files.readString(Path.of(value.startsWith("file:") ? value.substring("file:".length()) : value));
    } catch (IOException | UncheckedIOException e) {
      throw new GrantSigningKeyException(name + " names " + value + ", which cannot be read (" + e.getMessage() + ")");
    }
  }

  private static JWK parse(String json, String name) {
    try {
      return JWK.parse(json);
    } catch (ParseException e) {
      throw new GrantSigningKeyException(name + " is not a JWK: " + e.getMessage());
    }
  }

  private static ECKey ecKey(JWK jwk, String name) {
    if (!(jwk instanceof ECKey key) || !Curve.P_256.equals(key.getCurve())) {
      throw new GrantSigningKeyException(name + " must be an EC key on curve P-256 (ES256), not "
          + jwk.getKeyType() + (jwk instanceof ECKey ec ? " " + ec.getCurve() : ""));
    }
    if (key.getKeyID() != null) {
      return key;
    }
    try {
      return new ECKey.Builder(key).keyIDFromThumbprint().build();
    } catch (JOSEException e) {
      throw new GrantSigningKeyException(name + ": " + e.getMessage());
    }
  }

  /** Startup refused: no usable grant-signing key. */
  static class GrantSigningKeyException extends IllegalStateException {
    GrantSigningKeyException(String message) {
      super(message);
    }
  }
}
