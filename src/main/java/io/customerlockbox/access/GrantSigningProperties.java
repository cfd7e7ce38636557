package io.customerlockbox.access;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the grant-signing key comes from (docs/security.md, "Signed grants").
 *
 * @param signingKey the private key that signs every new grant: an EC P-256 JWK, given as the JSON
 *     itself (from the deployment's secret store, e.g. an environment variable) or as the path of a
 *     file holding it ({@code classpath:} for the tests' key). Every node of a cluster has the same.
 * @param acceptedKeys public keys of earlier signing keys that still verify (key rotation): a JWK or
 *     a JWK set, as JSON or as a file path; empty when there is none.
 */
@ConfigurationProperties("lockbox.grants")
public record GrantSigningProperties(String signingKey, String acceptedKeys) {}
