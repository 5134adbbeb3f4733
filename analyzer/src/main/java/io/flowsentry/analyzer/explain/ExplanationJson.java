package io.flowsentry.analyzer.explain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/** An {@link Explanation} as JSON with snake_case keys: {@code explain --json} and {@code GET /explain} print the same. */
public final class ExplanationJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .enable(SerializationFeature.INDENT_OUTPUT)
      // a newer daemon may say more than this client knows
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private ExplanationJson() {}

  public static String write(Explanation e) {
    try {
      return JSON.writeValueAsString(e) + "\n";
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException("an explanation is plain records and lists", ex);
    }
  }

  /** @throws JsonProcessingException when the text is not an explanation */
  public static Explanation read(String json) throws JsonProcessingException {
    return JSON.readValue(json, Explanation.class);
  }
}
