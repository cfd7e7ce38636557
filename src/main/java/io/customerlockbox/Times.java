package io.customerlockbox;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;
import javax.xml.datatype.DatatypeConfigurationException;
import javax.xml.datatype.DatatypeFactory;
import org.camunda.bpm.engine.impl.util.ClockUtil;

/** One clock for the whole product: the engine's, so a test that moves it moves everything. */
public final class Times {

  private Times() {}

  public static Instant now() {
    return ClockUtil.getCurrentTime().toInstant();
  }

  /** Instants are stored as UTC timestamps with time zone, the same on H2 and PostgreSQL. */
  public static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  private static final DateTimeFormatter DISPLAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  /** How people read an instant in mails and pages: minutes, UTC. */
  public static String display(Instant instant) {
    return instant == null ? null : DISPLAY.format(instant);
  }

  /** An ISO-8601 duration as people say it: PT8H is "8 hours", P4D "4 days", PT90M "1 hour 30 minutes". */
  public static String inWords(String isoDuration) {
    if (isoDuration == null) {
      return null;
    }
    Duration duration;
    try {
      duration = Duration.parse(isoDuration);
    } catch (DateTimeParseException e) {
      return isoDuration; // months and years have no fixed length: say it as the model does
    }
    List<String> parts = new ArrayList<>();
    unit(parts, duration.toDaysPart(), "day");
    unit(parts, duration.toHoursPart(), "hour");
    unit(parts, duration.toMinutesPart(), "minute");
    return parts.isEmpty() ? isoDuration : String.join(" ", parts);
  }

  private static void unit(List<String> parts, long amount, String unit) {
    if (amount > 0) {
      parts.add(amount + " " + unit + (amount == 1 ? "" : "s"));
    }
  }

  public static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  /** {@code start} plus an ISO-8601 duration (P4D, PT8H, P1M...), as the engine computes timer due dates. */
  public static Instant plus(Instant start, String isoDuration) {
    GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
    calendar.setTime(Date.from(start));
    DATATYPES.newDuration(isoDuration).addTo(calendar);
    return calendar.toInstant();
  }

  /**
   * Looked up once: each lookup scans the class path for a provider (seen in the benchmark's
   * profile). The JDK's factory keeps no state, so threads share it.
   */
  private static final DatatypeFactory DATATYPES = datatypeFactory();

  private static DatatypeFactory datatypeFactory() {
    try {
      return DatatypeFactory.newInstance();
    } catch (DatatypeConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }
}
