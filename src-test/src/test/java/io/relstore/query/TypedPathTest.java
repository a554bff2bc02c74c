package io.relstore.query;

import static io.relstore.annotation.OnDelete.CASCADE;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.relstore.Q;
import io.relstore.QuerySet;
import io.relstore.Store;
import io.relstore.annotation.Char;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.blog.Category;
import io.relstore.blog.Category_;
import io.relstore.blog.Comment;
import io.relstore.blog.Comment_;
import io.relstore.blog.Post;
import io.relstore.blog.Post_;
import io.relstore.blog.User;
import io.relstore.blog.User_;
import io.relstore.testing.InvariantsExtension;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The typed metamodel form of a query ({@code Post_.author.then(User_.username).eq("alice")})
 * against the string form a Django user writes ({@code filter("author__username", "alice")}): the
 * same rows, and the same {@code explain()}, which is how relstore documents that both forms
 * "compile to the same plan" (Path's javadoc). Each test names the expected rows as well, so a
 * form that is wrong in the same way as the other still fails.
 *
 * <pre>
 * User     alice, bob, carol, dave (no posts)
 * Category news, tech
 * Post     p1 "Hello world"  alice news 2023-05-01T10:00Z (Mon)
 *          p2 "hello again"  alice -    2024-01-07T08:30Z (Sun)
 *          p3 "About tech"   bob   tech 2024-03-15T12:00Z (Fri)
 *          p4 "a short note" bob   tech 2024-12-31T23:00Z (Tue)
 *          p5 "Zebra"        carol -    2022-02-02T02:02Z (Wed)
 * Comment  k1 (p1, bob, "nice post")  k2 (p1, carol, "Nice!")  k3 (p3, alice, "meh")
 *          k4 (p4, alice, "nice")
 * </pre>
 */
class TypedPathTest {

  /** A clock the test moves between creates, so that {@code @AutoNowAdd} values differ. */
  static final class MovableClock extends Clock {
    private Instant now = Instant.EPOCH;

    void set(String instant) {
      now = Instant.parse(instant);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("fixed to UTC");
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** Shelves and books, whose foreign key has no relatedName: Django's default names apply. */
  record Shelf(@Id long id, @Char(maxLength = 20) String name) {
  }

  record Book(@Id long id,
      @ForeignKey(to = Shelf.class, onDelete = CASCADE) long shelf,
      @Char(maxLength = 50) String title) {
  }

  Store store;
  User alice;
  User bob;
  User carol;
  User dave;
  Category news;
  Category tech;
  Post p1;
  Post p2;
  Post p3;
  Post p4;
  Post p5;
  Comment k1;
  Comment k2;
  Comment k3;
  Comment k4;

  @BeforeEach
  void blog() {
    MovableClock clock = new MovableClock();
    store = Store.builder().add(User.class, Category.class, Post.class, Comment.class)
        .clock(clock).build();
    alice = store.create(new User(0, "alice"));
    bob = store.create(new User(0, "bob"));
    carol = store.create(new User(0, "carol"));
    dave = store.create(new User(0, "dave"));
    news = store.create(new Category(0, "News", "news"));
    tech = store.create(new Category(0, "Tech", "tech"));
    clock.set("2023-05-01T10:00:00Z");
    p1 = store.create(new Post(0, "Hello world", "", alice.id(), news.id(), null));
    clock.set("2024-01-07T08:30:00Z");
    p2 = store.create(new Post(0, "hello again", "", alice.id(), null, null));
    clock.set("2024-03-15T12:00:00Z");
    p3 = store.create(new Post(0, "About tech", "", bob.id(), tech.id(), null));
    clock.set("2024-12-31T23:00:00Z");
    p4 = store.create(new Post(0, "a short note", "", bob.id(), tech.id(), null));
    clock.set("2022-02-02T02:02:00Z");
    p5 = store.create(new Post(0, "Zebra", "", carol.id(), null, null));
    k1 = store.create(new Comment(0, p1.id(), bob.id(), "nice post"));
    k2 = store.create(new Comment(0, p1.id(), carol.id(), "Nice!"));
    k3 = store.create(new Comment(0, p3.id(), alice.id(), "meh"));
    k4 = store.create(new Comment(0, p4.id(), alice.id(), "nice"));
  }

  private QuerySet<Post> posts() {
    return store.objects(Post.class);
  }

  private QuerySet<User> users() {
    return store.objects(User.class);
  }

  /** Both forms give {@code expected} and explain themselves identically. */
  private static <T extends Record> void assertSameQuery(List<T> expected, QuerySet<T> typed,
      QuerySet<T> string) {
    assertAll(
        () -> assertEquals(expected, string.list(), "string form"),
        () -> assertEquals(expected, typed.list(), "typed form"),
        () -> assertEquals(string.explain(), typed.explain(), "explain(), string vs typed"));
  }

  @Test
  void forwardPathEquality() {
    assertSameQuery(List.of(p1, p2),
        posts().filter(Post_.author.then(User_.username).eq("alice")),
        posts().filter("author__username", "alice"));
  }

  @Test
  void caseInsensitiveContains() {
    assertSameQuery(List.of(p1, p2),
        posts().filter(Post_.title.icontains("hello")),
        posts().filter("title__icontains", "hello"));
  }

  @Test
  void transformChainedWithALookup() {
    assertSameQuery(List.of(p2, p3, p4),
        posts().filter(Post_.createdAt.year().gte(2024)),
        posts().filter("createdAt__year__gte", 2024));
  }

  @Test
  void weekDayTransform() {
    assertSameQuery(List.of(p2),
        posts().filter(Post_.createdAt.weekDay().eq(1)),
        posts().filter("createdAt__week_day", 1));
  }

  @Test
  void dateTransformWithAnOrderingLookup() {
    assertSameQuery(List.of(p3, p4),
        posts().filter(Post_.createdAt.date().gte(LocalDate.of(2024, 3, 15))),
        posts().filter("createdAt__date__gte", LocalDate.of(2024, 3, 15)));
  }

  @Test
  void reverseRelationWithStartsWith() {
    assertSameQuery(List.of(bob),
        users().filter(User_.posts.then(Post_.title).startsWith("a")),
        users().filter("posts__title__startswith", "a"));
  }

  @Test
  void foreignKeyIsARow() {
    assertSameQuery(List.of(p1, p2),
        posts().filter(Post_.author.is(alice)),
        posts().filter("author", alice));
  }

  @Test
  void nullableForeignKeyIsNull() {
    assertSameQuery(List.of(p2, p5),
        posts().filter(Post_.category.isNull(true)),
        posts().filter("category__isnull", true));
  }

  @Test
  void inList() {
    assertSameQuery(List.of(p3, p5),
        posts().filter(Post_.title.in(List.of("Zebra", "About tech"))),
        posts().filter("title__in", List.of("Zebra", "About tech")));
  }

  @Test
  void rangeOfInstants() {
    Instant from = Instant.parse("2023-05-01T10:00:00Z");
    Instant to = Instant.parse("2024-03-15T12:00:00Z");
    assertSameQuery(List.of(p1, p2, p3),
        posts().filter(Post_.createdAt.range(from, to)),
        posts().filter("createdAt__range", List.of(from, to)));
  }

  @Test
  void forwardPathTwoDeep() {
    assertSameQuery(List.of(k3, k4),
        store.objects(Comment.class).filter(Comment_.post.then(Post_.author)
            .then(User_.username).eq("bob")),
        store.objects(Comment.class).filter("post__author__username", "bob"));
  }

  @Test
  void reverseThenForwardPath() {
    assertSameQuery(List.of(tech, tech),
        store.objects(Category.class).filter(Category_.posts.then(Post_.author)
            .then(User_.username).iexact("BOB")),
        store.objects(Category.class).filter("posts__author__username__iexact", "BOB"));
  }

  @Test
  void reverseRelationIcontains_keepsJoinDuplicates() {
    assertSameQuery(List.of(p1, p1, p4),
        posts().filter(Post_.comments.then(Comment_.body).icontains("nice")),
        posts().filter("comments__body__icontains", "nice"));
  }

  @Test
  void reverseRelationHasARow() {
    assertSameQuery(List.of(p3),
        posts().filter(Post_.comments.has(k3)),
        posts().filter("comments", k3));
  }

  @Test
  void orOfTwoTypedConditions() {
    assertSameQuery(List.of(p2, p5),
        posts().filter(Post_.title.startsWith("Z").or(Post_.category.isNull(true))),
        posts().filter(Q.of("title__startswith", "Z").or(Q.of("category__isnull", true))));
  }

  @Test
  void andOfTwoTypedConditionsInOneCall() {
    assertSameQuery(List.of(p2),
        posts().filter(Post_.author.then(User_.username).eq("alice")
            .and(Post_.category.isNull(true))),
        posts().filter(Q.of("author__username", "alice", "category__isnull", true)));
  }

  @Test
  void excludeWithARelationIsNull() {
    assertSameQuery(List.of(alice, bob, carol),
        users().exclude(User_.posts.isNull(true)),
        users().exclude("posts__isnull", true));
  }

  @Test
  void typedOrderingKeys() {
    assertSameQuery(List.of(p4, p3, p2),
        posts().filter(Post_.createdAt.year().gte(2024)).orderBy(Post_.createdAt.desc()),
        posts().filter("createdAt__year__gte", 2024).orderBy("-createdAt"));
    assertSameQuery(List.of(p1, p2, p3, p4, p5),
        posts().orderBy(Post_.author.then(User_.username).asc(), Post_.createdAt.asc()),
        posts().orderBy("author__username", "createdAt"));
  }

  @Test
  void reverseRelationWithoutRelatedName_usesDjangosDefaultQueryName() {
    Store shelves = InvariantsExtension.track(Store.builder().add(Shelf.class, Book.class)
        .build());
    Shelf fiction = shelves.create(new Shelf(0, "fiction"));
    Shelf empty = shelves.create(new Shelf(0, "empty"));
    shelves.create(new Book(0, fiction.id(), "Dune"));
    QuerySet<Shelf> all = shelves.objects(Shelf.class);
    assertSameQuery(List.of(fiction),
        all.filter(TypedPathTest_Shelf_.book_set.then(TypedPathTest_Book_.title)
            .startsWith("D")),
        all.filter("book__title__startswith", "D"));
    assertSameQuery(List.of(empty),
        all.filter(TypedPathTest_Shelf_.book_set.isNull(true)),
        all.filter("book__isnull", true));
  }
}
