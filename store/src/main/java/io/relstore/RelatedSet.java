package io.relstore;

import io.relstore.internal.schema.FieldMeta;
import io.relstore.internal.table.LongTrie;
import io.relstore.internal.table.TableView;
import io.relstore.internal.tx.Database;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;

/**
 * A reverse relation of one parent row ({@code alice → her posts}): a live view, never stale. Each
 * call reads the state current at that moment; an iterator or stream works on the state current
 * when it was made, holds no lock, and may be abandoned at any time. {@link #count()} is O(1).
 *
 * @param <C> the referencing model
 */
public final class RelatedSet<C extends Record> implements Iterable<C> {
  private final Store store;
  private final Database db;
  private final FieldMeta fk;
  private final long parent;
  private final Class<C> type;

  RelatedSet(Store store, Database db, FieldMeta fk, long parent, Class<C> type) {
    this.store = store;
    this.db = db;
    this.fk = fk;
    this.parent = parent;
    this.type = type;
  }

  private TableView table() {
    return db.view().table(fk.model());
  }

  private LongTrie<Object> keys(TableView table) {
    return table.children(fk.fk().ordinal(), parent);
  }

  /**
   * The related rows as a QuerySet ({@code alice.posts.all()} in Django), to filter, order or
   * aggregate further; lazy like every QuerySet.
   */
  public QuerySet<C> all() {
    @SuppressWarnings("unchecked")
    Class<C> model = (Class<C>) fk.model().type();
    return store.objects(model).filter(fk.name(), parent);
  }

  /** Number of referencing rows, O(1). */
  public int count() {
    return keys(table()).size();
  }

  public boolean isEmpty() {
    return count() == 0;
  }

  /** Whether {@code row} is stored and references the parent through this relation. */
  public boolean contains(@Nullable Object row) {
    if (!fk.model().isInstance(row)) {
      return false;
    }
    return keys(table()).containsKey(fk.model().pkOf(row));
  }

  /** The referencing rows in primary-key order. */
  public List<C> list() {
    List<C> out = new ArrayList<>(count());
    forEach(out::add);
    return out;
  }

  /** The rows as a stream over the state current now (its size is that state's, exactly). */
  public Stream<C> stream() {
    TableView table = table();
    LongTrie<Object> keys = keys(table);
    return StreamSupport.stream(Spliterators.spliterator(iterator(table, keys), keys.size(),
        Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
  }

  /** Iterates the rows of the state current now, in primary-key order. */
  @Override
  public Iterator<C> iterator() {
    TableView table = table();
    return iterator(table, keys(table));
  }

  private Iterator<C> iterator(TableView table, LongTrie<Object> keys) {
    LongTrie.Cursor cursor = keys.cursor(true);
    return new Iterator<>() {
      private @Nullable C next = advance();

      private @Nullable C advance() {
        return cursor.next() ? type.cast(table.row(cursor.key())) : null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public C next() {
        C out = next;
        if (out == null) {
          throw new NoSuchElementException();
        }
        next = advance();
        return out;
      }
    };
  }

  @Override
  public String toString() {
    return fk.fk().target().name() + "(" + parent + ")." + fk.fk().accessorName() + " (" + count()
        + " rows)";
  }
}
