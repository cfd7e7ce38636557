package io.customerlockbox.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.customerlockbox.ChildJvm;
import io.customerlockbox.Times;
import io.customerlockbox.audit.AuditEvent.ActorKind;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.flywaydb.core.Flyway;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exports 100,000 events (about 80 MB per format) from a JVM whose heap is capped at
 * {@value #HEAP_MB} MB: had the export held the rows or the output in memory, that JVM would die
 * of an OutOfMemoryError. The database is an H2 server in this JVM, reached over TCP, as
 * PostgreSQL would be: the server keeps the result and the driver fetches it in batches. Both
 * outputs are parsed back as they stream in, every field compared (through each event's hash,
 * which covers every field) and every event counted.
 */
class AuditExportHeapTest {

  private static final int EVENTS = 100_000;
  private static final int HEAP_MB = 24;
  private static final String TENANT = "heap-tenant";
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  /** Long, with every character RFC 4180 must quote. */
  private static final String JUSTIFICATION = ("Customer reported \"slow\" exports, again;\r\nlooking at "
      + "orders, invoices and the nightly job's log, line by line. ").repeat(4);

  private static Server server;
  private static String database;

  @BeforeAll
  static void fillDatabase() throws Exception {
    database = "heap-" + UUID.randomUUID();
    String url = "jdbc:h2:mem:" + database + ";DB_CLOSE_DELAY=-1";
    Flyway.configure().dataSource(url, "sa", "").locations("classpath:db/migration").table("lockbox_schema_history")
        .load().migrate();
    try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert = connection.prepareStatement("insert into audit_event (" + AuditTrail.COLUMNS
          + ", chain_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        String prev = AuditHash.GENESIS;
        for (int i = 1; i <= EVENTS; i++) {
          AuditEvent e = event(i, prev);
          prev = e.hash();
          Object[] values = {e.id(), e.chainSeq(), Times.utc(e.occurredAt()), e.tenantId(), e.environmentId(),
              e.requestId(), e.type().name(), e.actor(), e.actorKind().name(), e.requestStatus(), e.supportTicketId(),
              Times.utc(e.requestExpiresAt()), Times.utc(e.accessExpiresAt()), e.justification(), e.comment(),
              e.clientIp(), e.detail(), e.prevHash(), e.hash(), e.chainId()};
          for (int c = 0; c < values.length; c++) {
            insert.setObject(c + 1, values[c]);
          }
          insert.addBatch();
          if (i % 1000 == 0) {
            insert.executeBatch();
            connection.commit();
          }
        }
      }
      connection.commit();
    }
    server = Server.createTcpServer("-tcpPort", "0").start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.stop();
    }
  }

  /** Event {@code i} of the chain, the same every time it is asked for. */
  private static AuditEvent event(int i, String prevHash) {
    Instant at = START.plusSeconds(i);
    AuditEvent e = new AuditEvent(new UUID(0, i).toString(), i, at, TENANT, "heap-prod", new UUID(1, i / 8).toString(),
        AuditEventType.values()[i % AuditEventType.values().length], i % 3 == 0 ? null : "user-" + (i % 17),
        i % 3 == 0 ? ActorKind.SYSTEM : ActorKind.USER, "ACCESS_GRANTED", "SR-" + i, at.plusSeconds(345_600),
        at.plusSeconds(28_800), JUSTIFICATION, i % 2 == 0 ? null : "comment, \"quoted\" " + i,
        i % 3 == 0 ? null : "10.0." + (i % 250) + ".1", "detail " + i, prevHash, null);
    return e.withHash(AuditHash.of(e));
  }

  @Test
  void csvOfOneHundredThousandEventsStreamsThroughASmallHeapAndParsesBack() throws Exception {
    Process probe = startProbe("CSV");
    AtomicLong bytes = new AtomicLong();
    long parsed = 0;
    try (CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
        .parse(new InputStreamReader(counting(probe.getInputStream(), bytes), StandardCharsets.UTF_8))) {
      assertThat(parser.getHeaderNames()).containsExactlyElementsOf(AuditExport.HEADER);
      String prev = AuditHash.GENESIS;
      for (Iterator<CSVRecord> records = parser.iterator(); records.hasNext(); ) {
        CSVRecord record = records.next();
        AuditEvent expected = event((int) ++parsed, prev);
        prev = expected.hash();
        assertThat(record.get("id")).isEqualTo(expected.id());
        assertThat(record.get("justification")).isEqualTo(JUSTIFICATION);
        assertThat(AuditHash.of(fromCsv(record))).isEqualTo(expected.hash()).isEqualTo(record.get("hash"));
      }
    }
    assertFinished(probe, parsed, bytes.get());
  }

  @Test
  void ndjsonOfOneHundredThousandEventsStreamsThroughASmallHeapAndParsesBack() throws Exception {
    Process probe = startProbe("NDJSON");
    AtomicLong bytes = new AtomicLong();
    JsonMapper json = JsonMapper.builder().addModule(new JavaTimeModule()).build();
    long parsed = 0;
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(counting(probe.getInputStream(), bytes), StandardCharsets.UTF_8))) {
      String prev = AuditHash.GENESIS;
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        AuditEvent expected = event((int) ++parsed, prev);
        prev = expected.hash();
        assertThat(json.readValue(line, AuditEvent.class)).isEqualTo(expected);
      }
    }
    assertFinished(probe, parsed, bytes.get());
  }

  private static Process startProbe(String format) throws Exception {
    Path errors = Files.createTempFile("export-probe", ".log");
    errors.toFile().deleteOnExit();
    return ChildJvm.of(ExportProbe.class, List.of("-Xmx" + HEAP_MB + "m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"),
        List.of("jdbc:h2:tcp://localhost:" + server.getPort() + "/mem:" + database, format, TENANT))
        .redirectError(errors.toFile())
        .start();
  }

  private static void assertFinished(Process probe, long parsed, long bytes) throws Exception {
    assertThat(probe.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(probe.exitValue()).as("the export JVM (-Xmx%dm) failed", HEAP_MB).isZero();
    assertThat(parsed).isEqualTo(EVENTS);
    // The output is several times the heap: it cannot have been held in memory.
    assertThat(bytes).isGreaterThan(3L * HEAP_MB * 1024 * 1024);
  }

  private static AuditEvent fromCsv(CSVRecord r) {
    return new AuditEvent(r.get("id"), Long.parseLong(r.get("chainSeq")), instant(r.get("occurredAt")),
        text(r.get("tenantId")), text(r.get("environmentId")), text(r.get("requestId")),
        AuditEventType.valueOf(r.get("type")), text(r.get("actor")), ActorKind.valueOf(r.get("actorKind")),
        text(r.get("requestStatus")), text(r.get("supportTicketId")), instant(r.get("requestExpiresAt")),
        instant(r.get("accessExpiresAt")), text(r.get("justification")), text(r.get("comment")),
        text(r.get("clientIp")), text(r.get("detail")), r.get("prevHash"), r.get("hash"));
  }

  private static String text(String value) {
    return value.isEmpty() ? null : value;
  }

  private static Instant instant(String value) {
    return value.isEmpty() ? null : Instant.parse(value);
  }

  private static InputStream counting(InputStream in, AtomicLong bytes) {
    return new java.io.FilterInputStream(in) {
      @Override
      public int read() throws java.io.IOException {
        int b = super.read();
        if (b >= 0) {
          bytes.incrementAndGet();
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
          bytes.addAndGet(n);
        }
        return n;
      }
    };
  }
}
