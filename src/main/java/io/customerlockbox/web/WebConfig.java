package io.customerlockbox.web;

import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Query parameters naming a value of ours (format=csv, status=access_granted) ignore case. */
@Configuration
class WebConfig implements WebMvcConfigurer {

  @Override
  public void addFormatters(FormatterRegistry registry) {
    ApplicationConversionService.addApplicationConverters(registry);
  }
}
