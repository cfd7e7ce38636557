package io.customerlockbox.page;

import io.customerlockbox.audit.AuditEventType;
import io.customerlockbox.audit.AuditQuery;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The auditor's search form on the page, as typed: days (UTC) rather than instants, an event
 * kind by its customer words. {@link #problems} names each field that cannot be read; {@link #query}
 * is the audit package's own query, so the page searches and exports exactly as the API does.
 */
record AuditFilters(String from, String to, String type, String requestId, String actor) {

  static AuditFilters of(String from, String to, String type, String requestId, String actor) {
    return new AuditFilters(blankToNull(from), blankToNull(to), blankToNull(type), blankToNull(requestId),
        blankToNull(actor));
  }

  /** What is wrong with the form, field by field, in words; empty when it can be searched. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (from != null && day(from) == null) {
      problems.add("From: write the day as YYYY-MM-DD.");
    }
    if (to != null && day(to) == null) {
      problems.add("To: write the day as YYYY-MM-DD.");
    }
    if (type != null && eventType() == null) {
      problems.add("What happened: pick one of the listed kinds.");
    }
    if (requestId != null && requestId.length() > 36) {
      problems.add("Request: a request id has at most 36 characters.");
    }
    if (actor != null && actor.length() > 64) {
      problems.add("Who: a user name has at most 64 characters.");
    }
    return problems;
  }

  /** The query of these filters in tenant {@code tenantId}: from the start of day {@code from} to the end of day {@code to}. */
  AuditQuery query(String tenantId) {
    LocalDate first = from == null ? null : day(from);
    LocalDate last = to == null ? null : day(to);
    Instant since = first == null ? null : first.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant until = last == null ? null : last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    return new AuditQuery(tenantId, since, until, eventType(), requestId, actor);
  }

  /** {@code path} with the tenant, these filters and {@code extra} (name, value, ...) as query parameters. */
  String link(String path, String tenantId, Object... extra) {
    UriComponentsBuilder uri = UriComponentsBuilder.fromPath(path).queryParam("tenant", tenantId);
    put(uri, "from", from);
    put(uri, "to", to);
    put(uri, "type", type);
    put(uri, "requestId", requestId);
    put(uri, "actor", actor);
    for (int i = 0; i + 1 < extra.length; i += 2) {
      uri.queryParam(extra[i].toString(), extra[i + 1]);
    }
    return uri.encode().build().toUriString();
  }

  /** The kinds of event the filter offers: the value is the type's name, the text the customer's words. */
  static Map<String, String> kinds() {
    Map<String, String> kinds = new LinkedHashMap<>();
    for (AuditEventType type : AuditEventType.values()) {
      kinds.put(type.name(), CustomerWords.typeLabel(type));
    }
    return kinds;
  }

  private AuditEventType eventType() {
    try {
      return type == null ? null : AuditEventType.valueOf(type);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static LocalDate day(String text) {
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static void put(UriComponentsBuilder uri, String name, String value) {
    if (value != null) {
      uri.queryParam(name, value);
    }
  }

  private static String blankToNull(String text) {
    return text == null || text.isBlank() ? null : text.strip();
  }
}
