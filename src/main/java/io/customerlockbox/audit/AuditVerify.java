package io.customerlockbox.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.customerlockbox.audit.AuditEvent.ActorKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The customer's offline check of an export (NDJSON or CSV, one tenant's trail, no filter but time)
 * against chain heads they kept from notifications, webhooks or verify answers: every event hashes
 * to what it carries, follows the one before it and sits at the next position, and at each kept
 * head's position stands the event with the kept hash, so nothing up to that position was removed
 * or changed since. Needs neither the product's database nor its key:
 *
 * <pre>java -cp customer-lockbox.jar -Dloader.main=io.customerlockbox.audit.AuditVerify \
 *     org.springframework.boot.loader.launch.PropertiesLauncher export.ndjson --head 42:9f2c...</pre>
 *
 * Exit status 0: the export holds; 1: it does not (the first bad or missing event is named);
 * 2: the command was wrong or the file unreadable.
 */
public final class AuditVerify {

  /** The answer: {@code firstBadEventId} and {@code firstBadPosition} name where it breaks, null when valid. */
  public record Outcome(boolean valid, long events, String chain, long firstPosition, long lastPosition,
      String firstBadEventId, Long firstBadPosition, String reason, List<String> checked) {}

  private AuditVerify() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** The command, with its output streams: answers the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Path file = null;
    List<ChainPosition> heads = new ArrayList<>();
    try {
      for (int i = 0; i < args.length; i++) {
        if ("--head".equals(args[i]) && i + 1 < args.length) {
          heads.add(parseHead(args[++i]));
        } else if (file == null && !args[i].startsWith("--")) {
          file = Path.of(args[i]);
        } else {
          throw new IllegalArgumentException("unexpected argument " + args[i]);
        }
      }
      if (file == null) {
        throw new IllegalArgumentException("name the export file");
      }
    } catch (IllegalArgumentException e) {
      err.println("AuditVerify: " + e.getMessage());
      err.println("usage: AuditVerify <export.ndjson|export.csv> [--head <position>:<hash>]...");
      return 2;
    }
    Outcome outcome;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      outcome = verify(reader, file.toString().toLowerCase().endsWith(".csv"), heads);
    } catch (IOException | RuntimeException e) {
      err.println("AuditVerify: cannot read " + file + ": " + e.getMessage());
      return 2;
    }
    outcome.checked().forEach(out::println);
    if (outcome.valid()) {
      out.println("OK: " + outcome.events() + " events of chain " + outcome.chain() + ", positions "
          + outcome.firstPosition() + " to " + outcome.lastPosition() + ", are intact"
          + (heads.isEmpty() ? " (no kept head given: removed newest events cannot be seen)" : ""));
      return 0;
    }
    out.println("BROKEN at " + (outcome.firstBadEventId() == null ? "" : "event " + outcome.firstBadEventId() + ", ")
        + "position " + outcome.firstBadPosition() + ": " + outcome.reason());
    return 1;
  }

  static ChainPosition parseHead(String text) {
    String[] parts = text.split(":", 2);
    try {
      if (parts.length == 2 && parts[1].matches("[0-9a-f]{64}")) {
        return new ChainPosition(null, Long.parseLong(parts[0]), parts[1]);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--head " + text + ": expected <position>:<64 hex digits of the hash>");
  }

  /** Checks the events {@code export} holds (oldest first, as exported) against the kept {@code heads}. */
  public static Outcome verify(Reader export, boolean csv, List<ChainPosition> heads) throws IOException {
    Walk walk = new Walk(heads);
    if (csv) {
      for (CSVRecord row : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(export)) {
        walk.next(fromCsv(row));
      }
    } else {
      JsonMapper json = JsonMapper.builder().addModule(new JavaTimeModule())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
      BufferedReader lines = new BufferedReader(export);
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (!line.isBlank()) {
          walk.next(json.readValue(line, AuditEvent.class));
        }
      }
    }
    return walk.end();
  }

  private static AuditEvent fromCsv(CSVRecord row) {
    Function<String, String> cell = name -> row.get(name).isEmpty() ? null : row.get(name);
    Function<String, Instant> time = name -> cell.apply(name) == null ? null : Instant.parse(row.get(name));
    return new AuditEvent(cell.apply("id"), Long.parseLong(row.get("chainSeq")), time.apply("occurredAt"),
        cell.apply("tenantId"), cell.apply("environmentId"), cell.apply("requestId"),
        AuditEventType.valueOf(row.get("type")), cell.apply("actor"), ActorKind.valueOf(row.get("actorKind")),
        cell.apply("requestStatus"), cell.apply("supportTicketId"), time.apply("requestExpiresAt"),
        time.apply("accessExpiresAt"), cell.apply("justification"), cell.apply("comment"), cell.apply("clientIp"),
        cell.apply("detail"), cell.apply("prevHash"), cell.apply("hash"));
  }

  private static final class Walk {
    private final List<ChainPosition> heads;
    private final Map<Long, String> hashAtHead = new HashMap<>();
    private final Map<Long, String> idAtHead = new HashMap<>();
    private final List<String> checked = new ArrayList<>();
    private String chain;
    private long events;
    private long first;
    private AuditEvent last;
    private String badId;
    private Long badPosition;
    private String reason;

    Walk(List<ChainPosition> heads) {
      this.heads = heads.stream().sorted(Comparator.comparingLong(ChainPosition::position)).toList();
      this.heads.forEach(h -> hashAtHead.put(h.position(), null));
    }

    void next(AuditEvent e) {
      if (badPosition != null) {
        return;
      }
      events++;
      if (last == null) {
        chain = e.chainId();
        first = e.chainSeq();
        if (e.chainSeq() == 1 && !AuditHash.GENESIS.equals(e.prevHash())) {
          breakAt(e.id(), e.chainSeq(), "the chain's first event must follow no other (prevHash of zeros)");
        }
      } else if (!chain.equals(e.chainId())) {
        breakAt(e.id(), e.chainSeq(), "it belongs to chain " + e.chainId() + ", the export starts with chain " + chain
            + ": export one tenant's trail, without filters other than time");
      } else if (e.chainSeq() != last.chainSeq() + 1) {
        breakAt(e.id(), Math.min(e.chainSeq(), last.chainSeq() + 1), e.chainSeq() > last.chainSeq() + 1
            ? "position" + (e.chainSeq() - last.chainSeq() > 2 ? "s " + (last.chainSeq() + 1) + " to "
                + (e.chainSeq() - 1) + " are" : " " + (last.chainSeq() + 1) + " is") + " missing before this event (position " + e.chainSeq()
                + "): removed"
            : "it repeats or goes back to an earlier position (after " + last.chainSeq() + "): inserted");
      } else if (!last.hash().equals(e.prevHash())) {
        breakAt(e.id(), e.chainSeq(), "it does not follow the event before it: that event was replaced");
      }
      if (badPosition == null && !AuditHash.of(e).equals(e.hash())) {
        breakAt(e.id(), e.chainSeq(), "its content does not match its hash: it was changed after it was recorded");
      }
      if (hashAtHead.containsKey(e.chainSeq())) {
        hashAtHead.put(e.chainSeq(), e.hash());
        idAtHead.put(e.chainSeq(), e.id());
      }
      last = e;
    }

    Outcome end() {
      long lastSeq = last == null ? 0 : last.chainSeq();
      long verifiedFrom = 0;
      for (ChainPosition head : heads) {
        if (badPosition != null && badPosition <= head.position()) {
          break;
        }
        String found = hashAtHead.get(head.position());
        if (head.position() < first) {
          breakAt(null, head.position(), "the export starts at position " + first + ", after the kept head at "
              + head.position() + ": export the trail from its start (or from before that position)");
        } else if (found == null) {
          breakAt(null, lastSeq + 1, "the export ends at position " + lastSeq + " but the kept head is at position "
              + head.position() + ": the events from position " + (lastSeq + 1) + " on were removed");
        } else if (!found.equals(head.hash())) {
          breakAt(idAtHead.get(head.position()), head.position(), "its hash differs from the kept head "
              + head + ": an event from position " + Math.max(first, verifiedFrom + 1) + " to " + head.position()
              + " was changed and every hash after it recomputed");
        } else {
          checked.add("head " + head.position() + ":" + head.hash() + " matches event " + idAtHead.get(head.position()));
          verifiedFrom = head.position();
          continue;
        }
        break;
      }
      if (events == 0 && badPosition == null && heads.isEmpty()) {
        breakAt(null, 0L, "the export holds no events");
      }
      return new Outcome(badPosition == null, events, chain, first, lastSeq, badId, badPosition, reason, checked);
    }

    private void breakAt(String id, long position, String why) {
      badId = id;
      badPosition = position;
      reason = why;
    }
  }
}
