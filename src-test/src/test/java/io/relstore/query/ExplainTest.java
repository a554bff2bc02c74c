package io.relstore.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.Aggregate;
import io.relstore.DoesNotExist;
import io.relstore.OrderBy;
import io.relstore.Q;
import io.relstore.QueryError;
import io.relstore.QuerySet;
import io.relstore.Store;
import io.relstore.annotation.Char;
import io.relstore.annotation.Id;
import io.relstore.annotation.Indexed;
import io.relstore.blog.Category;
import io.relstore.blog.Comment;
import io.relstore.blog.Post;
import io.relstore.blog.User;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code explain()} says the planner chose, for every kind of driver; that {@code count()}
 * (answered from an index when it can) agrees with {@code list()}; and the row-picking terminals
 * and modifiers: {@code first/last/exists/get}, slicing and {@code reverse()}.
 *
 * <pre>
 * User     u0..u19 ("user00".."user19")
 * Category news, tech, misc
 * Post     p1 T1 u0 news   p2 T2 u0 -      p3 T3 u0 tech   p4 T4 u1 tech
 *          p5 T5 u1 -      p6 T6 u2 misc   p7 T7 u3 news   p8 T8 u3 -
 * Comment  k1 p1 u1 "a"  k2 p1 u2 "b"  k3 p3 u0 "a"  k4 p7 u0 "c"
 * Item     i1..i30: sku "S01".."S30" (null for every tenth), color by builder index cycling
 *          red green blue black white, price (hash index) cycling 1.5, 1.50, 2, null
 * </pre>
 */
class ExplainTest {
  record Item(@Id long id, @Indexed @Char(maxLength = 10) @Nullable String sku,
      @Char(maxLength = 10) String color, @Nullable BigDecimal price, double weight) {
  }

  private static final List<String> COLORS = List.of("red", "green", "blue", "black", "white");
  private static final List<@Nullable BigDecimal> PRICES = Arrays.asList(new BigDecimal("1.5"),
      new BigDecimal("1.50"), new BigDecimal("2"), null);

  Store store;
  List<User> users = new ArrayList<>();
  Category news;
  Category tech;
  Category misc;
  Post p1;
  Post p2;
  Post p3;
  Post p4;
  Post p5;
  Post p6;
  Post p7;
  Post p8;
  Comment k1;

  @BeforeEach
  void data() {
    store = Store.builder().add(User.class, Category.class, Post.class, Comment.class)
        .add(Item.class, m -> m.index("color").index("price").index("weight")).build();
    for (int i = 0; i < 20; i++) {
      users.add(store.create(new User(0, String.format("user%02d", i))));
    }
    news = store.create(new Category(0, "News", "news"));
    tech = store.create(new Category(0, "Tech", "tech"));
    misc = store.create(new Category(0, "Misc", "misc"));
    p1 = post("T1", 0, news);
    p2 = post("T2", 0, null);
    p3 = post("T3", 0, tech);
    p4 = post("T4", 1, tech);
    p5 = post("T5", 1, null);
    p6 = post("T6", 2, misc);
    p7 = post("T7", 3, news);
    p8 = post("T8", 3, null);
    k1 = store.create(new Comment(0, p1.id(), users.get(1).id(), "a"));
    store.create(new Comment(0, p1.id(), users.get(2).id(), "b"));
    store.create(new Comment(0, p3.id(), users.get(0).id(), "a"));
    store.create(new Comment(0, p7.id(), users.get(0).id(), "c"));
    List<Item> items = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      items.add(new Item(0, i % 10 == 0 ? null : String.format("S%02d", i),
          COLORS.get(i % COLORS.size()), PRICES.get(i % PRICES.size()), i));
    }
    store.bulkCreate(items);
  }

  private Post post(String title, int user, @Nullable Category category) {
    return store.create(new Post(0, title, "", users.get(user).id(),
        category == null ? null : category.id(), null));
  }

  private User u(int i) {
    return users.get(i);
  }

  private QuerySet<Post> posts() {
    return store.objects(Post.class);
  }

  private QuerySet<Item> items() {
    return store.objects(Item.class);
  }

  /** The driver line of explain(), without its "driver: " label. */
  private static String driver(QuerySet<?> qs) {
    String plan = qs.explain();
    for (String line : plan.split("\n")) {
      if (line.startsWith("  driver: ")) {
        return line.substring("  driver: ".length());
      }
    }
    throw new AssertionError("explain() has no driver line:\n" + plan);
  }

  private static void assertDriver(String expectedStart, QuerySet<?> qs) {
    String d = driver(qs);
    assertTrue(d.startsWith(expectedStart), "driver should start with '" + expectedStart
        + "' but is '" + d + "'\n" + qs.explain());
  }

  // ------------------------------------------------------------------ explain: the driver

  @Test
  void explain_primaryKey() {
    assertDriver("primary key Post.id exact [" + p3.id() + "]", posts().filter("pk", p3.id()));
    assertDriver("primary key Post.id in [", posts().filter("id__in",
        List.of(p1.id(), p3.id())));
    assertEquals(List.of(p3), posts().filter("pk", p3.id()).list());
  }

  @Test
  void explain_foreignKeyReverseIndex() {
    QuerySet<Post> byAuthor = posts().filter("author", u(1));
    assertDriver("reverse index of Post.author exact [" + u(1).id() + "]", byAuthor);
    assertTrue(byAuthor.explain().contains("(estimated 2 rows)"), byAuthor.explain());
    assertDriver("reverse index of Post.category in [", posts().filter("category__in",
        List.of(misc, news)));
  }

  @Test
  void explain_uniqueIndex() {
    assertDriver("unique index on User.username exact [user05]",
        store.objects(User.class).filter("username", "user05"));
    assertDriver("unique index on Category.slug exact [tech]",
        store.objects(Category.class).filter("slug", "tech"));
  }

  @Test
  void explain_hashIndexFromTheAnnotationAndFromTheBuilder() {
    assertDriver("hash index on Item.sku exact [S07]", items().filter("sku", "S07"));
    assertDriver("hash index on Item.sku isnull True", items().filter("sku__isnull", true));
    assertDriver("hash index on Item.color exact [red]", items().filter("color", "red"));
    assertDriver("hash index on Item.color in [", items().filter("color__in",
        List.of("red", "blue")));
  }

  @Test
  void explain_relationSpanningIsSetWiseAndJoinedBack() {
    assertDriver("unique index on User.username exact [user01], joined back to Post through"
        + " [author]", posts().filter("author__username", "user01"));
    assertDriver("scan of Post for posts__title='T3', joined back to User through [posts]",
        store.objects(User.class).filter("posts__title", "T3"));
    assertDriver("primary key Comment.id exact [" + k1.id() + "], joined back to User through"
        + " [posts, comments]", store.objects(User.class).filter("posts__comments", k1));
    assertEquals(List.of(u(0)), store.objects(User.class).filter("posts__comments", k1).list());
  }

  @Test
  void explain_fullScanWhenNothingIsIndexable() {
    assertDriver("full scan of Post", posts().filter("title__contains", "T"));
    assertDriver("full scan of Post", posts().exclude("pk", p1.id()));
    assertDriver("full scan of Post", posts().filter(Q.of("pk", p1.id()).or(Q.of("pk",
        p2.id()))));
    assertDriver("full scan of Item", items().filter("color__iexact", "RED"));
  }

  @Test
  void explain_javaPredicatesAreShownUnindexed() {
    QuerySet<Post> qs = posts().filter(Q.where((Post p) -> p.title().endsWith("3"),
        "title ends with 3"));
    assertTrue(qs.explain().contains("where(title ends with 3) [unindexed]"), qs.explain());
    assertDriver("full scan of Post", qs);
    assertEquals(List.of(p3), qs.list());
    QuerySet<Post> plain = posts().filter((Post p) -> p.id() > 6);
    assertTrue(plain.explain().contains("[unindexed]"), plain.explain());
    assertEquals(List.of(p7, p8), plain.list());
    assertDriver("reverse index of Post.author", posts().filter("author", u(0))
        .filter((Post p) -> true));
  }

  @Test
  void explain_theSmallestCandidateSetDrives() {
    assertDriver("primary key Post.id", posts().filter("author", u(0)).filter("pk", p2.id()));
    assertDriver("reverse index of Post.author exact [" + u(2).id() + "]",
        posts().filter(Q.of("category", tech, "author", u(2))));
    assertDriver("reverse index of Post.category exact [" + misc.id() + "]",
        posts().filter(Q.of("author", u(0), "category", misc)));
  }

  @Test
  void explain_noRowCanMatch() {
    assertDriver("none()", posts().none());
    assertEquals(0, posts().none().count());
    String empty = driver(posts().filter("pk__in", List.of()));
    assertTrue(empty.contains("(estimated 0 rows)"), empty);
  }

  @Test
  void explain_reportsTheSortStrategy() {
    assertTrue(posts().explain().contains("sort: primary-key order (streamed"), posts().explain());
    assertTrue(posts().orderBy("title").explain().contains("sort: by title (full sort)"));
    assertTrue(posts().orderBy("-title").limit(1).explain().contains("top-1"));
  }

  // ------------------------------------------------------------------ count from an index

  @Test
  void countOfAnIndexedEquality_equalsTheNumberOfRowsListed() {
    for (User user : users) {
      QuerySet<Post> qs = posts().filter("author", user);
      assertEquals(qs.list().size(), qs.count(), "posts of " + user);
      QuerySet<Post> byId = posts().filter("author_id", user.id());
      assertEquals(byId.list().size(), byId.count(), "posts of author_id " + user.id());
    }
    for (Category c : List.of(news, tech, misc)) {
      QuerySet<Post> qs = posts().filter("category", c);
      assertEquals(qs.list().size(), qs.count(), "posts in " + c);
    }
    List<Object> values = new ArrayList<>(COLORS);
    values.add("purple");
    for (Object color : values) {
      QuerySet<Item> qs = items().filter("color", color);
      assertEquals(qs.list().size(), qs.count(), "items of color " + color);
    }
    for (int i = 0; i <= 31; i++) {
      QuerySet<Item> qs = items().filter("sku", String.format("S%02d", i));
      assertEquals(qs.list().size(), qs.count(), "items of sku S" + i);
    }
    for (String price : List.of("1.5", "1.50", "1.500", "2", "2.0", "3")) {
      QuerySet<Item> qs = items().filter("price", new BigDecimal(price));
      assertEquals(qs.list().size(), qs.count(), "items priced " + price);
    }
    assertEquals(15, items().filter("price", new BigDecimal("1.5")).count(),
        "1.5 (i = 4, 8 .. 28) and 1.50 (i = 1, 5 .. 29) are one value");
    assertEquals(3, posts().filter("author", u(0)).count());
    assertEquals(0, posts().filter("author", u(19)).count());
    assertEquals(1, store.objects(User.class).filter("username", "user07").count());
  }

  /**
   * A field with a sorted index has no hash index beside it: the sorted index answers exact, in
   * and isnull too, and its counts (rank differences) equal the rows listed, numeric equals
   * (1.5 and 1.50, 0.0 and -0.0) meeting as in the hash index.
   */
  @Test
  void explain_sortedIndexAnswersExactInAndIsnull_withCountsEqualToTheRowsListed() {
    Store sorted = Store.builder()
        .add(Item.class, m -> m.sortedIndex("price").sortedIndex("weight")).build();
    List<Item> rows = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      rows.add(new Item(0, null, "red", PRICES.get(i % PRICES.size()),
          i % 3 == 0 ? 0.0 : i % 3 == 1 ? -0.0 : i));
    }
    sorted.bulkCreate(rows);
    QuerySet<Item> all = sorted.objects(Item.class);
    QuerySet<Item> exact = all.filter("price", new BigDecimal("1.50"));
    QuerySet<Item> in = all.filter("price__in", List.of(new BigDecimal("2"), new BigDecimal("1.5")));
    QuerySet<Item> isnull = all.filter("price__isnull", true);
    QuerySet<Item> zero = all.filter("weight", 0.0);
    assertDriver("sorted index on Item.price exact 1.50", exact);
    assertDriver("sorted index on Item.price in [", in);
    assertDriver("sorted index on Item.price isnull True", isnull);
    assertDriver("sorted index on Item.weight exact", zero);
    assertEquals(15, exact.list().size(), "1.5 (i = 4, 8 .. 28) and 1.50 (i = 1, 5 .. 29)");
    assertEquals(23, in.list().size(), "8 of 2 and 15 of 1.5");
    assertEquals(7, isnull.list().size());
    assertEquals(20, zero.list().size(), "-0.0 equals 0.0");
    for (QuerySet<Item> q : List.of(exact, in, isnull, zero)) {
      assertEquals(q.list().size(), q.count(), q.explain());
    }
  }

  @Test
  void countOfAnIndexedEquality_onDoublesWithNegativeZero_equalsTheNumberOfRowsListed() {
    store.bulkCreate(List.of(new Item(0, "Z1", "red", null, 0.0),
        new Item(0, "Z2", "red", null, -0.0)));
    QuerySet<Item> zero = items().filter("weight", 0.0);
    assertEquals(zero.list().size(), zero.count(), "index says " + zero.count() + ", rows listed "
        + zero.list());
  }

  /**
   * Django's count() drops the ordering (COUNT(*) without ORDER BY), so an ordering that repeats
   * rows in list() does not change count(); the count is that of the unordered QuerySet.
   */
  @Test
  void countOfAnIndexedEquality_withAnOrderingThatRepeatsRows_ignoresTheOrderingAsDjangoDoes() {
    QuerySet<Post> unordered = posts().filter("author", u(0));
    QuerySet<Post> qs = unordered.orderBy("comments__body");
    assertEquals(unordered.list().size(), qs.count(), "list: " + qs.list());
    assertTrue(qs.list().size() > qs.count(), "the ordering does repeat rows in list()");
    QuerySet<Post> scanned = posts().filter("title__startswith", "T");
    assertEquals(scanned.list().size(), scanned.orderBy("comments__body").count());
  }

  @Test
  void countOfAnIndexedEquality_afterValuesAnnotate_countsTheGroups() {
    QuerySet<Post> grouped = posts().filter("author", u(0)).values("content")
        .annotate("n", Aggregate.count("id"));
    assertEquals(1, grouped.dicts().size(), "u0's three posts share one (empty) content");
    assertEquals(grouped.dicts().size(), grouped.count(), "groups: " + grouped.dicts());
  }

  // ------------------------------------------------------------------ first, last, exists, get

  @Test
  void firstAndLast_byKeyWhenUnordered_byTheOrderingOtherwise() {
    assertEquals(p1, posts().first());
    assertEquals(p8, posts().last());
    assertEquals(p4, posts().filter("author", u(1)).first());
    assertEquals(p5, posts().filter("author", u(1)).last());
    assertEquals(p8, posts().orderBy("-title").first());
    assertEquals(p1, posts().orderBy("-title").last());
    assertEquals(Optional.of(p1), posts().findFirst());
  }

  @Test
  void firstAndLast_onAnEmptyResult_areNull() {
    assertNull(posts().filter("title", "nope").first());
    assertNull(posts().filter("title", "nope").last());
    assertNull(posts().none().first());
    assertEquals(Optional.empty(), posts().filter("title", "nope").findFirst());
  }

  @Test
  void last_isTheLastRowOfTheOrdering_nullsIncluded() {
    for (OrderBy key : List.of(OrderBy.asc("category"), OrderBy.desc("category"),
        OrderBy.asc("category").nullsFirst(), OrderBy.desc("category").nullsLast())) {
      List<Post> all = posts().orderBy(key, OrderBy.asc("id")).list();
      assertEquals(all.get(all.size() - 1), posts().orderBy(key, OrderBy.asc("id")).last(),
          "last() of " + key);
      assertEquals(all.get(0), posts().orderBy(key, OrderBy.asc("id")).first(),
          "first() of " + key);
    }
  }

  @Test
  void exists() {
    assertTrue(posts().exists());
    assertTrue(posts().filter("author", u(3)).exists());
    assertFalse(posts().filter("author", u(4)).exists());
    assertFalse(posts().none().exists());
    assertFalse(posts().offset(8).exists());
    assertTrue(posts().offset(7).exists());
    assertFalse(posts().limit(0).exists());
    assertTrue(store.objects(User.class).filter("posts__comments__body", "a").exists());
  }

  @Test
  void get_exactlyOneRow() {
    assertEquals(p6, posts().get("author", u(2)));
    assertEquals(p3, posts().filter("author", u(0)).get(Q.of("category", tech)));
    assertEquals(p2, posts().orderBy("id").slice(1, 2).get());
    assertThrows(DoesNotExist.class, () -> posts().none().get());
    assertThrows(DoesNotExist.class, () -> posts().get("author", u(4)));
  }

  @Test
  void contains() {
    assertTrue(posts().filter("author", u(0)).contains(p2));
    assertFalse(posts().filter("author", u(0)).contains(p4));
  }

  // ------------------------------------------------------------------ slicing

  @Test
  void slicing_offsetLimitAndSlice() {
    assertEquals(List.of(p1, p2, p3), posts().limit(3).list());
    assertEquals(List.of(p7, p8), posts().offset(6).list());
    assertEquals(List.of(p3, p4, p5), posts().slice(2, 5).list());
    assertEquals(List.of(p3, p4), posts().offset(2).limit(2).list());
    assertEquals(List.of(p3, p4), posts().limit(4).offset(2).list());
    assertEquals(List.of(p4, p5), posts().slice(2, 10).slice(1, 3).list(), "a slice of a slice");
    assertEquals(List.of(p8, p7), posts().orderBy("-id").slice(0, 2).list());
    assertEquals(List.of(), posts().limit(0).list());
    assertEquals(List.of(), posts().offset(100).list());
    assertEquals(List.of(), posts().slice(5, 2).list());
    assertEquals(2, posts().slice(2, 4).count());
  }

  @Test
  void slicing_countsJoinDuplicatesAsRows() {
    assertEquals(List.of(u(0), u(0)), store.objects(User.class)
        .filter("posts__title__startswith", "T").limit(2).list());
  }

  /**
   * Django refuses to filter, reorder or reverse a sliced QuerySet; relstore may refuse too
   * (QueryError) or apply the operation to the rows of the slice, but must not silently apply it
   * to the whole table first.
   */
  private static void assertRefusedOrAppliedToTheSlice(List<Post> ofTheSlice,
      Supplier<List<Post>> operation) {
    List<Post> got;
    try {
      got = operation.get();
    } catch (QueryError refused) {
      return;
    }
    assertEquals(ofTheSlice, got, "applied to the whole table before slicing");
  }

  @Test
  void filterAfterASlice_isRefusedOrAppliesToTheSlice() {
    assertRefusedOrAppliedToTheSlice(List.of(),
        () -> posts().limit(2).filter("author", u(1)).list());
  }

  @Test
  void orderByAfterASlice_isRefusedOrSortsTheSlice() {
    assertRefusedOrAppliedToTheSlice(List.of(p2, p1),
        () -> posts().limit(2).orderBy("-id").list());
  }

  @Test
  void reverseAfterASlice_isRefusedOrReversesTheSlice() {
    assertRefusedOrAppliedToTheSlice(List.of(p2, p1), () -> posts().orderBy("id").limit(2)
        .reverse().list());
  }

  @Test
  void lastOfASlice_isRefusedOrTheSlicesLastRow() {
    assertRefusedOrAppliedToTheSlice(List.of(p3), () -> Collections.singletonList(
        posts().orderBy("id").limit(3).last()));
  }

  // ------------------------------------------------------------------ reverse

  @Test
  void reverse_flipsTheOrdering() {
    assertEquals(List.of(p8, p7, p6, p5, p4, p3, p2, p1), posts().reverse().list());
    assertEquals(posts().list(), posts().reverse().reverse().list());
    assertEquals(List.of(p1, p2, p3), posts().orderBy("-title").reverse().limit(3).list());
    for (OrderBy key : List.of(OrderBy.asc("category"), OrderBy.asc("category").nullsFirst(),
        OrderBy.desc("category").nullsLast())) {
      List<Post> forward = new ArrayList<>(posts().orderBy(key, OrderBy.asc("id")).list());
      Collections.reverse(forward);
      assertEquals(forward, posts().orderBy(key, OrderBy.asc("id")).reverse().list(),
          "reverse() of " + key);
    }
  }
}
