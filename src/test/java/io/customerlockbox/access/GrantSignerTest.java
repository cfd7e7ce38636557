package io.customerlockbox.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.customerlockbox.LockboxApplication;
import io.customerlockbox.access.GrantSigner.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.NestedExceptionUtils;

/**
 * The grant-signing key without the application: what a signature covers, key rotation, which
 * keys are accepted, the key file the demo and the key tool make, and the refused start without a key.
 */
class GrantSignerTest {

  private static final Instant AT = Instant.parse("2026-03-02T09:15:30.123456Z");

  private static AccessGrant grant() {
    return new AccessGrant("g-1", "r-1", "contoso", "contoso-prod", "engineer", false, AT,
        AT.plus(Duration.ofHours(8)), null, null,
        new GrantBasis(GrantBasis.Kind.CUSTOMER_APPROVAL, "contoso-approver", AT.minusSeconds(60), "approved"), null);
  }

  private static AccessGrant signed(GrantSigner signer, AccessGrant grant) {
    return AccessGrantService.withSignature(grant, signer.sign(grant));
  }

  @Test
  void aSignatureCoversEveryFieldThatGrantsAccess() {
    GrantSigner signer = new GrantSigner(GrantKeys.generate(), List.of());
    AccessGrant grant = signed(signer, grant());
    assertThat(signer.verify(grant)).isEqualTo(Verdict.VALID);

    GrantBasis basis = grant.basis();
    List<AccessGrant> altered = List.of(
        new AccessGrant("g-2", grant.accessRequestId(), grant.tenantId(), grant.environmentId(), grant.userId(), false,
            grant.grantedAt(), grant.expiresAt(), null, null, basis, grant.signature()),
        new AccessGrant(grant.id(), "r-2", grant.tenantId(), grant.environmentId(), grant.userId(), false,
            grant.grantedAt(), grant.expiresAt(), null, null, basis, grant.signature()),
        new AccessGrant(grant.id(), grant.accessRequestId(), "fabrikam", grant.environmentId(), grant.userId(), false,
            grant.grantedAt(), grant.expiresAt(), null, null, basis, grant.signature()),
        new AccessGrant(grant.id(), grant.accessRequestId(), grant.tenantId(), "contoso-test", grant.userId(), false,
            grant.grantedAt(), grant.expiresAt(), null, null, basis, grant.signature()),
        new AccessGrant(grant.id(), grant.accessRequestId(), grant.tenantId(), grant.environmentId(), "oncall", false,
            grant.grantedAt(), grant.expiresAt(), null, null, basis, grant.signature()),
        new AccessGrant(grant.id(), grant.accessRequestId(), grant.tenantId(), grant.environmentId(), grant.userId(),
            false, grant.grantedAt().plusSeconds(3600), grant.expiresAt(), null, null, basis, grant.signature()),
        new AccessGrant(grant.id(), grant.accessRequestId(), grant.tenantId(), grant.environmentId(), grant.userId(),
            false, grant.grantedAt(), grant.expiresAt().plusNanos(1000), null, null, basis, grant.signature()),
        new AccessGrant(grant.id(), grant.accessRequestId(), grant.tenantId(), grant.environmentId(), grant.userId(),
            false, grant.grantedAt(), grant.expiresAt(), null, null,
            new GrantBasis(GrantBasis.Kind.BREAK_GLASS, basis.decidedBy(), basis.decidedAt(), basis.detail()),
            grant.signature()),
        new AccessGrant(grant.id(), grant.accessRequestId(), grant.tenantId(), grant.environmentId(), grant.userId(),
            false, grant.grantedAt(), grant.expiresAt(), null, null,
            new GrantBasis(basis.kind(), "someone-else", basis.decidedAt(), basis.detail()), grant.signature()),
        new AccessGrant(grant.id(), grant.accessRequestId(), grant.tenantId(), grant.environmentId(), grant.userId(),
            false, grant.grantedAt(), grant.expiresAt(), null, null,
            new GrantBasis(basis.kind(), basis.decidedBy(), basis.decidedAt().plusSeconds(1), basis.detail()),
            grant.signature()));
    assertThat(altered).allSatisfy(row -> assertThat(signer.verify(row)).isEqualTo(Verdict.ALTERED));
  }

  @Test
  void endingAGrantKeepsItsSignatureValid() {
    GrantSigner signer = new GrantSigner(GrantKeys.generate(), List.of());
    AccessGrant grant = signed(signer, grant());
    AccessGrant ended = new AccessGrant(grant.id(), grant.accessRequestId(), grant.tenantId(), grant.environmentId(),
        grant.userId(), false, grant.grantedAt(), grant.expiresAt(), AT.plusSeconds(60), "RELEASED", grant.basis(),
        grant.signature());
    assertThat(signer.verify(ended)).isEqualTo(Verdict.VALID);
  }

  @Test
  void afterARotationGrantsOfTheOldKeyVerifyWhileItIsAccepted() {
    ECKey old = GrantKeys.generate();
    ECKey current = GrantKeys.generate();
    AccessGrant signedBefore = signed(new GrantSigner(old, List.of()), grant());

    GrantSigner rotated = new GrantSigner(current, List.of(old.toPublicJWK()));
    assertThat(rotated.verify(signedBefore)).isEqualTo(Verdict.VALID);
    assertThat(rotated.publicKeys().getKeys()).extracting(key -> key.getKeyID())
        .containsExactly(current.getKeyID(), old.getKeyID());
    assertThat(rotated.publicKeys().getKeys()).noneMatch(key -> key.isPrivate());
    assertThat(rotated.verify(signed(rotated, grant()))).isEqualTo(Verdict.VALID);

    GrantSigner oldDropped = new GrantSigner(current, List.of());
    assertThat(oldDropped.verify(signedBefore)).isEqualTo(Verdict.UNKNOWN_KEY);
  }

  @Test
  void keysAreReadAsJsonFromAFileOrAsAJwkSet(@TempDir Path dir) throws Exception {
    ECKey key = GrantKeys.generate();
    Path file = dir.resolve("key.jwk");
    Files.writeString(file, key.toJSONString());
    assertThat(GrantKeys.signingKey(key.toJSONString(), "inline").getKeyID()).isEqualTo(key.getKeyID());
    assertThat(GrantKeys.signingKey(file.toString(), "file").getKeyID()).isEqualTo(key.getKeyID());
    assertThat(GrantKeys.signingKey("file:" + file, "file").getKeyID()).isEqualTo(key.getKeyID());

    ECKey other = GrantKeys.generate();
    String set = new JWKSet(List.of(key.toPublicJWK(), other.toPublicJWK())).toString();
    assertThat(GrantKeys.publicKeys(set, "set")).extracting(ECKey::getKeyID)
        .containsExactly(key.getKeyID(), other.getKeyID());
    assertThat(GrantKeys.publicKeys(key.toJSONString(), "one")).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
    assertThat(GrantKeys.publicKeys(" ", "none")).isEmpty();

    // A key without an id gets its thumbprint, the same on every node.
    ECKey anonymous = new ECKeyGenerator(Curve.P_256).generate();
    assertThat(GrantKeys.signingKey(anonymous.toJSONString(), "no kid").getKeyID())
        .isEqualTo(anonymous.computeThumbprint().toString());
  }

  @Test
  void unusableKeysAreRefusedWithTheSettingNamed(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> GrantKeys.signingKey(GrantKeys.generate().toPublicJWK().toJSONString(), "the setting"))
        .hasMessageContaining("the setting holds a public key only");
    assertThatThrownBy(() -> GrantKeys.signingKey(new RSAKeyGenerator(2048).generate().toJSONString(), "the setting"))
        .hasMessageContaining("the setting must be an EC key on curve P-256");
    assertThatThrownBy(() -> GrantKeys.signingKey(new ECKeyGenerator(Curve.P_384).generate().toJSONString(), "s"))
        .hasMessageContaining("P-256");
    assertThatThrownBy(() -> GrantKeys.signingKey("{not json", "the setting")).hasMessageContaining("not a JWK");
    assertThatThrownBy(() -> GrantKeys.signingKey(dir.resolve("missing.jwk").toString(), "the setting"))
        .hasMessageContaining("cannot be read");
  }

  @Test
  void aKeyFileIsMadeOnceReadableByItsOwnerAndThenReused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("keys").resolve("grant-signing-key.jwk");
    ECKey made = GrantKeys.readOrCreate(file);
    assertThat(made.isPrivate()).isTrue();
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
    assertThat(GrantKeys.readOrCreate(file).toJSONString()).isEqualTo(made.toJSONString());
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }

  @Test
  void theKeyToolWritesAKeyThroughTheProductsMainClass(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("grant-signing-key.jwk");
    LockboxApplication.main(new String[] {GrantKeyTool.COMMAND, file.toString()});
    ECKey key = GrantKeys.signingKey(file.toString(), "made");
    LockboxApplication.main(new String[] {GrantKeyTool.COMMAND, file.toString()});
    assertThat(GrantKeys.signingKey(file.toString(), "kept")).isEqualTo(key);
  }

  @Test
  void outsideTheDemoProfileTheProductRefusesToStartWithoutAKey() {
    SpringApplication application = new SpringApplication(LockboxApplication.class);
    application.setAdditionalProfiles("test");
    Map<String, String> settings = Map.of("lockbox.grants.signing-key", "",
        "lockbox.admin.password", "Corr3ct-Horse-Battery", "spring.main.banner-mode", "off", "server.port", "0");
    Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> application.run(settings.entrySet()
        .stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new)).close());

    assertThat(failure).isNotNull();
    assertThat(NestedExceptionUtils.getMostSpecificCause(failure).getMessage())
        .contains("No grant-signing key", "lockbox.grants.signing-key", "LOCKBOX_GRANTS_SIGNING_KEY");
    FailureAnalysis analysis = new GrantSigningKeyFailureAnalyzer().analyze(failure);
    assertThat(analysis).isNotNull();
    assertThat(analysis.getAction()).contains("generate-grant-key", "every node", "docs/security.md");
  }
}
