package io.relstore;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The outcome a delete would have, computed without changing anything ({@link Store#planDelete}):
 * the rows it would delete per model, the foreign keys it would set, and what would block it. It is
 * the "are you sure?" list. SET and default suppliers ran on a throw-away transaction to compute
 * their values; their writes are gone with it.
 */
public final class DeletePlan {
  private final String model;
  private final List<Object> roots;
  private final Map<String, List<Object>> deletions;
  private final List<FieldUpdate> updates;
  private final List<Blocker> protectedBy;
  private final List<Blocker> restrictedBy;

  /**
   * A field the delete would set on some rows (rows also deleted are included, as in Django).
   *
   * @param field {@code Model.field}
   * @param value the key it would hold, or null
   * @param rows the rows as stored now
   */
  public record FieldUpdate(String field, @Nullable Object value, List<Object> rows) {
    public FieldUpdate {
      rows = List.copyOf(rows);
    }
  }

  /**
   * Rows that would block the delete.
   *
   * @param key Django's key ({@code 'R.p'} for PROTECT's first hop, {@code 'A.restrict'} for RESTRICT)
   * @param path the chain of relations from the deleted model to the blocking field
   * @param rows the blocking rows
   */
  public record Blocker(String key, String path, List<Object> rows) {
    public Blocker {
      rows = List.copyOf(rows);
    }
  }

  public DeletePlan(String model, List<Object> roots, Map<String, List<Object>> deletions,
      List<FieldUpdate> updates, List<Blocker> protectedBy, List<Blocker> restrictedBy) {
    this.model = model;
    this.roots = List.copyOf(roots);
    Map<String, List<Object>> copy = new LinkedHashMap<>();
    deletions.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    this.deletions = Collections.unmodifiableMap(copy);
    this.updates = List.copyOf(updates);
    this.protectedBy = List.copyOf(protectedBy);
    this.restrictedBy = List.copyOf(restrictedBy);
  }

  /** The name of the model being deleted. */
  public String model() {
    return model;
  }

  /** The rows the delete starts from (those that exist). */
  public List<Object> roots() {
    return roots;
  }

  /** Rows to delete per model label, in deletion order; each list in key order. */
  public Map<String, List<Object>> deletions() {
    return deletions;
  }

  public List<FieldUpdate> updates() {
    return updates;
  }

  /** PROTECT blockers; a non-empty list means the delete throws {@link ProtectedError}. */
  public List<Blocker> protectedBy() {
    return protectedBy;
  }

  /** RESTRICT blockers left after the cascade exemption; non-empty means {@link RestrictedError}. */
  public List<Blocker> restrictedBy() {
    return restrictedBy;
  }

  /** True when the delete would succeed (no protecting or restricting rows). */
  public boolean allowed() {
    return protectedBy.isEmpty() && restrictedBy.isEmpty();
  }

  /** The result the delete would return if allowed. */
  public DeleteResult result() {
    Map<String, Integer> counts = new LinkedHashMap<>();
    int total = 0;
    for (Map.Entry<String, List<Object>> e : deletions.entrySet()) {
      counts.put(e.getKey(), e.getValue().size());
      total += e.getValue().size();
    }
    return new DeleteResult(total, counts);
  }

  /** A readable listing, one line per model, update and blocker. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    sb.append("Delete ").append(model).append(": ").append(allowed() ? result() : "BLOCKED");
    deletions.forEach((k, v) -> sb.append("\n  delete ").append(k).append(": ").append(v.size())
        .append(v.size() == 1 ? " row" : " rows"));
    for (FieldUpdate u : updates) {
      sb.append("\n  set ").append(u.field()).append(" = ").append(u.value()).append(" on ")
          .append(u.rows().size()).append(u.rows().size() == 1 ? " row" : " rows");
    }
    for (Blocker b : protectedBy) {
      sb.append("\n  PROTECTED by ").append(b.key()).append(" (").append(b.path()).append("): ")
          .append(b.rows().size()).append(b.rows().size() == 1 ? " row" : " rows");
    }
    for (Blocker b : restrictedBy) {
      sb.append("\n  RESTRICTED by ").append(b.key()).append(" (").append(b.path()).append("): ")
          .append(b.rows().size()).append(b.rows().size() == 1 ? " row" : " rows");
    }
    return sb.toString();
  }
}
