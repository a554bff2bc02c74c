package io.relstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.OnDelete;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A RelatedSet iterator made inside a transaction, over a child set that this transaction has
 * already written, must survive further writes of the same transaction ("an iterator works on the
 * state current when it was made"; Django evaluates the queryset before the loop body runs).
 *
 * <p>Found while testing LongTrie: TableWriter hands out frozen views of its editors
 * ({@code children}, {@code rows}, {@code lookup}) but keeps editing their nodes in place under the
 * same Edit token, so a cursor over such a view reads nodes that change under it.
 */
class RelatedSetInTransactionTest {
  record P(@Id long id) {
  }

  record C(@Id long id, @ForeignKey(to = P.class, onDelete = OnDelete.CASCADE) long p) {
  }

  Store store;

  @Test
  void iteratingChildrenWhileDeletingAnUnvisitedSiblingInTheSameAtomicBlock() {
    store = Store.builder().add(P.class, C.class).build();
    P parent = store.create(new P(0));
    List<Long> seen = new ArrayList<>();
    store.atomic(() -> {
      for (int i = 0; i < 10; i++) {
        store.create(new C(0, parent.id()));   // the child set is built under this txn's token
      }
      for (Record child : store.related(parent, "c_set")) {
        seen.add(((C) child).id());
        if (((C) child).id() == 2) {
          store.deleteAll(C.class, 5);          // a sibling the iterator has not reached yet
        }
      }
    });
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), seen);
    assertEquals(9, store.count(C.class));
  }
}
