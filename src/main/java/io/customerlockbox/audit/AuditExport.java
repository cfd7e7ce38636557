package io.customerlockbox.audit;

import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the events a query matches as CSV (RFC 4180, header row) or NDJSON, oldest first, so the
 * export re-walks as a chain. Rows are read through a database cursor in batches of
 * {@value #FETCH_SIZE} and written as they come: memory stays flat however many events match.
 * PostgreSQL keeps a cursor only inside a transaction, hence the read-only transaction.
 */
@Component
public class AuditExport {

  public enum Format {
    CSV("text/csv", ".csv"), NDJSON("application/x-ndjson", ".ndjson");

    private final String mediaType;
    private final String extension;

    Format(String mediaType, String extension) {
      this.mediaType = mediaType;
      this.extension = extension;
    }

    /** The file's media type (its text is UTF-8). */
    public String mediaType() {
      return mediaType;
    }

    public String extension() {
      return extension;
    }
  }

  /** The columns, in the order of {@link AuditEvent}'s fields; NDJSON uses the same names. */
  public static final List<String> HEADER = List.of("id", "chainSeq", "occurredAt", "tenantId", "environmentId",
      "requestId", "type", "actor", "actorKind", "requestStatus", "supportTicketId", "requestExpiresAt",
      "accessExpiresAt", "justification", "comment", "clientIp", "detail", "prevHash", "hash");

  static final int FETCH_SIZE = 500;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate readOnly;
  private final JsonMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

  public AuditExport(DataSource dataSource, PlatformTransactionManager transactions) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.jdbc.setFetchSize(FETCH_SIZE);
    this.readOnly = new TransactionTemplate(transactions);
    this.readOnly.setReadOnly(true);
  }

  /** For a process without Spring's context (the bounded-heap test runs the export in a small JVM). */
  public static AuditExport standalone(DataSource dataSource) {
    return new AuditExport(dataSource, new DataSourceTransactionManager(dataSource));
  }

  /** Writes the matching events to {@code out}; answers how many of each chain it wrote, also when it failed part-way. */
  public Map<String, Long> write(AuditQuery query, Format format, OutputStream out) {
    Map<String, Long> written = new HashMap<>();
    write(query, format, out, written);
    return written;
  }

  /** As {@link #write(AuditQuery, Format, OutputStream)}, counting into {@code written} as the events go out. */
  public void write(AuditQuery query, Format format, OutputStream out, Map<String, Long> written) {
    List<Object> params = new ArrayList<>();
    String where = query.where(params);
    String sql = "select " + AuditTrail.COLUMNS + " from audit_event" + where + walkBounds(query, where, params)
        + " order by seq";
    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    try {
      if (format == Format.CSV) {
        CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setHeader(HEADER.toArray(String[]::new)).get());
        readOnly.executeWithoutResult(status -> jdbc.query(sql, rs -> {
          AuditEvent event = AuditTrail.map(rs, 0);
          print(csv, event);
          written.merge(event.chainId(), 1L, Long::sum);
        }, params.toArray()));
        csv.flush();
      } else {
        readOnly.executeWithoutResult(status -> jdbc.query(sql, rs -> {
          AuditEvent event = AuditTrail.map(rs, 0);
          line(writer, event);
          written.merge(event.chainId(), 1L, Long::sum);
        }, params.toArray()));
      }
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * For a time window: the walk in seq order bounded by the window's first and last seq, read from
   * an index alone (V37), so it reads the window's events instead of every event appended before
   * or after it (seq and time go together only roughly: events of different chains commit out of
   * step, so the bounds are the window's smallest and largest seq, never a guess). Appended to the
   * where clause, the bounds' parameters to {@code params}; empty without a window, or where another
   * filter (type, request, actor) narrows the walk through an index of its own.
   */
  private String walkBounds(AuditQuery query, String where, List<Object> params) {
    if (!query.windowAlone()) {
      return "";
    }
    List<Object> bounds = jdbc.query("select min(seq), max(seq) from audit_event" + where, (rs, row) -> {
      long first = rs.getLong(1);
      return rs.wasNull() ? null : List.<Object>of(first, rs.getLong(2));
    }, params.toArray()).get(0);
    if (bounds == null) {
      return " and 1 = 0";
    }
    params.addAll(bounds);
    return " and seq >= ? and seq <= ?";
  }

  private static void print(CSVPrinter csv, AuditEvent e) {
    try {
      csv.printRecord(e.id(), e.chainSeq(), text(e.occurredAt()), e.tenantId(), e.environmentId(), e.requestId(),
          e.type(), e.actor(), e.actorKind(), e.requestStatus(), e.supportTicketId(), text(e.requestExpiresAt()),
          text(e.accessExpiresAt()), e.justification(), e.comment(), e.clientIp(), e.detail(), e.prevHash(), e.hash());
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private void line(Writer writer, AuditEvent e) {
    try {
      writer.write(json.writeValueAsString(e));
      writer.write('\n');
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
