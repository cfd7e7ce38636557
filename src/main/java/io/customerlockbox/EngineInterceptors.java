package io.customerlockbox;

import java.util.ArrayList;
import java.util.List;
import org.camunda.bpm.engine.impl.interceptor.CommandInterceptor;

/**
 * The engine's lists of custom command interceptors, as the product's engine plugins extend them:
 * a copy of what is there (the engine hands out null for none yet) with one more, first or last.
 */
public final class EngineInterceptors {

  private EngineInterceptors() {}

  /** {@code added} runs before the others: the outermost of the list. */
  public static List<CommandInterceptor> first(List<CommandInterceptor> existing, CommandInterceptor added) {
    List<CommandInterceptor> all = new ArrayList<>();
    all.add(added);
    if (existing != null) {
      all.addAll(existing);
    }
    return all;
  }

  /** {@code added} runs after the others: the innermost of the list. */
  public static List<CommandInterceptor> last(List<CommandInterceptor> existing, CommandInterceptor added) {
    List<CommandInterceptor> all = existing == null ? new ArrayList<>() : new ArrayList<>(existing);
    all.add(added);
    return all;
  }
}
