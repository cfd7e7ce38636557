package io.customerlockbox.notify;

import io.customerlockbox.LockboxProperties;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;
import org.thymeleaf.spring6.SpringTemplateEngine;
import org.thymeleaf.context.Context;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.AbstractConfigurableTemplateResolver;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;
import org.thymeleaf.templateresolver.FileTemplateResolver;

/**
 * Renders notification e-mails from Thymeleaf HTML templates: a deployer's own copy in the
 * directory {@code lockbox.mail.templates} wins over the one shipped in {@code mail/} on the class
 * path. Thymeleaf escapes every {@code th:text}, so text a requester typed stays text.
 * A template's {@code <title th:fragment="subject">} is the e-mail's subject.
 *
 * <p>A private engine, not a bean: a {@code SpringTemplateEngine} bean would replace the one Spring
 * Boot configures for the web pages.
 */
@Component
public class MailTemplates {

  public record Rendered(String subject, String html) {}

  private static final Pattern TITLE = Pattern.compile("<title[^>]*>(.*?)</title>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);

  private final SpringTemplateEngine engine = new SpringTemplateEngine();

  MailTemplates(LockboxProperties properties) {
    String directory = properties.mail() == null ? null : properties.mail().templates();
    if (directory != null && !directory.isBlank()) {
      FileTemplateResolver own = new FileTemplateResolver();
      configure(own, directory.endsWith("/") ? directory : directory + "/", 1);
      own.setCheckExistence(true);
      engine.addTemplateResolver(own);
    }
    ClassLoaderTemplateResolver shipped = new ClassLoaderTemplateResolver();
    configure(shipped, "mail/", 2);
    engine.addTemplateResolver(shipped);
  }

  private static void configure(AbstractConfigurableTemplateResolver resolver, String prefix, int order) {
    resolver.setPrefix(prefix);
    resolver.setSuffix(".html");
    resolver.setTemplateMode(TemplateMode.HTML);
    resolver.setCharacterEncoding("UTF-8");
    resolver.setOrder(order);
    resolver.setCacheable(true);
  }

  public Rendered render(String template, Map<String, Object> variables) {
    Context context = new Context();
    context.setVariables(variables);
    String html = engine.process(template, context);
    // The subject fragment is the page's <title>: read it from the one rendering (rendering the
    // fragment again cost as much as the whole mail).
    Matcher title = TITLE.matcher(html);
    String subject = title.find()
        ? HtmlUtils.htmlUnescape(title.group(1).replaceAll("<[^>]*>", "")).replaceAll("\\s+", " ").trim() : "";
    if (subject.isEmpty()) {
      throw new IllegalStateException("Mail template " + template + " has no <title th:fragment=\"subject\">");
    }
    return new Rendered(subject, html);
  }
}
