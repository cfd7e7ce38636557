package io.customerlockbox.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the API's JSON may be, in one place: everything Jackson accepts by default that the
 * contract refuses is refused here, and {@link ProblemDetailsHandler} names the field at fault.
 *
 * <ul>
 *   <li>An unknown field, a duplicate field ({"accessLevel":"READ","accessLevel":"ADMIN"} would
 *       keep the last), and anything after the document ({...} {...}).
 *   <li>A value of another type: 42 or true where text is meant (Jackson would make "42" of it),
 *       "true" where a boolean is meant, a number where a name from a list is meant (0 would be
 *       READ, the first access level), 1.5 where a whole number is meant (1.5 days would be 1), null
 *       where a number or boolean must be.
 *   <li>Text that is not {@link PrintableText} in any field.
 * </ul>
 * Comments, single quotes, NaN, leading zeros and unquoted names are already refused by Jackson's
 * defaults, which this keeps.
 */
@Configuration
class StrictJson {

  @Bean
  Jackson2ObjectMapperBuilderCustomizer strictJsonCustomizer() {
    return builder -> builder
        .featuresToEnable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            DeserializationFeature.FAIL_ON_TRAILING_TOKENS, DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .featuresToDisable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .postConfigurer(mapper -> {
          mapper.coercionConfigFor(LogicalType.Textual)
              .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
              .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
          mapper.coercionConfigFor(LogicalType.Integer)
              .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        });
  }

  /** Spring Boot adds every Module bean to the API's mapper, beside its own (java.time...). */
  @Bean
  Module printableText() {
    return new SimpleModule("printable-text").addDeserializer(String.class, new PrintableTextDeserializer());
  }

  /** Reads text as Jackson does, then refuses what is not printable text, naming where it was. */
  static final class PrintableTextDeserializer extends StdScalarDeserializer<String> {

    PrintableTextDeserializer() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      String value = StringDeserializer.instance.deserialize(parser, context);
      String problem = PrintableText.problem(value);
      if (problem != null) {
        throw new UnprintableText(parser, problem);
      }
      return value;
    }
  }

  /** A string that is not printable text; the path to its field is added as the error travels up. */
  static final class UnprintableText extends JsonMappingException {

    private final String problem;

    UnprintableText(JsonParser parser, String problem) {
      super(parser, "text " + problem);
      this.problem = problem;
    }

    String problem() {
      return problem;
    }
  }
}
