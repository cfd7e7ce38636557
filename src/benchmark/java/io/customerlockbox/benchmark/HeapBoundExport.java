package io.customerlockbox.benchmark;

import io.customerlockbox.audit.AuditExport;
import io.customerlockbox.audit.AuditQuery;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.time.Instant;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The product's audit export in a JVM of its own, so {@link ExportScenario} can cap its heap:
 * {@code HeapBoundExport <jdbc url> <user> <password> <from> <to>} exports every tenant's events of
 * [from, to) as NDJSON into a sink that only counts, and prints a {@link Report}. (Unlike the audit
 * tests' ExportProbe, which hands its output to the test to parse, this one is about time and heap.)
 */
public final class HeapBoundExport {

  private HeapBoundExport() {}

  /** Events (lines) and bytes written, the export's duration, and the sum of the heap pools' peaks. */
  record Report(long events, long bytes, long nanos, long peakHeapBytes) {

    @Override
    public String toString() {
      return events + " " + bytes + " " + nanos + " " + peakHeapBytes;
    }

    static Report parse(String line) {
      String[] parts = line.split(" ");
      return new Report(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]),
          Long.parseLong(parts[3]));
    }
  }

  public static void main(String[] args) throws Exception {
    AuditQuery query = new AuditQuery(null, Instant.parse(args[3]), Instant.parse(args[4]), null, null, null);
    Counting sink = new Counting();
    long started = System.nanoTime();
    AuditExport.standalone(new DriverManagerDataSource(args[0], args[1], args[2]))
        .write(query, AuditExport.Format.NDJSON, sink);
    long nanos = System.nanoTime() - started;
    // Each pool's peak, summed: at least the heap ever in use at once.
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println(new Report(sink.lines, sink.bytes, nanos, peak));
  }

  private static final class Counting extends OutputStream {

    long lines;
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
      if (b == '\n') {
        lines++;
      }
    }

    @Override
    public void write(byte[] buffer, int offset, int length) {
      bytes += length;
      for (int i = offset; i < offset + length; i++) {
        if (buffer[i] == '\n') {
          lines++;
        }
      }
    }
  }
}
