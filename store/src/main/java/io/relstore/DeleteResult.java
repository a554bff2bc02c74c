package io.relstore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a delete removed, as Django returns it: the total and a count per model label, in deletion
 * order. Only models with deleted rows appear; rows changed by SET_NULL, SET_DEFAULT or SET are not
 * counted.
 *
 * @param total the number of rows deleted
 * @param counts rows deleted per model label ({@code "blog.Post"}), in deletion order
 */
public record DeleteResult(int total, Map<String, Integer> counts) {

  public DeleteResult {
    counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
  }

  /** Rows deleted of one model label; 0 when none. */
  public int count(String label) {
    return counts.getOrDefault(label, 0);
  }

  /** Django's form: {@code (6, {"U": 1, "T": 2})}. */
  @Override
  public String toString() {
    return "(" + total + ", " + counts.entrySet().stream()
        .map(e -> "\"" + e.getKey() + "\": " + e.getValue())
        .collect(Collectors.joining(", ", "{", "}")) + ")";
  }
}
