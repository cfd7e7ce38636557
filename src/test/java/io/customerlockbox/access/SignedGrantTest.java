package io.customerlockbox.access;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.customerlockbox.ApiClient.Response;
import io.customerlockbox.ApplicationTest;
import io.customerlockbox.Fixtures;
import io.customerlockbox.Fixtures.TestTenant;
import io.customerlockbox.Times;
import io.customerlockbox.policy.PolicyScope;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequestService;
import io.customerlockbox.request.AccessRequestStatus;
import io.customerlockbox.request.AccessRequestView;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Signed grants (issue 13, point 6): the check answers {@code allowed: true} only for a grant whose
 * signature verifies over its own row, and hands the data plane a JWS it verifies offline with the
 * published keys. Rows written into the database past the product (inserted, forged, copied,
 * extended, moved to another engineer) grant nothing, and each refusal is counted.
 */
class SignedGrantTest extends ApplicationTest {

  private static final String DATA_PLANE = "dataplane";
  private static final String DEMO = "demo";

  @Autowired AccessRequestService requests;
  @Autowired MeterRegistry meters;
  @Autowired GrantSigner signer;

  TestTenant tenant;

  @BeforeEach
  void tenant() {
    tenant = fixtures.tenant(true, PolicyScope.ALL_MANAGED);
  }

  @Test
  void theCheckHandsOutAJwsThatVerifiesOfflineWithThePublishedKey() throws Exception {
    AccessRequestView granted = granted(tenant.sandbox());

    JsonNode check = check(tenant.sandbox(), "engineer");
    assertThat(check.path("allowed").asBoolean()).isTrue();
    assertThat(check.path("grantId").asText()).isEqualTo(granted.grant().id());

    // What a data plane does: fetch the keys once, then verify every grant it is handed.
    Response jwks = api.as(DATA_PLANE, DEMO).get("/api/access-grants/jwks");
    assertThat(jwks.status()).as(jwks.toString()).isEqualTo(200);
    JWKSet keys = JWKSet.parse(jwks.body());
    assertThat(keys.getKeys()).isNotEmpty().allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
    assertThat(jwks.body()).doesNotContain("\"d\"");

    SignedJWT jws = SignedJWT.parse(check.path("signedGrant").asText());
    assertThat(jws.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
    assertThat(jws.getHeader().getType()).isEqualTo(GrantSigner.TYPE);
    ECKey key = (ECKey) keys.getKeyByKeyId(jws.getHeader().getKeyID());
    assertThat(key).as("the JWS's kid is published").isNotNull();
    assertThat(jws.verify(new ECDSAVerifier(key))).isTrue();

    JWTClaimsSet claims = jws.getJWTClaimsSet();
    assertThat(claims.getJWTID()).isEqualTo(granted.grant().id());
    assertThat(claims.getStringClaim("tenant")).isEqualTo(tenant.id());
    assertThat(claims.getStringClaim("environment")).isEqualTo(tenant.sandbox());
    assertThat(claims.getStringClaim("user")).isEqualTo("engineer");
    assertThat(claims.getStringClaim("request")).isEqualTo(granted.id());
    assertThat(claims.getJSONObjectClaim("basis")).containsKeys("kind", "decidedBy", "decidedAt");
    assertThat(Instant.parse(claims.getStringClaim("granted"))).isEqualTo(granted.grant().grantedAt());
    assertThat(Instant.parse(claims.getStringClaim("expires"))).isEqualTo(granted.grant().expiresAt());
    assertThat(claims.getExpirationTime().toInstant())
        .isEqualTo(granted.grant().expiresAt().truncatedTo(ChronoUnit.SECONDS));
    assertThat(Instant.parse(check.path("expiresAt").asText())).isEqualTo(granted.grant().expiresAt());
  }

  @Test
  void aGrantRowInsertedIntoTheDatabaseIsRefused() throws Exception {
    AccessRequestView pending = pending();
    String user = pending.requestedBy();

    insertGrant(pending, null);
    assertRefused(pending.environmentId(), user, "unsigned");
    deleteGrants(pending);

    // Signed with a key the product never had, under the product's key id and under one of its own.
    ECKey stranger = GrantKeys.generate();
    String keyId = signer.publicKeys().getKeys().get(0).getKeyID();
    insertGrant(pending, row -> forge(row, stranger, keyId));
    assertRefused(pending.environmentId(), user, "bad_signature");
    deleteGrants(pending);

    insertGrant(pending, row -> forge(row, stranger, stranger.getKeyID()));
    assertRefused(pending.environmentId(), user, "unknown_key");
    deleteGrants(pending);

    insertGrant(pending, row -> "not a JWS");
    assertRefused(pending.environmentId(), user, "malformed");
  }

  @Test
  void aGrantExtendedOrMovedInTheDatabaseIsRefused() {
    AccessRequestView granted = granted(tenant.sandbox());
    String grantId = granted.grant().id();
    assertThat(check(tenant.sandbox(), "engineer").path("allowed").asBoolean()).isTrue();

    // Extended: still running by the row, but the signature says when it ends.
    jdbc.update("update access_grant set expires_at = ? where id = ?",
        Times.utc(granted.grant().expiresAt().plus(Duration.ofDays(30))), grantId);
    assertRefused(tenant.sandbox(), "engineer", "altered");

    // Put back as signed, it verifies again: the signature is over the row's fields, nothing else.
    jdbc.update("update access_grant set expires_at = ? where id = ?", Times.utc(granted.grant().expiresAt()), grantId);
    assertThat(check(tenant.sandbox(), "engineer").path("allowed").asBoolean()).isTrue();

    // Moved to another engineer, or to another environment of the tenant.
    jdbc.update("update access_grant set user_id = 'oncall' where id = ?", grantId);
    assertRefused(tenant.sandbox(), "oncall", "altered");
    jdbc.update("update access_grant set user_id = 'engineer', environment_id = ? where id = ?", tenant.prod(), grantId);
    assertRefused(tenant.prod(), "engineer", "altered");
    jdbc.update("update access_grant set environment_id = ? where id = ?", tenant.sandbox(), grantId);

    // Its basis rewritten: break-glass claimed where the customer was asked, or the reverse.
    jdbc.update("update access_grant set basis_kind = case when basis_kind = 'BREAK_GLASS' then 'CUSTOMER_APPROVAL' "
        + "else 'BREAK_GLASS' end where id = ?", grantId);
    assertRefused(tenant.sandbox(), "engineer", "altered");
  }

  @Test
  void aValidSignatureCopiedOntoAForgedRowIsRefused() {
    AccessRequestView granted = granted(tenant.sandbox());
    String signature = jdbc.queryForObject("select signature from access_grant where id = ?", String.class,
        granted.grant().id());
    AccessRequestView pending = pending();

    insertGrant(pending, row -> signature);

    assertRefused(pending.environmentId(), pending.requestedBy(), "altered");
  }

  @Test
  void theApplicationRanTheUpgradeThatSignsEarlierGrants() {
    assertThat(jdbc.queryForObject("select count(*) from \"lockbox_schema_history\" where \"version\" = '18' and \"success\"",
        Integer.class)).isEqualTo(1);
  }

  // --- helpers

  /** A request granted without the customer (an unmanaged environment), as the model does it. */
  private AccessRequestView granted(String environmentId) {
    AccessRequestView created = requests.create(Fixtures.request(tenant.id(), environmentId, AccessLevel.READ),
        fixtures.as("engineer"));
    drive(created.id());
    AccessRequestView view = requests.get(created.id(), fixtures.as("engineer"));
    assertThat(view.status()).isEqualTo(AccessRequestStatus.ACCESS_GRANTED);
    return view;
  }

  /** A request still waiting for the customer: nobody granted it anything. */
  private AccessRequestView pending() {
    AccessRequestView created = requests.create(Fixtures.request(tenant.id(), tenant.prod(), AccessLevel.READ),
        fixtures.as("engineer"));
    drive(created.id());
    AccessRequestView view = requests.get(created.id(), fixtures.as("engineer"));
    assertThat(view.status()).isEqualTo(AccessRequestStatus.PENDING_CUSTOMER_APPROVAL);
    assertThat(check(view.environmentId(), view.requestedBy()).path("allowed").asBoolean()).isFalse();
    return view;
  }

  /** What someone with write access to the database would insert: a grant that looks like the product's. */
  private void insertGrant(AccessRequestView request, Function<AccessGrant, String> signature) {
    Instant now = Times.now().truncatedTo(ChronoUnit.MICROS);
    AccessGrant row = new AccessGrant(UUID.randomUUID().toString(), request.id(), request.tenantId(),
        request.environmentId(), request.requestedBy(), false, now, now.plus(Duration.ofHours(8)), null, null,
        new GrantBasis(GrantBasis.Kind.CUSTOMER_APPROVAL, tenant.approver(), now, "approved"), null);
    jdbc.update("insert into access_grant (" + AccessGrantService.COLUMNS + ") "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, null, null, ?, ?, ?, ?, ?)",
        row.id(), row.accessRequestId(), row.tenantId(), row.environmentId(), row.userId(), false,
        Times.utc(row.grantedAt()), Times.utc(row.expiresAt()), row.basis().kind().name(), row.basis().decidedBy(),
        Times.utc(row.basis().decidedAt()), row.basis().detail(), signature == null ? null : signature.apply(row));
  }

  private void deleteGrants(AccessRequestView request) {
    jdbc.update("delete from access_grant where access_request_id = ?", request.id());
  }

  /** The product's exact claims over the forged row, signed with {@code key} under {@code keyId}. */
  private static String forge(AccessGrant row, ECKey key, String keyId) {
    try {
      SignedJWT jws = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(keyId).type(GrantSigner.TYPE)
          .build(), GrantSigner.claims(row));
      jws.sign(new ECDSASigner(key));
      return jws.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void assertRefused(String environmentId, String userId, String reason) {
    double before = refusals(reason);
    JsonNode check = check(environmentId, userId);
    assertThat(check.path("allowed").asBoolean()).as(check.toString()).isFalse();
    assertThat(check.path("signedGrant").isNull()).isTrue();
    assertThat(refusals(reason) - before).as("refusals counted as " + reason).isEqualTo(1.0);
  }

  private double refusals(String reason) {
    var counter = meters.find("lockbox.grants.refused").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  private JsonNode check(String environmentId, String userId) {
    Response response = api.as(DATA_PLANE, DEMO)
        .get("/api/access-grants/check?environmentId=" + environmentId + "&userId=" + userId);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

}
