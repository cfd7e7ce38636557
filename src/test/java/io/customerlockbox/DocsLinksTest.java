package io.customerlockbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every link in the README and docs/ leads somewhere: a relative link to a file that exists, an
 * anchor to a heading that exists in its file (with the anchors GitHub makes of headings). Links
 * to other sites are not followed: the tests run offline.
 */
class DocsLinksTest {

  /** {@code [text](target)} and {@code ![alt](target)}, with an optional "title". */
  private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
  private static final Pattern FENCE = Pattern.compile("^\\s*```");

  private final Path root = Path.of("").toAbsolutePath();
  private final Map<Path, Set<String>> anchors = new HashMap<>();

  @Test
  void everyLinkInTheReadmeAndTheDocsLeadsToAFileOrAnAnchorThatExists() throws IOException {
    List<Path> documents = documents();
    assertThat(documents).as("the README and docs/*.md").contains(root.resolve("README.md"))
        .anyMatch(d -> d.startsWith(root.resolve("docs")));
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path document : documents) {
      for (String target : links(document)) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          continue; // http:, https:, mailto: — another site
        }
        checked++;
        String problem = problem(document, target);
        if (problem != null) {
          broken.add(root.relativize(document) + ": " + target + " — " + problem);
        }
      }
    }
    assertThat(checked).as("relative links checked").isPositive();
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  void headingsBecomeTheAnchorsGitHubMakes() {
    assertThat(slug("Single sign-on (the `oidc` profile)")).isEqualTo("single-sign-on-the-oidc-profile");
    assertThat(slug("Tuning: the settings chosen, and why")).isEqualTo("tuning-the-settings-chosen-and-why");
    assertThat(slug("Camunda's own history")).isEqualTo("camundas-own-history");
    assertThat(slug("Walk a request through its life")).isEqualTo("walk-a-request-through-its-life");
  }

  private List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(documents::add);
    }
    return documents;
  }

  private String problem(Path document, String target) throws IOException {
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path linked = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
    if (!linked.startsWith(root)) {
      return "points outside the repository";
    }
    if (!Files.exists(linked)) {
      return "no such file";
    }
    if (anchor != null) {
      if (!linked.toString().endsWith(".md")) {
        return "an anchor into a file that is not Markdown";
      }
      if (!anchorsOf(linked).contains(anchor)) {
        return "no heading with that anchor in " + root.relativize(linked);
      }
    }
    return null;
  }

  /** The link targets of a document, outside code blocks and code spans. */
  private static List<String> links(Path document) throws IOException {
    List<String> targets = new ArrayList<>();
    boolean inFence = false;
    boolean previousBlank = true;
    boolean inIndentedCode = false;
    for (String line : Files.readAllLines(document)) {
      if (FENCE.matcher(line).find()) {
        inFence = !inFence;
        continue;
      }
      boolean blank = line.isBlank();
      // An indented block after a blank line is code, unless it continues a list item.
      if (line.startsWith("    ") && (inIndentedCode || previousBlank) && !line.stripLeading().matches("^([-*]|\\d+\\.) .*")) {
        inIndentedCode = true;
      } else if (!blank) {
        inIndentedCode = false;
      }
      previousBlank = blank;
      if (inFence || inIndentedCode) {
        continue;
      }
      Matcher matcher = LINK.matcher(line.replaceAll("`[^`]*`", "``"));
      while (matcher.find()) {
        targets.add(matcher.group(1));
      }
    }
    return targets;
  }

  private Set<String> anchorsOf(Path document) throws IOException {
    Set<String> known = anchors.get(document);
    if (known != null) {
      return known;
    }
    known = new LinkedHashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    boolean inFence = false;
    for (String line : Files.readAllLines(document)) {
      if (FENCE.matcher(line).find()) {
        inFence = !inFence;
        continue;
      }
      Matcher heading = HEADING.matcher(line);
      if (!inFence && heading.matches()) {
        String slug = slug(heading.group(1));
        int n = seen.merge(slug, 1, Integer::sum);
        known.add(n == 1 ? slug : slug + "-" + (n - 1));
      }
    }
    anchors.put(document, known);
    return known;
  }

  /** GitHub's anchor of a heading: its text in lower case, punctuation dropped, spaces as dashes. */
  static String slug(String heading) {
    String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "").replace("*", "");
    return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }
}
