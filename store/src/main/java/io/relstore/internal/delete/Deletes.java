package io.relstore.internal.delete;

import io.relstore.DeletePlan;
import io.relstore.DeleteResult;
import io.relstore.ProtectedError;
import io.relstore.RestrictedError;
import io.relstore.internal.schema.ModelMeta;
import io.relstore.internal.table.TableView;
import io.relstore.internal.tx.RowWrites;
import io.relstore.internal.tx.WriteTxn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.collections.api.list.primitive.MutableLongList;

/**
 * Phase two of a delete and the views of a collection: apply a {@link Collected} inside the write
 * transaction (field updates first, then deletions in dependency order, counting only rows actually
 * removed), or turn it into the {@link ProtectedError} / {@link RestrictedError} it implies, or into
 * an inspectable {@link DeletePlan}. Applying costs time linear in the rows it touches.
 */
public final class Deletes {
  private static final int SHOWN_ROWS = 5;

  private Deletes() {
  }

  /** Collects, refuses when blocked, and applies: {@code store.delete} inside a transaction. */
  public static DeleteResult delete(WriteTxn txn, RowWrites writes, Object api, ModelMeta model,
      long[] pks) {
    Collected c = new Collector(txn, writes, api, model).collect(pks);
    throwIfBlocked(txn, c);
    return apply(txn, writes, c);
  }

  /** The plan of a delete, computed on {@code txn} (which the caller then drops). */
  public static DeletePlan plan(WriteTxn txn, RowWrites writes, Object api, ModelMeta model,
      long[] pks) {
    Collected c = new Collector(txn, writes, api, model).collect(pks);
    return toPlan(txn, c);
  }

  static DeleteResult apply(WriteTxn txn, RowWrites writes, Collected c) {
    for (Collected.Update u : c.updates()) {
      ModelMeta m = u.field().model();
      for (int i = 0; i < u.pks().size(); i++) {
        long pk = u.pks().get(i);
        Object row = txn.table(m).row(pk);
        if (row != null && !c.isCollected(m, pk)
            && !Objects.equals(valueOf(u.field(), row), u.value())) {
          writes.setField(txn, m, row, u.field(), u.value());
        }
      }
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    int total = 0;
    for (ModelMeta m : c.deletionOrder()) {
      MutableLongList pks = c.rowsOf(m);
      int n = 0;
      for (int i = 0; i < pks.size(); i++) {
        if (txn.remove(m, pks.get(i)) != null) {
          n++;
        }
      }
      if (n > 0) {
        counts.merge(m.label(), n, Integer::sum);
        total += n;
      }
    }
    return new DeleteResult(total, counts);
  }

  private static @org.jspecify.annotations.Nullable Object valueOf(
      io.relstore.internal.schema.FieldMeta f, Object row) {
    long v = f.getLong(row);
    return v == 0 ? null : v;
  }

  static void throwIfBlocked(WriteTxn txn, Collected c) {
    if (!c.protectedBy().isEmpty()) {
      throw protectedError(txn, c);
    }
    if (!c.restrictedBy().isEmpty()) {
      throw restrictedError(txn, c);
    }
  }

  private static ProtectedError protectedError(WriteTxn txn, Collected c) {
    List<String> keys = new ArrayList<>();
    Set<Object> objects = new LinkedHashSet<>();
    StringBuilder detail = new StringBuilder();
    for (Collected.Blocker b : c.protectedBy()) {
      keys.add(b.key());
      objects.addAll(rows(txn, b.model(), b.pks()));
      detail.append(" ").append(describe(b));
    }
    String message = "Cannot delete some instances of model '" + c.model().name()
        + "' because they are referenced through protected foreign keys: " + String.join(", ", keys)
        + ". Deleting " + roots(c) + ":" + detail;
    return new ProtectedError(message, c.model().name(), keys, objects);
  }

  private static RestrictedError restrictedError(WriteTxn txn, Collected c) {
    List<String> keys = new ArrayList<>();
    Set<Object> objects = new LinkedHashSet<>();
    StringBuilder detail = new StringBuilder();
    for (Collected.Blocker b : c.restrictedBy()) {
      if (!keys.contains(b.key())) {
        keys.add(b.key());
      }
      objects.addAll(rows(txn, b.model(), b.pks()));
      detail.append(" ").append(describe(b));
    }
    String message = "Cannot delete some instances of model '" + c.model().name()
        + "' because they are referenced through restricted foreign keys: "
        + String.join(", ", keys) + ". Deleting " + roots(c) + ":" + detail;
    return new RestrictedError(message, c.model().name(), keys, objects);
  }

  private static String describe(Collected.Blocker b) {
    return "path " + b.path() + " is held by " + sample(b.model(), b.pks()) + ";";
  }

  private static String roots(Collected c) {
    long[] roots = c.roots();
    MutableLongList list = org.eclipse.collections.impl.list.mutable.primitive.LongArrayList
        .newListWith(roots);
    return sample(c.model(), list);
  }

  /** {@code A(id=1), A(id=2) (2 rows)} with at most a few rows named. */
  static String sample(ModelMeta m, MutableLongList pks) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < Math.min(SHOWN_ROWS, pks.size()); i++) {
      names.add(m.describe(pks.get(i)));
    }
    String more = pks.size() > SHOWN_ROWS ? ", ... " : "";
    return String.join(", ", names) + more + " (" + pks.size() + (pks.size() == 1 ? " row)"
        : " rows)");
  }

  private static List<Object> rows(TableView table, MutableLongList pks) {
    List<Object> out = new ArrayList<>(pks.size());
    for (int i = 0; i < pks.size(); i++) {
      Object row = table.row(pks.get(i));
      if (row != null) {
        out.add(row);
      }
    }
    return out;
  }

  private static List<Object> rows(WriteTxn txn, ModelMeta m, MutableLongList pks) {
    return rows(txn.table(m), pks);
  }

  static DeletePlan toPlan(WriteTxn txn, Collected c) {
    Map<String, List<Object>> deletions = new LinkedHashMap<>();
    for (ModelMeta m : c.deletionOrder()) {
      List<Object> rows = rows(txn, m, c.rowsOf(m).toSortedList());
      if (!rows.isEmpty()) {
        deletions.put(m.label(), rows);
      }
    }
    List<DeletePlan.FieldUpdate> updates = new ArrayList<>();
    for (Collected.Update u : c.updates()) {
      updates.add(new DeletePlan.FieldUpdate(u.field().qualifiedName(), u.value(),
          rows(txn, u.field().model(), u.pks())));
    }
    List<DeletePlan.Blocker> protectedBy = blockers(txn, c.protectedBy());
    List<DeletePlan.Blocker> restrictedBy = blockers(txn, c.restrictedBy());
    return new DeletePlan(c.model().name(), rows(txn, c.model(),
        org.eclipse.collections.impl.list.mutable.primitive.LongArrayList.newListWith(c.roots())),
        deletions, updates, protectedBy, restrictedBy);
  }

  private static List<DeletePlan.Blocker> blockers(WriteTxn txn, List<Collected.Blocker> list) {
    List<DeletePlan.Blocker> out = new ArrayList<>();
    for (Collected.Blocker b : list) {
      out.add(new DeletePlan.Blocker(b.key(), b.path(), rows(txn, b.model(), b.pks())));
    }
    return out;
  }
}
