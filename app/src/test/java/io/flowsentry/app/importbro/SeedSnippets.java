package io.flowsentry.app.importbro;

import io.flowsentry.collector.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Bro script text quoted in the 2008 post (../shared/seed, read there, never copied): each
 * {@code redef} from its first line to the line that ends it with {@code ;}, and the
 * {@code ##}/{@code @load} block, verbatim, in the post's order.
 */
public final class SeedSnippets {
  public static final String SEED = "seed/restricted-outgoing-blog-2008.txt";

  private SeedSnippets() {}

  public static Path path() {
    return SharedTestData.path(SEED);
  }

  /** The snippets, each as the lines the post shows. */
  public static List<String> snippets() throws IOException {
    List<String> lines = Files.readAllLines(path());
    List<String> snippets = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith("##") || l.startsWith("@load")) {
        StringBuilder block = new StringBuilder();
        while (i < lines.size() && (lines.get(i).startsWith("##") || lines.get(i).startsWith("@load"))) {
          block.append(lines.get(i++)).append('\n');
        }
        snippets.add(block.toString());
      } else if (l.startsWith("redef ")) {
        StringBuilder redef = new StringBuilder();
        while (i < lines.size()) {
          String line = lines.get(i);
          redef.append(line).append('\n');
          int hash = line.indexOf('#');
          if ((hash < 0 ? line : line.substring(0, hash)).strip().endsWith(";")) break;
          i++;
        }
        snippets.add(redef.toString());
      }
    }
    return snippets;
  }

  /** All snippets as one script, as a site would paste them one after the other. */
  public static String asOneScript() throws IOException {
    return String.join("\n", snippets());
  }
}
