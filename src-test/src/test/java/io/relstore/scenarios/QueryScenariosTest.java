package io.relstore.scenarios;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.SET_NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.DeleteResult;
import io.relstore.DoesNotExist;
import io.relstore.MultipleObjectsReturned;
import io.relstore.OrderBy;
import io.relstore.Q;
import io.relstore.QueryError;
import io.relstore.QuerySet;
import io.relstore.Store;
import io.relstore.StoreInvariants;
import io.relstore.annotation.Char;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The query edge cases of scenarios.md §4 (E1–E29) on its BLOG data, and the queryset delete
 * scenarios D57 and D59 of §2.8. Unordered results are compared as multisets, as the spec says.
 */
class QueryScenariosTest {
  record Blog(@Id long id, @Char(maxLength = 100) String name) {
  }

  record Author(@Id long id, @Char(maxLength = 50) String username, @Nullable Integer rating) {
  }

  record Entry(@Id long id,
      @ForeignKey(to = Blog.class, onDelete = CASCADE, relatedName = "entries") long blog,
      @ForeignKey(to = Author.class, onDelete = SET_NULL, relatedName = "entries")
      @Nullable Long author,
      @Char(maxLength = 255) String headline,
      LocalDate pubDate) {
  }

  Store store;
  Blog b1;
  Blog b2;
  Blog b3;
  Author alice;
  Author bob;
  Author carl;
  Entry e1;
  Entry e2;
  Entry e3;
  Entry e4;

  @BeforeEach
  void blogData() {
    store = Store.builder().add(Blog.class, Author.class, Entry.class).build();
    b1 = store.create(new Blog(0, "Beatles Blog"));
    b2 = store.create(new Blog(0, "Pop Blog"));
    b3 = store.create(new Blog(0, "Empty Blog"));
    alice = store.create(new Author(0, "alice", 5));
    bob = store.create(new Author(0, "Bob", null));
    carl = store.create(new Author(0, "carl", 3));
    e1 = store.create(new Entry(0, b1.id(), alice.id(), "New Lennon Biography",
        LocalDate.of(2008, 6, 1)));
    e2 = store.create(new Entry(0, b1.id(), bob.id(), "New Lennon Biography in Paperback",
        LocalDate.of(2009, 6, 1)));
    e3 = store.create(new Entry(0, b2.id(), null, "Best Albums of 2008",
        LocalDate.of(2008, 12, 15)));
    e4 = store.create(new Entry(0, b2.id(), carl.id(), "Lennon Would Have Loved Hip Hop",
        LocalDate.of(2020, 4, 1)));
  }

  private QuerySet<Blog> blogs() {
    return store.objects(Blog.class);
  }

  private QuerySet<Author> authors() {
    return store.objects(Author.class);
  }

  private QuerySet<Entry> entries() {
    return store.objects(Entry.class);
  }

  private static void assertMultiset(List<?> actual, Object... expected) {
    assertEquals(counts(List.of(expected)), counts(actual), "as multisets: " + actual);
  }

  private static Map<Object, Integer> counts(List<?> rows) {
    Map<Object, Integer> out = new HashMap<>();
    rows.forEach(r -> out.merge(r, 1, Integer::sum));
    return out;
  }

  @Test
  void e01_filteringOnANullForeignKey() {
    assertEquals(List.of(e3), entries().filter("author", null).list());
    assertEquals(List.of(e3), entries().filter("author__isnull", true).list());
  }

  @Test
  void e03_isnullAtTheEndOfANullForeignKeyPath() {
    assertMultiset(entries().filter("author__rating__isnull", true).list(), e2, e3);
  }

  @Test
  void e05_oneFilterCallVersusChainedCallsOnAMultiValuedRelation() {
    assertMultiset(blogs().filter(Q.of("entries__headline__contains", "Lennon",
        "entries__pub_date__year", 2008)).list(), b1);
    assertMultiset(blogs().filter("entries__headline__contains", "Lennon")
        .filter("entries__pub_date__year", 2008).list(), b1, b1, b2);
  }

  @Test
  void e07_parentsWithoutChildren() {
    assertMultiset(blogs().exclude("entries__headline__contains", "Lennon").list(), b3);
    assertMultiset(blogs().filter("entries__isnull", true).list(), b3);
  }

  @Test
  void e09_excludeOnANullableScalar() {
    assertMultiset(authors().exclude("rating", 5).list(), bob, carl);
    assertMultiset(authors().filter("rating__lt", 10).list(), alice, carl);
    assertMultiset(authors().exclude("rating__lt", 4).list(), alice, bob);
  }

  @Test
  void e11_noneWithAnOrderingLookup() {
    QueryError e = assertThrows(QueryError.class, () -> authors().filter("rating__gt", null));
    assertTrue(e.getMessage().startsWith("Cannot use None as a query value"), e.getMessage());
    assertEquals(List.of(bob), authors().filter("rating", null).list());
    assertEquals(List.of(bob), authors().filter("rating__iexact", null).list());
  }

  @Test
  void e13_get() {
    DoesNotExist none = assertThrows(DoesNotExist.class,
        () -> blogs().get("name", "No such blog"));
    assertTrue(none.getMessage().startsWith("Blog matching query does not exist."),
        none.getMessage());
    assertTrue(none.getMessage().contains("name='No such blog'"), none.getMessage());
    MultipleObjectsReturned two = assertThrows(MultipleObjectsReturned.class,
        () -> blogs().filter("name__endswith", "Blog").exclude("name", "Empty Blog").get());
    assertTrue(two.getMessage().startsWith("get() returned more than one Blog -- it returned 2!"),
        two.getMessage());
    List<Blog> many = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      many.add(new Blog(0, "bulk " + i));
    }
    store.bulkCreate(many);
    MultipleObjectsReturned lots = assertThrows(MultipleObjectsReturned.class,
        () -> blogs().filter("name__startswith", "bulk").get());
    assertTrue(lots.getMessage().startsWith("get() returned more than one Blog -- it returned"
        + " more than 20!"), lots.getMessage());
    Q lennonBeatles = Q.of("entries__headline__contains", "Lennon", "name", "Beatles Blog");
    MultipleObjectsReturned joined = assertThrows(MultipleObjectsReturned.class,
        () -> blogs().get(lennonBeatles));
    assertTrue(joined.getMessage().contains("it returned 2!"), joined.getMessage());
    assertEquals(b1, blogs().distinct().get(lennonBeatles));
  }

  @Test
  void e15_orderingWithNulls() {
    assertEquals(List.of(carl, alice, bob), authors().orderBy("rating").list(),
        "relstore's documented default: nulls last ascending");
    assertEquals(List.of(bob, alice, carl), authors().orderBy("-rating").list(),
        "and first descending");
    assertEquals(List.of(carl, alice, bob),
        authors().orderBy(OrderBy.asc("rating").nullsLast()).list());
    assertEquals(List.of(bob, carl, alice),
        authors().orderBy(OrderBy.asc("rating").nullsFirst()).list());
    QueryError both = assertThrows(QueryError.class,
        () -> OrderBy.asc("rating").nullsFirst().nullsLast());
    assertTrue(both.getMessage().startsWith("nulls_first and nulls_last are mutually exclusive"));
  }

  @Test
  void e17_orderingByAMultiValuedRelationDuplicatesRows() {
    assertEquals(List.of(b3, b1, b2, b1, b2), blogs().orderBy(OrderBy.asc("entries__pub_date")
        .nullsFirst()).list(), "one row per entry, b3 once with a null key");
    assertEquals(3, blogs().orderBy("entries__pub_date").count(),
        "count() drops the ordering, as Django's COUNT(*) does");
  }

  @Test
  void e19_negativeIndexes() {
    QueryError e = assertThrows(QueryError.class, () -> blogs().limit(-1));
    assertEquals("Negative indexing is not supported.", e.getMessage());
    assertThrows(QueryError.class, () -> blogs().offset(-2));
    assertEquals(List.of(b3, b2), blogs().reverse().limit(2).list(), "the last two: reverse()[:2]");
  }

  @Test
  void e21_formsAnForeignKeyValueCanTake() {
    List<Entry> byInstance = entries().filter("author", alice).list();
    assertEquals(List.of(e1), byInstance);
    assertEquals(byInstance, entries().filter("author", alice.id()).list());
    assertEquals(byInstance, entries().filter("author__pk", alice.id()).list());
    assertEquals(byInstance, entries().filter("author__id", alice.id()).list());
    assertMultiset(entries().filter("author__in", List.of(alice, carl.id())).list(), e1, e4);
    QueryError wrong = assertThrows(QueryError.class, () -> entries().filter("author", b1));
    assertTrue(wrong.getMessage().startsWith("Cannot query \"Blog\": Must be \"Author\" instance"),
        wrong.getMessage());
    assertEquals(List.of(b1), blogs().filter("entries", e1).list());
  }

  @Test
  void e23_countAndExistsOverDuplicates() {
    QuerySet<Blog> chained = blogs().filter("entries__headline__contains", "Lennon")
        .filter("entries__pub_date__year", 2008);
    assertEquals(3, chained.count());
    assertTrue(chained.exists());
    assertEquals(2, chained.distinct().count());
  }

  @Test
  void e25_regexIsASearchNotAFullMatch() {
    assertMultiset(entries().filter("headline__regex", "Lennon").list(), e1, e2, e4);
    assertMultiset(entries().filter("headline__iregex", "^new").list(), e1, e2);
  }

  @Test
  void e27_rangeIsInclusive() {
    assertMultiset(entries().filter("pub_date__range",
        List.of(LocalDate.of(2008, 1, 1), LocalDate.of(2008, 12, 15))).list(), e1, e3);
  }

  @Test
  void e29_orVersusIntersection() {
    assertMultiset(entries().filter(Q.of("pub_date__year", 2009).or(Q.of("author__isnull", true)))
        .list(), e2, e3);
    List<Entry> ab = entries().filter("pub_date__year", 2008).filter("author__isnull", true)
        .list();
    List<Entry> ba = entries().filter("author__isnull", true).filter("pub_date__year", 2008)
        .list();
    assertEquals(ab, ba);
    assertEquals(List.of(e3), ab);
  }

  @Test
  void d57_querysetWithJoinDuplicates() {
    QuerySet<Blog> qs = blogs().filter("entries__headline__startswith", "New");
    assertEquals(2, qs.count(), "duplicates");
    assertEquals(1, qs.distinct().count());
    DeleteResult r = qs.delete();
    assertEquals(3, r.total());
    assertEquals(Map.of("Entry", 2, "Blog", 1), r.counts());
    assertEquals(List.of(b2, b3), blogs().list());
    assertEquals(List.of(e3, e4), entries().list());
  }

  @Test
  void d59_querysetMisuseChangesNothing() {
    QueryError sliced = assertThrows(QueryError.class, () -> blogs().slice(0, 5).delete());
    assertEquals("Cannot use 'limit' or 'offset' with delete().", sliced.getMessage());
    QueryError values = assertThrows(QueryError.class, () -> blogs().values().delete());
    assertEquals("Cannot call delete() after .values() or .values_list()", values.getMessage());
    assertThrows(QueryError.class, () -> blogs().valuesList("name").delete());
    QueryError distinct = assertThrows(QueryError.class, () -> blogs().distinct("id").delete());
    assertEquals("Cannot call delete() after .distinct(*fields).", distinct.getMessage());
    assertEquals(3, blogs().count());
    assertEquals(4, entries().count());
    StoreInvariants.check(store);
  }
}
