package io.customerlockbox.policy;

/**
 * A customer environment. {@code tier} is a free label ("production", "staging"; may be null) the
 * customer's approval rules can route on.
 */
public record Environment(String id, String tenantId, String name, boolean managed, String tier) {}
