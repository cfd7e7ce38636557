package io.customerlockbox.audit;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Runs the real export in a JVM of its own, so {@link AuditExportHeapTest} can bound its heap:
 * {@code ExportProbe <jdbc url> <CSV|NDJSON> <tenant id>} writes the tenant's events to stdout.
 */
public final class ExportProbe {

  private ExportProbe() {}

  public static void main(String[] args) throws Exception {
    DriverManagerDataSource dataSource = new DriverManagerDataSource(args[0], "sa", "");
    try (OutputStream out = new BufferedOutputStream(System.out, 8192)) {
      AuditExport.standalone(dataSource).write(new AuditQuery(args[2], null, null, null, null, null),
          AuditExport.Format.valueOf(args[1]), out);
    }
  }
}
