package io.customerlockbox.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Signs each grant when it is written and verifies it at every check: an ES256 compact JWS over
 * the grant's own fields, made with a key that lives outside the database. A row inserted, copied
 * or extended in the database has no signature over what it says, so it grants nothing
 * (docs/security.md, "Signed grants").
 */
@Component
public class GrantSigner {

  private static final Logger LOG = LoggerFactory.getLogger(GrantSigner.class);
  static final String SIGNING_KEY = "lockbox.grants.signing-key";
  static final String ACCEPTED_KEYS = "lockbox.grants.accepted-keys";
  /** The JWS header's {@code typ}: a grant is not mistaken for any other token signed with the key. */
  public static final JOSEObjectType TYPE = new JOSEObjectType("lockbox-grant+jwt");
  /** Where the demo profile keeps the key it made when none was set, beside the demo's H2 database. */
  static final Path DEMO_KEY_FILE = Path.of("data", "grant-signing-key.demo-only.jwk");

  /** What a check found when it verified a grant's signature. */
  public enum Verdict { VALID, UNSIGNED, MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, ALTERED }

  private final ECKey key;
  private final ECDSASigner signer;
  private final Map<String, ECDSAVerifier> verifiers = new LinkedHashMap<>();
  private final JWKSet published;

  @Autowired
  GrantSigner(GrantSigningProperties properties, Environment environment) {
    this(signingKey(properties.signingKey(), environment.matchesProfiles("demo")),
        GrantKeys.publicKeys(properties.acceptedKeys(), ACCEPTED_KEYS));
  }

  GrantSigner(ECKey key, List<ECKey> accepted) {
    this.key = key;
    List<ECKey> publicKeys = new ArrayList<>();
    publicKeys.add(key.toPublicJWK());
    accepted.stream().filter(old -> !old.getKeyID().equals(key.getKeyID())).forEach(publicKeys::add);
    try {
      this.signer = new ECDSASigner(key);
      for (ECKey publicKey : publicKeys) {
        verifiers.put(publicKey.getKeyID(), new ECDSAVerifier(publicKey));
      }
    } catch (JOSEException e) {
      throw new GrantKeys.GrantSigningKeyException("The grant-signing key cannot be used: " + e.getMessage());
    }
    this.published = new JWKSet(List.copyOf(publicKeys));
  }

  /** The compact JWS of {@code grant}, signed with the current key. */
  public String sign(AccessGrant grant) {
    Objects.requireNonNull(grant.basis(), "a grant is signed with its basis");
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(TYPE).build();
    SignedJWT jws = new SignedJWT(header, claims(grant));
    try {
      jws.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("Could not sign grant " + grant.id(), e);
    }
    return jws.serialize();
  }

  /** Whether {@code grant}'s stored signature was made by a key this node accepts over exactly its fields. */
  public Verdict verify(AccessGrant grant) {
    if (grant.signature() == null || grant.signature().isBlank() || grant.basis() == null) {
      return Verdict.UNSIGNED;
    }
    SignedJWT jws;
    try {
      jws = SignedJWT.parse(grant.signature());
    } catch (ParseException e) {
      return Verdict.MALFORMED;
    }
    if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm()) || !TYPE.equals(jws.getHeader().getType())) {
      return Verdict.MALFORMED;
    }
    ECDSAVerifier verifier = verifiers.get(jws.getHeader().getKeyID());
    if (verifier == null) {
      return Verdict.UNKNOWN_KEY;
    }
    try {
      if (!jws.verify(verifier)) {
        return Verdict.BAD_SIGNATURE;
      }
    } catch (JOSEException e) {
      return Verdict.BAD_SIGNATURE;
    }
    return jws.getPayload().toJSONObject().equals(asJson(claims(grant))) ? Verdict.VALID : Verdict.ALTERED;
  }

  /** The public keys a data plane verifies signed grants with: the current one first, then the accepted older ones. */
  public JWKSet publicKeys() {
    return published;
  }

  /**
   * What a signed grant says. {@code iat} and {@code exp} are the standard whole seconds every JWT
   * library enforces; {@code granted} and {@code expires} are the grant's exact instants.
   */
  static JWTClaimsSet claims(AccessGrant grant) {
    Map<String, Object> basis = new LinkedHashMap<>();
    basis.put("kind", grant.basis().kind().name());
    basis.put("decidedBy", grant.basis().decidedBy());
    basis.put("decidedAt", grant.basis().decidedAt() == null ? null : grant.basis().decidedAt().toString());
    return new JWTClaimsSet.Builder()
        .jwtID(grant.id())
        .claim("tenant", grant.tenantId())
        .claim("environment", grant.environmentId())
        .claim("user", grant.userId())
        .claim("request", grant.accessRequestId())
        .claim("basis", basis)
        .claim("granted", grant.grantedAt().toString())
        .claim("expires", grant.expiresAt().toString())
        .issueTime(Date.from(grant.grantedAt()))
        .expirationTime(Date.from(grant.expiresAt()))
        .build();
  }

  /** The claims as a parsed payload reads them (numbers and nulls as the JSON parser gives them). */
  private static Map<String, Object> asJson(JWTClaimsSet claims) {
    try {
      return JSONObjectUtils.parse(JSONObjectUtils.toJSONString(claims.toJSONObject()));
    } catch (ParseException e) {
      throw new IllegalStateException("The product's own claims are JSON", e);
    }
  }

  private static ECKey signingKey(String setting, boolean demo) {
    if (setting != null && !setting.isBlank()) {
      return GrantKeys.signingKey(setting, SIGNING_KEY);
    }
    if (!demo) {
      throw new GrantKeys.GrantSigningKeyException("No grant-signing key: " + SIGNING_KEY
          + " (LOCKBOX_GRANTS_SIGNING_KEY) is not set.");
    }
    try {
      boolean existed = DEMO_KEY_FILE.toFile().exists();
      ECKey demoKey = GrantKeys.readOrCreate(DEMO_KEY_FILE);
      LOG.warn("Demo profile: {} is not set, so grants are signed with the demo-only key {} ({}, key id {}). "
              + "Never use it where real data lives: set {} to a key of your own (docs/security.md, \"Signed grants\").",
          SIGNING_KEY, DEMO_KEY_FILE.toAbsolutePath(), existed ? "made at an earlier start" : "generated now",
          demoKey.getKeyID(), SIGNING_KEY);
      return demoKey;
    } catch (IOException e) {
      throw new GrantKeys.GrantSigningKeyException("Demo profile: no " + SIGNING_KEY + " is set and the demo key "
          + DEMO_KEY_FILE.toAbsolutePath() + " could not be made (" + e.getMessage() + ").");
    }
  }
}
