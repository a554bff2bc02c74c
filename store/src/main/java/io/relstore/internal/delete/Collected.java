package io.relstore.internal.delete;

import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.schema.ModelMeta;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.collections.api.list.primitive.MutableLongList;
import org.eclipse.collections.api.set.primitive.MutableLongSet;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;
import org.jspecify.annotations.Nullable;

/**
 * What a collection found: the rows to delete per model (in collection order), the field updates,
 * the PROTECT and RESTRICT blockers, and the model dependencies that order the deletion. Mutable
 * while the {@link Collector} runs, read-only afterwards.
 */
public final class Collected {
  private final ModelMeta model;
  private long[] roots = new long[0];
  private final Map<ModelMeta, Rows> collected = new LinkedHashMap<>();
  private final List<Update> updates = new ArrayList<>();
  private final Map<String, Blocker> protectedBy = new LinkedHashMap<>();
  /** RESTRICT blockers by referencing model (first met), then field: Django's grouping. */
  private final Map<ModelMeta, Map<FieldMeta, Blocker>> restricted = new LinkedHashMap<>();
  private final List<Blocker> restrictedLeft = new ArrayList<>();
  private final Map<ModelMeta, Set<ModelMeta>> dependencies = new LinkedHashMap<>();

  /** The rows of one model to delete: a set for membership, a list for order. */
  static final class Rows {
    final MutableLongSet set = new LongHashSet();
    final MutableLongList order = new LongArrayList();
  }

  /** Set {@code field} to {@code value} (a key or null) on the rows {@code pks}. */
  public record Update(FieldMeta field, @Nullable Object value, MutableLongList pks) {
  }

  /**
   * Rows of {@code model} that keep the delete from happening, reached along {@code path};
   * {@code key} is Django's key for the blocker.
   */
  public record Blocker(String key, String path, ModelMeta model, MutableLongList pks) {
  }

  Collected(ModelMeta model) {
    this.model = model;
  }

  /** The model of the top-level delete. */
  public ModelMeta model() {
    return model;
  }

  /** The keys asked for that exist, in the order given. */
  public long[] roots() {
    return roots.clone();
  }

  void setRoots(long[] pks) {
    roots = pks;
  }

  /** Adds rows; returns those not collected before (Django's "new objects"). */
  MutableLongList add(ModelMeta m, MutableLongList pks) {
    Rows rows = collected.computeIfAbsent(m, k -> new Rows());
    LongArrayList fresh = new LongArrayList();
    for (int i = 0; i < pks.size(); i++) {
      long pk = pks.get(i);
      if (rows.set.add(pk)) {
        rows.order.add(pk);
        fresh.add(pk);
      }
    }
    return fresh;
  }

  void dependsOn(ModelMeta parent, ModelMeta child) {
    dependencies.computeIfAbsent(parent, k -> new HashSet<>()).add(child);
  }

  void update(FieldMeta field, @Nullable Object value, MutableLongList pks) {
    updates.add(new Update(field, value, pks));
  }

  void protect(String firstHop, String path, ModelMeta m, MutableLongList pks) {
    Blocker b = protectedBy.computeIfAbsent(firstHop,
        k -> new Blocker(k, path, m, new LongArrayList()));
    b.pks().addAll(pks);
  }

  void restrict(FieldMeta fk, String path, MutableLongList pks) {
    Blocker b = restricted.computeIfAbsent(fk.model(), m -> new LinkedHashMap<>())
        .computeIfAbsent(fk,
            k -> new Blocker("'" + k.fk().key() + "'", path, k.model(), new LongArrayList()));
    b.pks().addAll(pks);
  }

  /** Rule 16: restricted rows that this delete also collects stop restricting. */
  void finishRestricted() {
    for (Blocker b : restricted.values().stream().flatMap(m -> m.values().stream()).toList()) {
      LongArrayList left = new LongArrayList();
      LongHashSet seen = new LongHashSet();
      for (int i = 0; i < b.pks().size(); i++) {
        long pk = b.pks().get(i);
        if (!isCollected(b.model(), pk) && seen.add(pk)) {
          left.add(pk);
        }
      }
      if (!left.isEmpty()) {
        restrictedLeft.add(new Blocker(b.key(), b.path(), b.model(), left));
      }
    }
  }

  public boolean isCollected(ModelMeta m, long pk) {
    Rows rows = collected.get(m);
    return rows != null && rows.set.contains(pk);
  }

  public List<Update> updates() {
    return updates;
  }

  /** PROTECT blockers by first-hop key, in the order met. */
  public List<Blocker> protectedBy() {
    return new ArrayList<>(protectedBy.values());
  }

  /** RESTRICT blockers left after rule 16, in the order met. */
  public List<Blocker> restrictedBy() {
    return restrictedLeft;
  }

  public boolean allowed() {
    return protectedBy.isEmpty() && restrictedLeft.isEmpty();
  }

  /**
   * Models in deletion order (rule 26): a model comes after every model that depends on it through
   * a non-null CASCADE or a RESTRICT; on a cycle, collection order stays.
   */
  public List<ModelMeta> deletionOrder() {
    List<ModelMeta> models = new ArrayList<>(collected.keySet());
    List<ModelMeta> sorted = new ArrayList<>();
    while (sorted.size() < models.size()) {
      boolean found = false;
      for (ModelMeta m : models) {
        if (!sorted.contains(m) && sorted.containsAll(dependencies.getOrDefault(m, Set.of()))) {
          sorted.add(m);
          found = true;
        }
      }
      if (!found) {
        return models;
      }
    }
    return sorted;
  }

  /** The keys to delete of one model, in collection order. */
  public MutableLongList rowsOf(ModelMeta m) {
    Rows rows = collected.get(m);
    return rows == null ? new LongArrayList() : rows.order;
  }
}
