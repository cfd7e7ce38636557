package io.customerlockbox;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.GregorianCalendar;
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

  public static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  /** {@code start} plus an ISO-8601 duration (P4D, PT8H, P1M...), as the engine computes timer due dates. */
  public static Instant plus(Instant start, String isoDuration) {
    try {
      GregorianCalendar calendar = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
      calendar.setTime(Date.from(start));
      DatatypeFactory.newInstance().newDuration(isoDuration).addTo(calendar);
      return calendar.toInstant();
    } catch (DatatypeConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }
}
