package io.customerlockbox.audit;

import static io.customerlockbox.Times.utc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The filters search and export share; null matches everything. {@code from} is inclusive,
 * {@code to} exclusive.
 */
public record AuditQuery(String tenantId, Instant from, Instant to, AuditEventType type, String requestId,
    String actor) {

  /**
   * Newest first. When the search narrows by tenant (and type) alone, those columns lead the order
   * as they lead its indexes (V12): H2 takes a page straight from an index only when the order
   * names the index's columns from the first. A request or a time window has an index of its own
   * that finds few rows, which H2 then sorts; naming the tenant's columns would make it walk the
   * tenant's events back from the newest instead. PostgreSQL chooses well either way and drops
   * the constant columns from the sort.
   */
  String newestFirst() {
    boolean byIndexOrder = tenantId != null && requestId == null && from == null && to == null;
    return " order by " + (byIndexOrder ? "tenant_id, " + (type == null ? "" : "event_type, ") : "") + "seq desc";
  }

  /** Whether the filter is a time window, perhaps of one tenant, and nothing else. */
  boolean windowAlone() {
    return (from != null || to != null) && type == null && requestId == null && actor == null;
  }

  /** The filter in words, as a read of the trail records it: "tenantId=contoso, type=ACCESS_GRANTED". */
  String describe() {
    List<String> parts = new ArrayList<>();
    BiConsumer<String, Object> add = (name, value) -> {
      if (value != null) {
        parts.add(name + "=" + value);
      }
    };
    add.accept("tenantId", tenantId);
    add.accept("from", from);
    add.accept("to", to);
    add.accept("type", type);
    add.accept("requestId", requestId);
    add.accept("actor", actor);
    return parts.isEmpty() ? "no filter" : String.join(", ", parts);
  }

  /** The where clause, its parameters appended to {@code params}. */
  String where(List<Object> params) {
    StringBuilder sql = new StringBuilder(" where 1 = 1");
    if (tenantId != null) {
      sql.append(" and tenant_id = ?");
      params.add(tenantId);
    }
    if (from != null) {
      sql.append(" and occurred_at >= ?");
      params.add(utc(from));
    }
    if (to != null) {
      sql.append(" and occurred_at < ?");
      params.add(utc(to));
    }
    if (type != null) {
      sql.append(" and event_type = ?");
      params.add(type.name());
    }
    if (requestId != null) {
      sql.append(" and request_id = ?");
      params.add(requestId);
    }
    if (actor != null) {
      sql.append(" and actor = ?");
      params.add(actor);
    }
    return sql.toString();
  }
}
