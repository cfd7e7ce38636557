package io.customerlockbox.audit;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Finds events by filter, newest first, a page at a time. */
@Service
public class AuditSearch {

  private final JdbcClient jdbc;

  AuditSearch(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional(readOnly = true)
  public AuditPage search(AuditQuery query, int page, int size) {
    List<Object> params = new ArrayList<>();
    String sql = "select " + AuditTrail.COLUMNS + " from audit_event" + query.where(params) + query.newestFirst()
        + " offset " + ((long) page * size) + " rows fetch next " + (size + 1) + " rows only";
    List<AuditEvent> events = jdbc.sql(sql).params(params).query(AuditTrail::map).list();
    boolean hasMore = events.size() > size;
    return new AuditPage(hasMore ? events.subList(0, size) : events, page, size, hasMore);
  }
}
