package io.customerlockbox.access;

import com.nimbusds.jose.jwk.ECKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes a grant-signing key: {@code java -jar customer-lockbox.jar generate-grant-key FILE} writes a
 * new EC P-256 private JWK to FILE (readable by its owner only) and prints its public part, for
 * {@code lockbox.grants.accepted-keys} during a rotation. An existing FILE is kept as it is.
 */
public final class GrantKeyTool {

  public static final String COMMAND = "generate-grant-key";

  private GrantKeyTool() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1 || args[0].isBlank() || args[0].startsWith("-")) {
      System.err.println("usage: java -jar customer-lockbox.jar " + COMMAND + " FILE");
      System.exit(2);
      return;
    }
    Path file = Path.of(args[0]);
    boolean existed = Files.exists(file);
    ECKey key = GrantKeys.readOrCreate(file);
    System.err.println((existed ? "Kept the existing grant-signing key " : "Wrote a new grant-signing key to ")
        + file.toAbsolutePath() + " (key id " + key.getKeyID() + "). Set lockbox.grants.signing-key "
        + "(LOCKBOX_GRANTS_SIGNING_KEY) to this path, or to the file's content, on every node. Its public key:");
    System.out.println(key.toPublicJWK().toJSONString());
  }
}
