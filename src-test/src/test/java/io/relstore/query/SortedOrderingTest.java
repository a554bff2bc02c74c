package io.relstore.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.OrderBy;
import io.relstore.QuerySet;
import io.relstore.Store;
import io.relstore.annotation.Char;
import io.relstore.annotation.Id;
import io.relstore.annotation.Indexed;
import io.relstore.testing.InvariantsExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The same rows in a model with sorted indexes and in one without: every ordering, range and
 * slice gives the same sequence whichever strategy the planner picks (index walk, range driver,
 * top-k heap or full sort).
 */
class SortedOrderingTest {
  record Plain(@Id long id, @Nullable Integer score, @Char(maxLength = 20) String name) {
  }

  record Sorted(@Id long id, @Indexed(sorted = true) @Nullable Integer score,
      @Indexed(sorted = true) @Char(maxLength = 20) String name) {
  }

  @Test
  void indexedAndUnindexedModelsAnswerAlike() {
    Store store = InvariantsExtension.track(
        Store.builder().add(Plain.class, Sorted.class).build());
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 600; i++) {
      Integer score = random.nextInt(8) == 0 ? null : random.nextInt(50);
      String name = "n" + random.nextInt(100);
      store.create(new Plain(0, score, name));
      store.create(new Sorted(0, score, name));
    }
    List<Function<QuerySet<?>, QuerySet<?>>> queries = new ArrayList<>();
    queries.add(q -> q.orderBy("score"));
    queries.add(q -> q.orderBy("-score"));
    queries.add(q -> q.orderBy("score").limit(10));
    queries.add(q -> q.orderBy("-score").slice(5, 25));
    queries.add(q -> q.orderBy(OrderBy.asc("score").nullsFirst()).limit(70));
    queries.add(q -> q.orderBy(OrderBy.desc("score").nullsLast()).limit(70));
    queries.add(q -> q.orderBy("name").limit(3));
    queries.add(q -> q.filter("score__gte", 10).filter("score__lt", 20).orderBy("name"));
    queries.add(q -> q.filter("score__range", List.of(5, 6)));
    queries.add(q -> q.filter("name__gt", "n50").orderBy("-score", "name").limit(40));
    queries.add(q -> q.filter("score", 7).orderBy("-name"));
    for (Function<QuerySet<?>, QuerySet<?>> query : queries) {
      QuerySet<?> plain = query.apply(store.objects(Plain.class));
      QuerySet<?> sorted = query.apply(store.objects(Sorted.class));
      assertEquals(ids(plain.list()), ids(sorted.list()), sorted.explain());
      assertEquals(plain.count(), sorted.count());
    }
    assertTrue(store.objects(Sorted.class).orderBy("score").limit(5).explain()
        .contains("sorted index on score"), "an index walk serves orderBy(indexed)[:k]");
    assertTrue(store.objects(Sorted.class).filter("score__range", List.of(5, 6)).explain()
        .contains("driver: sorted index on Sorted.score range"));
  }

  private static List<Long> ids(List<?> rows) {
    List<Long> out = new ArrayList<>();
    for (Object r : rows) {
      out.add(r instanceof Plain p ? p.id() : ((Sorted) r).id());
    }
    return out;
  }
}
