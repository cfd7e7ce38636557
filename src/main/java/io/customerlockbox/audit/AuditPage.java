package io.customerlockbox.audit;

import java.util.List;

/** One page of search results, newest first; {@code hasMore} says whether a next page exists. */
public record AuditPage(List<AuditEvent> events, int page, int size, boolean hasMore) {}
