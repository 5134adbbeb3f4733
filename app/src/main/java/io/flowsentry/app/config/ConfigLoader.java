package io.flowsentry.app.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML configuration into {@link FlowsentryConfig}: unknown keys and wrong types are
 * found by a walk over the records before binding and left out, then what remains is bound and
 * each section validates its values; every problem of both steps is reported at once (start-up
 * and SIGHUP alike). Every problem names the file and the key path.
 */
public final class ConfigLoader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      // only record components are configuration; helpers such as isGlob() are not keys
      .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE);

  private ConfigLoader() {}

  public static FlowsentryConfig load(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), List.of("file not found (expected: a YAML configuration file; see config/flowsentry.yml)"));
    } catch (IOException e) {
      throw new ConfigException(file.toString(), List.of("cannot read: " + e.getMessage()));
    }
    return parse(text, file.toString());
  }

  /** @param source how problems name the input, usually the file path */
  public static FlowsentryConfig parse(String yaml, String source) throws ConfigException {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source, List.of(notYaml(e)));
    }
    if (root == null || root instanceof MissingNode || root.isNull()) root = YAML.createObjectNode();
    List<SchemaCheck.Problem> malformed = SchemaCheck.checkAndPrune(root, FlowsentryConfig.class);
    List<String> problems = new ArrayList<>(malformed.stream().map(SchemaCheck.Problem::text).toList());
    if (malformed.stream().anyMatch(m -> m.path().isEmpty())) throw new ConfigException(source, problems); // not a mapping at all
    FlowsentryConfig config;
    try {
      config = YAML.treeToValue(root, FlowsentryConfig.class);
    } catch (JsonMappingException e) {
      problems.add(path(e) + ": " + e.getOriginalMessage());
      throw new ConfigException(source, problems);
    } catch (JsonProcessingException e) {
      problems.add(e.getOriginalMessage());
      throw new ConfigException(source, problems);
    }
    // what was removed as malformed took its default, which may not validate: not a second problem of the same key
    config.validate().stream().filter(p -> malformed.stream().noneMatch(m -> isAbout(p, m.path()))).forEach(problems::add);
    if (!problems.isEmpty()) throw new ConfigException(source, problems);
    return config;
  }

  private static boolean isAbout(String problem, String path) {
    return problem.startsWith(path + ":") || problem.startsWith(path + ".") || problem.startsWith(path + "[");
  }

  /** The effective configuration, defaults filled in, as YAML that {@link #parse} reads back. */
  public static String toYaml(FlowsentryConfig config) {
    try {
      return YAML.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("configuration records must serialize", e);
    }
  }

  /**
   * The parser's own problem at its own position. Jackson's location and first message line
   * are where the parser was (e.g. the line before a tab) and what it was doing ("while
   * scanning for the next token"); SnakeYAML's exception under it says what is wrong and where,
   * and for an unclosed bracket where the bracket opened.
   */
  private static String notYaml(JsonProcessingException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof MarkedYAMLException m && m.getProblemMark() != null) {
        StringBuilder sb = new StringBuilder(at(m.getProblemMark())).append(": not valid YAML: ").append(m.getProblem());
        if (m.getContext() != null) {
          sb.append(" (").append(m.getContext());
          Mark start = m.getContextMark();
          if (start != null && !at(start).equals(at(m.getProblemMark()))) sb.append(" that starts at ").append(at(start));
          sb.append(')');
        }
        return sb.toString();
      }
    }
    String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": ";
    return where + "not valid YAML: " + e.getOriginalMessage();
  }

  /** SnakeYAML counts lines and columns from 0; editors and the rest of our messages from 1. */
  private static String at(Mark mark) {
    return "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining()).replaceFirst("^\\.", "");
  }
}
