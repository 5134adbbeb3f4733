package io.flowsentry.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Walks a parsed YAML tree against the configuration records before binding, so that every
 * unknown key and every wrong type is reported at once with its key path — Jackson alone stops
 * at the first. Each node it reports is removed from the tree, so that what remains still binds
 * and validates, and the problems of the values that were well-formed are reported too. Records
 * name their YAML keys with {@link JsonProperty}.
 */
final class SchemaCheck {
  private SchemaCheck() {}

  /** A reported problem and the key path it is about. */
  record Problem(String path, String text) {}

  /** The problems of {@code node}, which is left without the keys and values they are about. */
  static List<Problem> checkAndPrune(JsonNode node, Class<?> recordType) {
    List<Problem> problems = new ArrayList<>();
    check(node, recordType, "", problems);
    return problems;
  }

  /** Whether {@code node} itself is of the wrong kind (its parent removes it); problems inside it are pruned here. */
  private static boolean check(JsonNode node, Type type, String path, List<Problem> problems) {
    if (node == null || node.isNull()) return false; // absent = default
    Class<?> raw = rawClass(type);
    if (raw.isRecord()) {
      if (!node.isObject()) {
        return add(problems, path, show(node) + " (expected: a mapping with keys " + keys(raw).keySet() + ")");
      }
      Map<String, RecordComponent> keys = keys(raw);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        RecordComponent c = keys.get(e.getKey());
        if (c == null) {
          add(problems, child, "unknown key (expected one of: " + String.join(", ", new TreeSet<>(keys.keySet())) + ")");
          it.remove();
        } else if (check(e.getValue(), c.getGenericType(), child, problems)) {
          it.remove();
        }
      }
      return false;
    } else if (List.class.isAssignableFrom(raw)) {
      if (!node.isArray()) return add(problems, path, show(node) + " (expected: a list)");
      Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
      List<Integer> bad = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        if (check(node.get(i), element, path + "[" + i + "]", problems)) bad.add(i);
      }
      for (int i = bad.size() - 1; i >= 0; i--) ((ArrayNode) node).remove(bad.get(i));
      return false;
    } else if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
      if (!node.canConvertToLong() || !node.isIntegralNumber()) return add(problems, path, show(node) + " (expected: an integer)");
    } else if (raw == Boolean.class || raw == boolean.class) {
      if (!node.isBoolean()) return add(problems, path, show(node) + " (expected: true or false)");
    } else if (raw == String.class) {
      if (!node.isValueNode()) return add(problems, path, show(node) + " (expected: a single value)");
    }
    return false;
  }

  private static boolean add(List<Problem> problems, String path, String what) {
    problems.add(new Problem(path, key(path) + ": " + what));
    return true;
  }

  static Map<String, RecordComponent> keys(Class<?> record) {
    Map<String, RecordComponent> keys = new LinkedHashMap<>();
    for (RecordComponent c : record.getRecordComponents()) {
      JsonProperty p = c.getAnnotation(JsonProperty.class);
      if (p == null) p = accessorAnnotation(c);
      keys.put(p != null && !p.value().isEmpty() ? p.value() : c.getName(), c);
    }
    return keys;
  }

  private static JsonProperty accessorAnnotation(RecordComponent c) {
    return c.getAccessor().getAnnotation(JsonProperty.class);
  }

  private static Class<?> rawClass(Type type) {
    if (type instanceof Class<?> c) return c;
    if (type instanceof ParameterizedType p) return (Class<?>) p.getRawType();
    return Object.class;
  }

  private static String key(String path) {
    return path.isEmpty() ? "(top level)" : path;
  }

  private static String show(JsonNode node) {
    String text = node.isValueNode() ? node.toString() : node.isArray() ? "a list" : "a mapping";
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }
}
