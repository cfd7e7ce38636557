package io.customerlockbox.policy;

public record Environment(String id, String tenantId, String name, boolean managed) {}
