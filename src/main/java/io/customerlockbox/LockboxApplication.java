package io.customerlockbox;

import io.customerlockbox.access.GrantKeyTool;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class LockboxApplication {

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals(GrantKeyTool.COMMAND)) {
      GrantKeyTool.main(java.util.Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    SpringApplication.run(LockboxApplication.class, args);
  }
}
