package io.customerlockbox.audit;

import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finds events by filter, newest first, a page at a time: first the page's keys (seq), then the
 * page's rows. The keys come from an index alone where one holds the filter's columns and seq (V11,
 * V12, V37): a wide time window or a deep page is then skipped over in the index, and only the
 * page's own rows are read from the table.
 */
@Service
public class AuditSearch {

  private final JdbcClient jdbc;

  AuditSearch(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional(readOnly = true)
  public AuditPage search(AuditQuery query, int page, int size) {
    List<Object> params = new ArrayList<>();
    String keys = "select seq from audit_event" + query.where(params) + query.newestFirst()
        + " offset " + ((long) page * size) + " rows fetch next " + (size + 1) + " rows only";
    List<Long> seqs = jdbc.sql(keys).params(params).query(Long.class).list();
    boolean hasMore = seqs.size() > size;
    List<Long> pageSeqs = hasMore ? seqs.subList(0, size) : seqs;
    List<AuditEvent> events = pageSeqs.isEmpty() ? List.of()
        : jdbc.sql("select " + AuditTrail.COLUMNS + " from audit_event where seq in (:seqs) order by seq desc")
            .param("seqs", pageSeqs).query(AuditTrail::map).list();
    return new AuditPage(events, page, size, hasMore);
  }
}
