package io.relstore.query;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.SET_NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.Aggregate;
import io.relstore.Q;
import io.relstore.QuerySet;
import io.relstore.Store;
import io.relstore.annotation.Char;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lookups, counts, projections, annotations and aggregates across multi-valued (reverse) and
 * single-valued (forward) relations, on the blog of Django's "Spanning multi-valued relationships"
 * (queries.txt) extended with comments, so that relations can be followed two deep. Expected
 * results are SQL's: one result per join row (LEFT JOIN: a parent without children counts once,
 * with a null child), and unordered results in primary-key order.
 *
 * <pre>
 * Blog   b1 "Beatles Blog", b2 "Pop Music Blog", b3 "Empty Blog" (no entries)
 * Author alice, bob, carl (no entries)
 * Entry  e1 (b1, alice, "New Lennon Biography",              2008-06-01, rating 5)
 *        e2 (b1, bob,   "New Lennon Biography in Paperback", 2009-06-01, rating 3)
 *        e3 (b2, null,  "Best Albums of 2008",               2008-12-15, rating 4)
 *        e4 (b2, alice, "Lennon Would Have Loved Hip Hop",   2020-04-01, rating null)
 * Comment c1 (e1, bob, "great", 3 likes)   c2 (e1, alice, "thanks", 0)
 *         c3 (e3, bob, "meh", 1)           c4 (e4, carl, "great", 7)
 * </pre>
 */
class MultiValuedTest {
  record Blog(@Id long id, @Char(maxLength = 100) String name) {
  }

  record Author(@Id long id, @Char(maxLength = 50) String username) {
  }

  record Entry(@Id long id,
      @ForeignKey(to = Blog.class, onDelete = CASCADE, relatedName = "entries") long blog,
      @ForeignKey(to = Author.class, onDelete = SET_NULL, relatedName = "entries")
      @Nullable Long author,
      @Char(maxLength = 255) String headline, LocalDate pubDate, @Nullable Integer rating) {
  }

  record Comment(@Id long id,
      @ForeignKey(to = Entry.class, onDelete = CASCADE, relatedName = "comments") long entry,
      @ForeignKey(to = Author.class, onDelete = CASCADE, relatedName = "comments") long author,
      @Char(maxLength = 100) String body, int likes) {
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
  Comment c1;
  Comment c2;
  Comment c3;
  Comment c4;

  @BeforeEach
  void blog() {
    store = Store.builder().add(Blog.class, Author.class, Entry.class, Comment.class).build();
    b1 = store.create(new Blog(0, "Beatles Blog"));
    b2 = store.create(new Blog(0, "Pop Music Blog"));
    b3 = store.create(new Blog(0, "Empty Blog"));
    alice = store.create(new Author(0, "alice"));
    bob = store.create(new Author(0, "bob"));
    carl = store.create(new Author(0, "carl"));
    e1 = store.create(new Entry(0, b1.id(), alice.id(), "New Lennon Biography",
        LocalDate.of(2008, 6, 1), 5));
    e2 = store.create(new Entry(0, b1.id(), bob.id(), "New Lennon Biography in Paperback",
        LocalDate.of(2009, 6, 1), 3));
    e3 = store.create(new Entry(0, b2.id(), null, "Best Albums of 2008",
        LocalDate.of(2008, 12, 15), 4));
    e4 = store.create(new Entry(0, b2.id(), alice.id(), "Lennon Would Have Loved Hip Hop",
        LocalDate.of(2020, 4, 1), null));
    c1 = store.create(new Comment(0, e1.id(), bob.id(), "great", 3));
    c2 = store.create(new Comment(0, e1.id(), alice.id(), "thanks", 0));
    c3 = store.create(new Comment(0, e3.id(), bob.id(), "meh", 1));
    c4 = store.create(new Comment(0, e4.id(), carl.id(), "great", 7));
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

  private QuerySet<Comment> comments() {
    return store.objects(Comment.class);
  }

  private static Map<String, @Nullable Object> dict(@Nullable Object... keysAndValues) {
    Map<String, @Nullable Object> out = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      out.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return out;
  }

  private static void assertMultiset(List<?> expected, List<?> actual) {
    assertEquals(counts(expected), counts(actual), "as multisets: " + actual);
  }

  private static Map<Object, Integer> counts(List<?> rows) {
    Map<Object, Integer> out = new HashMap<>();
    for (Object r : rows) {
      out.merge(r, 1, Integer::sum);
    }
    return out;
  }

  // ------------------------------------------------------------------ Django's documented exclude

  /**
   * Django's exists() clears the ordering by force, also on a distinct slice: the multi-valued
   * ordering's join goes with it, so DISTINCT compares the blogs alone (3), while list() of the
   * same slice keeps the ordering columns in DISTINCT (5 rows: b1 twice, b2 twice, b3).
   */
  @Test
  void existsOnADistinctSliceWithAMultiValuedOrdering_ignoresTheOrderingsJoin() {
    QuerySet<Blog> ordered = blogs().orderBy("-entries__rating").distinct();
    assertEquals(5, ordered.list().size());
    assertEquals(2, ordered.offset(3).list().size());
    assertFalse(ordered.offset(3).exists(), "3 distinct blogs: nothing after the third");
    assertTrue(ordered.offset(2).exists());
  }

  @Test
  void excludeWithTwoConditions_dropsBlogsWhereEachHoldsForSomeEntry_notNecessarilyTheSame() {
    Q lennon2008 = Q.of("entries__headline__contains", "Lennon", "entries__pub_date__year", 2008);
    assertEquals(List.of(b1), blogs().filter(lennon2008).list(),
        "filter: one entry must match both");
    assertEquals(List.of(b3), blogs().exclude(lennon2008).list(),
        "exclude: Pop has a Lennon entry and a 2008 entry (different ones) and is excluded too");
    assertEquals(List.of(b3), blogs().exclude("entries__headline__contains", "Lennon")
        .exclude("entries__pub_date__year", 2008).list());
  }

  @Test
  void excludeOfTheEntriesMatchingBoth_dropsOnlyBlogsWithOneSuchEntry() {
    List<Entry> both = entries().filter(Q.of("headline__contains", "Lennon",
        "pub_date__year", 2008)).list();
    assertEquals(List.of(e1), both);
    assertEquals(List.of(b2, b3), blogs().exclude("entries__in", both).list());
  }

  @Test
  void excludeIn_takesAQuerySetAsDjangosDocumentationWritesIt() {
    QuerySet<Entry> both = entries().filter(Q.of("headline__contains", "Lennon",
        "pub_date__year", 2008));
    assertEquals(List.of(b2, b3), blogs().exclude("entries__in", both).list(),
        "Blog.objects.exclude(entry__in=Entry.objects.filter(...)) (queries.txt)");
  }

  // ------------------------------------------------------------------ reverse, two deep

  @Test
  void reverseSpanningTwoDeep_givesOneResultPerMatchingGrandchild() {
    assertEquals(List.of(b1, b2), blogs().filter("entries__comments__body", "great").list());
    assertEquals(List.of(b1, b2, b2), blogs().filter("entries__comments__likes__gte", 1).list());
    assertEquals(List.of(alice), authors().filter("entries__comments__author__username", "bob")
        .list());
    assertEquals(List.of(b1, b1, b2, b2), blogs().filter("entries__comments__isnull", false)
        .list());
  }

  @Test
  void reverseSpanningTwoDeep_oneCallNeedsTheSameGrandchild_chainedCallsDoNot() {
    assertEquals(List.of(b1), blogs().filter(Q.of("entries__comments__body", "great",
        "entries__comments__author__username", "bob")).list());
    assertEquals(List.of(b1, b2), blogs().filter("entries__comments__body", "great")
        .filter("entries__comments__author__username", "bob").list());
    assertEquals(List.of(b1), blogs().filter(Q.of("entries__pub_date__year", 2008,
        "entries__comments__likes__gt", 2)).list(), "the 2008 entry itself needs the comment");
    assertEquals(List.of(b1, b2), blogs().filter("entries__pub_date__year", 2008)
        .filter("entries__comments__likes__gt", 2).list());
  }

  @Test
  void reverseSpanningTwoDeep_isnullCountsAMissingLinkAsNull() {
    assertEquals(List.of(b1, b3), blogs().filter("entries__comments__isnull", true).list(),
        "b1 through e2 (no comments), b3 through no entry at all");
  }

  @Test
  void reverseSpanningTwoDeep_exclude() {
    assertEquals(List.of(b3), blogs().exclude("entries__comments__body", "great").list());
    assertEquals(List.of(b1, b3), blogs().exclude("entries__comments__author__username", "carl")
        .list());
    assertEquals(List.of(bob, carl), authors().exclude("entries__comments__isnull", false)
        .list(), "alice's e1 has comments; bob's only entry has none; carl has no entry");
  }

  // ------------------------------------------------------------------ forward, two deep

  @Test
  void forwardSpanningTwoDeep() {
    assertEquals(List.of(c3, c4), comments().filter("entry__blog__name", "Pop Music Blog")
        .list());
    assertEquals(List.of(c1, c2, c4), comments().filter("entry__author__username", "alice")
        .list());
    assertEquals(List.of(c3), comments().filter("entry__author__isnull", true).list());
    assertEquals(List.of(c3), comments().filter("entry__author__username__isnull", true)
        .list());
    assertEquals(List.of(c3), comments().exclude("entry__author__username", "alice").list(),
        "e3 has no author: a null is kept by exclude");
    assertEquals(List.of(c1, c2, c4, c3), comments().orderBy("entry__blog__name", "-likes")
        .list());
  }

  @Test
  void forwardThenReverse() {
    assertEquals(List.of(c3, c4), comments().filter("entry__blog__entries__headline__startswith",
        "Best").list());
    assertEquals(List.of(c1, c1, c2, c2, c3, c3, c4, c4),
        comments().filter("entry__blog__entries__isnull", false).list(),
        "each blog with comments has two entries");
  }

  // ------------------------------------------------------------------ OR and NOT

  @Test
  void orAcrossARelation_isALeftJoin_aParentWithoutChildrenMatchesThroughTheOtherBranch() {
    assertEquals(List.of(b2, b3), blogs().filter(Q.of("entries__headline__contains", "Hip Hop")
        .or(Q.of("name__startswith", "Empty"))).list());
    assertEquals(List.of(b1, b1, b2), blogs().filter(Q.of("entries__rating__gte", 4)
        .or(Q.of("name", "Beatles Blog"))).list(), "one result per joined entry that passes");
  }

  @Test
  void orOverTwoDifferentRelations_joinsBoth() {
    assertEquals(List.of(alice, bob, carl), authors().filter(
        Q.of("entries__blog__name", "Pop Music Blog").or(Q.of("comments__body", "great")))
        .list(), "carl has no entries and matches through his comment");
  }

  @Test
  void negatedQAcrossARelation_meansNoRelatedRowMatches() {
    assertEquals(List.of(b3), blogs().filter(Q.of("entries__headline__contains", "Lennon")
        .negate()).list());
    assertEquals(List.of(b2, b3), blogs().filter(Q.of("name", "Pop Music Blog")
        .or(Q.of("entries__pub_date__year", 2008).negate())).list());
    assertEquals(List.of(b1, b1), blogs().filter(Q.of("entries__headline__contains", "Lennon")
        .and(Q.of("entries__pub_date__year", 2020).negate())).list(),
        "a Lennon entry (one result each) and no entry from 2020");
    Q both = Q.of("entries__headline__contains", "Lennon", "entries__pub_date__year", 2008);
    assertEquals(blogs().exclude(both).list(), blogs().filter(both.negate()).list());
  }

  @Test
  void negatedQOnANullableForwardPath_keepsTheNull() {
    assertEquals(List.of(c3), comments().filter(Q.of("entry__author__username", "alice")
        .negate()).list());
  }

  // ------------------------------------------------------------------ count and distinct

  @Test
  void countCountsJoinDuplicates_distinctCountDoesNot() {
    QuerySet<Blog> liked = blogs().filter("entries__comments__likes__gte", 1);
    assertEquals(3, liked.count());
    assertEquals(3, liked.list().size());
    assertEquals(2, liked.distinct().count());
    assertEquals(List.of(b1, b2), liked.distinct().list());
    assertTrue(liked.exists());
    QuerySet<Blog> lennon = blogs().filter("entries__headline__contains", "Lennon");
    assertEquals(3, lennon.count());
    assertEquals(2, lennon.distinct().count());
    assertFalse(blogs().filter("entries__comments__likes__gt", 7).exists());
  }

  // ------------------------------------------------------------------ values across relations

  @Test
  void valuesAcrossAForwardRelation() {
    assertEquals(List.of(
            dict("headline", "New Lennon Biography", "author__username", "alice"),
            dict("headline", "New Lennon Biography in Paperback", "author__username", "bob"),
            dict("headline", "Best Albums of 2008", "author__username", null),
            dict("headline", "Lennon Would Have Loved Hip Hop", "author__username", "alice")),
        entries().values("headline", "author__username").dicts());
    assertEquals(List.of("Beatles Blog", "Beatles Blog", "Pop Music Blog", "Pop Music Blog"),
        comments().valuesListFlat("entry__blog__name").flat());
    assertEquals(List.of(List.of(e1.id(), "alice"), List.of(e4.id(), "alice"),
            List.of(e2.id(), "bob"), Arrays.asList(e3.id(), null)),
        entries().orderBy("author__username", "id").valuesList("id", "author__username")
            .tuples());
  }

  @Test
  void valuesWithoutArguments_namesForeignKeysWithIdSuffix() {
    assertEquals(List.of(dict("id", e3.id(), "blog_id", b2.id(), "author_id", null,
            "headline", "Best Albums of 2008", "pubDate", LocalDate.of(2008, 12, 15),
            "rating", 4)),
        entries().filter("pk", e3.id()).values().dicts());
  }

  @Test
  void valuesAcrossAReverseRelation_oneDictPerChild_andANullForAChildlessParent() {
    assertMultiset(List.of(
            dict("name", "Beatles Blog", "entries__headline", "New Lennon Biography"),
            dict("name", "Beatles Blog", "entries__headline",
                "New Lennon Biography in Paperback"),
            dict("name", "Pop Music Blog", "entries__headline", "Best Albums of 2008"),
            dict("name", "Pop Music Blog", "entries__headline",
                "Lennon Would Have Loved Hip Hop"),
            dict("name", "Empty Blog", "entries__headline", null)),
        blogs().values("name", "entries__headline").dicts());
  }

  // ------------------------------------------------------------------ annotate

  @Test
  void annotateCountOfAReverseRelation_filterAndOrderByIt() {
    QuerySet<Author> counted = authors().annotate("n", Aggregate.count("entries"));
    assertEquals(List.of(dict("username", "alice", "n", 2L), dict("username", "bob", "n", 1L),
        dict("username", "carl", "n", 0L)), counted.values("username", "n").dicts());
    assertEquals(List.of(alice, bob), counted.filter("n__gt", 0).list());
    assertEquals(List.of(carl), counted.filter("n", 0).list());
    assertEquals(List.of(alice, carl), counted.exclude("n", 1).list());
    assertEquals(List.of(alice, bob, carl), counted.orderBy("-n").list());
    assertEquals(List.of(carl, bob, alice), counted.orderBy("n").list());
    assertEquals(List.of(bob, alice), counted.filter("n__gte", 1).orderBy("n").list());
    assertEquals(2, counted.filter("n__gte", 1).count());
  }

  @Test
  void annotateCountTwoDeep_withAFilteredCount() {
    QuerySet<Blog> liked = blogs().annotate("liked", Aggregate.count("entries__comments")
        .where(Q.of("entries__comments__likes__gt", 0)));
    assertEquals(List.of(b2, b1, b3), liked.orderBy("-liked").list());
    assertEquals(List.of(dict("name", "Beatles Blog", "liked", 1L),
            dict("name", "Pop Music Blog", "liked", 2L), dict("name", "Empty Blog", "liked", 0L)),
        liked.values("name", "liked").dicts());
    assertEquals(List.of(b1, b2), blogs().annotate("all", Aggregate.count("entries__comments"))
        .filter("all__gte", 2).list());
  }

  @Test
  void annotateAfterAMultiValuedFilter_givesEachRowOnce() {
    List<Blog> rows = blogs().filter("entries__headline__contains", "Lennon")
        .annotate("n", Aggregate.count("entries")).list();
    assertEquals(List.of(b1, b2), rows,
        "Django groups an annotated queryset by the row (GROUP BY blog.id): no join duplicates");
  }

  @Test
  void valuesThenAnnotate_groupsByTheValues() {
    assertMultiset(List.of(dict("author__username", "alice", "n", 2L, "total", 5L),
            dict("author__username", "bob", "n", 1L, "total", 3L),
            dict("author__username", null, "n", 1L, "total", 4L)),
        longs(entries().values("author__username").annotate("n", Aggregate.count("id"))
            .annotate("total", Aggregate.sum("rating")).dicts()));
    assertMultiset(List.of(dict("body", "great", "n", 2L), dict("body", "thanks", "n", 1L),
            dict("body", "meh", "n", 1L)),
        comments().values("body").annotate("n", Aggregate.count("id")).dicts());
    assertEquals(3, entries().values("author__username").annotate("n", Aggregate.count("id"))
        .count());
  }

  @Test
  void valuesThenAnnotate_filterOnTheAggregate() {
    assertMultiset(List.of(dict("name", "Beatles Blog", "n", 2L),
            dict("name", "Pop Music Blog", "n", 2L)),
        blogs().values("name").annotate("n", Aggregate.count("entries")).filter("n__gt", 0)
            .dicts());
  }

  @Test
  void valuesThenAnnotate_orderByTheAggregate() {
    assertEquals(List.of(dict("author__username", "bob", "n", 1L),
            dict("author__username", null, "n", 1L), dict("author__username", "alice", "n", 2L)),
        entries().values("author__username").annotate("n", Aggregate.count("id"))
            .orderBy("n", "author__username").dicts());
    assertEquals(List.of(dict("body", "great", "total", 10L), dict("body", "meh", "total", 1L),
            dict("body", "thanks", "total", 0L)),
        longs(comments().values("body").annotate("total", Aggregate.sum("likes"))
            .orderBy("-total").dicts()));
  }

  @Test
  void valuesThenAnnotate_sliceLimitsTheGroups() {
    QuerySet<Comment> grouped = comments().values("body").annotate("n", Aggregate.count("id"));
    assertEquals(3, grouped.dicts().size());
    assertEquals(2, grouped.limit(2).dicts().size());
    assertEquals(1, grouped.offset(2).dicts().size());
  }

  // ------------------------------------------------------------------ aggregate

  @Test
  void aggregate_countSumAvgMinMax() {
    Map<String, @Nullable Object> r = entries().aggregate(Aggregate.count("id"),
        Aggregate.count("rating"), Aggregate.sum("rating"), Aggregate.avg("rating"),
        Aggregate.min("rating"), Aggregate.max("rating"));
    assertEquals(List.of("id__count", "rating__count", "rating__sum", "rating__avg",
        "rating__min", "rating__max"), new ArrayList<>(r.keySet()));
    assertNumber(4, r.get("id__count"));
    assertNumber(3, r.get("rating__count"));
    assertNumber(12, r.get("rating__sum"));
    assertNumber(4, r.get("rating__avg"));
    assertNumber(3, r.get("rating__min"));
    assertNumber(5, r.get("rating__max"));
    Map<String, @Nullable Object> dates = entries().aggregate(Aggregate.min("pubDate"),
        Aggregate.max("pubDate"));
    assertEquals(LocalDate.of(2008, 6, 1), dates.get("pubDate__min"));
    assertEquals(LocalDate.of(2020, 4, 1), dates.get("pubDate__max"));
  }

  @Test
  void aggregateOverAnEmptyResult_countIsZeroAndTheOthersNull() {
    Map<String, @Nullable Object> r = entries().filter("rating__gt", 100).aggregate(
        Aggregate.count("id"), Aggregate.sum("rating"), Aggregate.avg("rating"),
        Aggregate.min("rating"), Aggregate.max("rating"));
    Map<String, @Nullable Object> expected = new LinkedHashMap<>();
    expected.put("id__count", 0L);
    expected.put("rating__sum", null);
    expected.put("rating__avg", null);
    expected.put("rating__min", null);
    expected.put("rating__max", null);
    assertEquals(expected, r);
    assertNumber(0, entries().none().aggregate(Aggregate.count("id")).get("id__count"));
  }

  @Test
  void aggregateAcrossRelations() {
    assertNumber(4, blogs().aggregate(Aggregate.count("entries")).get("entries__count"));
    assertNumber(2, blogs().aggregate(Aggregate.countDistinct("entries__author"))
        .get("entries__author__count"));
    assertNumber(11, blogs().aggregate(Aggregate.sum("entries__comments__likes"))
        .get("entries__comments__likes__sum"));
    assertNumber(5, blogs().aggregate(Aggregate.max("entries__rating"))
        .get("entries__rating__max"));
    assertNumber(3, blogs().filter("entries__headline__contains", "Lennon")
        .aggregate(Aggregate.count("id")).get("id__count"), "over the joined rows, as SQL");
  }

  @Test
  void sumOfIntegers_hasOneResultTypeWhateverTheNumberOfValues() {
    Object one = entries().filter("pk", e1.id()).aggregate(Aggregate.sum("rating"))
        .get("rating__sum");
    Object two = entries().filter("pk__in", List.of(e1.id(), e2.id()))
        .aggregate(Aggregate.sum("rating")).get("rating__sum");
    assertNumber(5, one);
    assertNumber(8, two);
    assertEquals(two.getClass(), one.getClass(), "Sum(rating) over one row is " + one.getClass()
        .getSimpleName() + ", over two rows " + two.getClass().getSimpleName());
  }

  /** Integral numbers as Long, so that dicts compare by value (Sum's box is checked above). */
  private static List<Map<String, @Nullable Object>> longs(
      List<Map<String, @Nullable Object>> dicts) {
    List<Map<String, @Nullable Object>> out = new ArrayList<>();
    for (Map<String, @Nullable Object> d : dicts) {
      Map<String, @Nullable Object> m = new LinkedHashMap<>();
      d.forEach((k, v) -> m.put(k, v instanceof Integer || v instanceof Short
          ? Long.valueOf(((Number) v).longValue()) : v));
      out.add(m);
    }
    return out;
  }

  private static void assertNumber(double expected, @Nullable Object actual) {
    assertNumber(expected, actual, "");
  }

  private static void assertNumber(double expected, @Nullable Object actual, String message) {
    assertTrue(actual instanceof Number, "a number: " + actual + " " + message);
    assertEquals(expected, ((Number) actual).doubleValue(), 1e-9, message);
  }
}
