package io.customerlockbox.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.customerlockbox.LockboxProperties;
import io.customerlockbox.request.AccessLevel;
import io.customerlockbox.request.AccessRequest;
import io.customerlockbox.request.AccessRequestStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deployer's own template in {@code lockbox.mail.templates} replaces the shipped one; the rest stay. */
class MailTemplatesTest {

  @Test
  void aTemplateInTheConfiguredDirectoryWinsAndEscapesWhatItPrints(@TempDir Path directory) throws Exception {
    Files.writeString(directory.resolve("access-ended.html"), """
        <html xmlns:th="http://www.thymeleaf.org"><head>
        <title th:fragment="subject" th:text="|Ende: ${who}|">x</title></head>
        <body><p th:text="${who}">who</p></body></html>""");
    MailTemplates templates = new MailTemplates(
        new LockboxProperties("http://localhost", new LockboxProperties.Mail("lockbox@localhost", directory.toString()), null, null));

    MailTemplates.Rendered own = templates.render("access-ended", Map.of("who", "<b>Ann & Bob</b>"));

    assertThat(own.subject()).isEqualTo("Ende: <b>Ann & Bob</b>");
    assertThat(own.html()).contains("<p>&lt;b&gt;Ann &amp; Bob&lt;/b&gt;</p>");
  }

  @Test
  void withoutADirectoryTheShippedTemplatesAreUsed() {
    MailTemplates templates = new MailTemplates(
        new LockboxProperties("http://localhost", new LockboxProperties.Mail("lockbox@localhost", ""), null, null));

    assertThat(templates.render("break-glass-used", Map.of("request", sampleRequest(), "ticket", "Provider initiated"))
        .subject()).isEqualTo("Break-glass access to contoso-prod by oncall");
  }

  private static AccessRequest sampleRequest() {
    return new AccessRequest("r1", "contoso", "contoso-prod", null, "Outage",
        AccessLevel.ADMIN, true, true, true, "INC-1", "oncall", null,
        AccessRequestStatus.ACCESS_GRANTED, null, null, null, null, null, null);
  }
}
