package io.relstore.badinput;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.DO_NOTHING;
import static io.relstore.annotation.OnDelete.PROTECT;
import static io.relstore.annotation.OnDelete.RESTRICT;
import static io.relstore.annotation.OnDelete.SET;
import static io.relstore.annotation.OnDelete.SET_DEFAULT;
import static io.relstore.annotation.OnDelete.SET_NULL;
import static io.relstore.badinput.Messages.assertNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.relstore.DoesNotExist;
import io.relstore.FieldError;
import io.relstore.IntegrityError;
import io.relstore.MultipleObjectsReturned;
import io.relstore.ProtectedError;
import io.relstore.Q;
import io.relstore.QueryError;
import io.relstore.RestrictedError;
import io.relstore.SchemaException;
import io.relstore.Store;
import io.relstore.StoreException;
import io.relstore.ValidationError;
import io.relstore.annotation.AutoNow;
import io.relstore.annotation.Char;
import io.relstore.annotation.Default;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Slug;
import io.relstore.annotation.Text;
import io.relstore.annotation.Unique;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue: one table of everything a caller can get wrong, one row per bad input
 * ({@link BadInput}: a name, the action, the exception it must throw and what its message must
 * name). Each row runs on a fresh store with the same seeded rows ({@link Fixture}) and asserts the
 * exception's type, that its message names the model, the field or path, the offending value and
 * the rule, and that the store is unchanged: every row of every model as before and
 * {@code StoreInvariants.check} ({@link StoreSnapshot}). A row whose input is not an error by
 * relstore's documented rules (deleting a row already deleted returns {@code (0, {})}; writes
 * during an iteration leave the iterator on its snapshot) has no exception type; its message parts
 * are then parts of what the action returns. The rules one by one, with more context, are in
 * {@link BadInputTest} and {@link SchemaErrorsTest}; this is the single place that lists them all.
 */
class BadInputCatalogueTest {

  // ------------------------------------------------------------------ models

  private enum Status { DRAFT, PUBLISHED }

  private record Author(@Id long id, @Char(maxLength = 10) @Unique String name,
      @Text @Nullable String bio) {
  }

  private record Article(@Id long id, @Char(maxLength = 5) String code,
      @Slug(maxLength = 20) String slug, Status status, BigDecimal price,
      @ForeignKey(to = Author.class, onDelete = CASCADE, relatedName = "articles") long author,
      @ForeignKey(to = Author.class, onDelete = SET_NULL, relatedName = "edited")
      @Nullable Long editor) {
  }

  /** PROTECTs its article; SET(supplier) on its reviewer. */
  private record Review(@Id long id,
      @ForeignKey(to = Article.class, onDelete = PROTECT, relatedName = "reviews") long article,
      @ForeignKey(to = Author.class, onDelete = SET, relatedName = "reviewed")
      @Nullable Long reviewer) {
  }

  /** RESTRICTs its author; DO_NOTHING on its article. */
  private record Note(@Id long id,
      @ForeignKey(to = Author.class, onDelete = RESTRICT, relatedName = "notes") long author,
      @ForeignKey(to = Article.class, onDelete = DO_NOTHING, relatedName = "notes")
      @Nullable Long article) {
  }

  /** Validates itself: the default end (2000-01-01) is before any later start. */
  private record Booking(@Id long id, LocalDate start,
      @Default("2000-01-01") @Nullable LocalDate end) {
    Booking {
      if (end != null && end.isBefore(start)) {
        throw new IllegalArgumentException("end " + end + " is before start " + start);
      }
    }
  }

  private record Stranger(@Id long id) {
  }

  private static final List<Class<? extends Record>> MODELS = List.of(Author.class,
      Article.class, Review.class, Note.class, Booking.class);

  // ------------------------------------------------------------------ models of schema errors

  private record Parent(@Id long id, @Char(maxLength = 10) String title) {
  }

  private record SetNullOnRequired(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = SET_NULL) long owner) {
  }

  private record SetDefaultWithoutDefault(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = SET_DEFAULT) @Nullable Long owner) {
  }

  private record SetWithoutValue(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = SET) @Nullable Long owner) {
  }

  private record CascadeChild(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = CASCADE) long owner,
      @Char(maxLength = 10) String label) {
  }

  private record LeftChild(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = CASCADE, relatedName = "children") long parent) {
  }

  private record RightChild(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = CASCADE, relatedName = "children") long parent) {
  }

  private record TitleChild(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = CASCADE, relatedName = "title") long parent) {
  }

  private record Twin(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = CASCADE) long first,
      @ForeignKey(to = Parent.class, onDelete = CASCADE) long second) {
  }

  private record WithList(@Id long id, List<String> tags) {
  }

  private record WithDate(@Id long id, Date stamp) {
  }

  private record WithObject(@Id long id, Object payload) {
  }

  private record NoId(long id, @Char(maxLength = 10) String name) {
  }

  private record TwoIds(@Id long code, @Id long otherKey) {
  }

  private record StringId(@Id String code) {
  }

  private record StringForeignKey(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = CASCADE) String owner) {
  }

  private record IntForeignKey(@Id long id,
      @ForeignKey(to = Parent.class, onDelete = CASCADE) int owner) {
  }

  private record CharOnInt(@Id long id, @Char(maxLength = 5) int quantity) {
  }

  private record ZeroLength(@Id long id, @Char(maxLength = 0) String nickname) {
  }

  private record CharAndSlug(@Id long id, @Char(maxLength = 10) @Slug String handle) {
  }

  private record AutoNowString(@Id long id, @AutoNow String stamp) {
  }

  private record BadLongDefault(@Id long id, @Default("abc") long rank) {
  }

  private record BadDateDefault(@Id long id, @Default("2024-13-45") LocalDate due) {
  }

  private enum Colour { RED, GREEN }

  private record BadEnumDefault(@Id long id, @Default("PURPLE") Colour colour) {
  }

  private record AnnotatedDefault(@Id long id, @Default("1") long rank) {
  }

  private static final class First {
    private record Item(@Id long id) {
    }
  }

  private static final class Second {
    private record Item(@Id long id) {
    }
  }

  // ------------------------------------------------------------------ the fixture

  /**
   * A store with seeded rows: authors alice (11), bob (12) and carl (13); article 21 by alice,
   * edited by carl, protected by two reviews (31 by alice, 32 by carl); article 23 by bob, which
   * note 42 references (DO_NOTHING); article 24 by carl; note 41 restricts bob; {@code gone} is
   * article 22, deleted before the row runs. The reviewer's SET supplier creates a sentinel author,
   * then throws when {@code failSupplier} is set: a failure in the middle of a delete, after the
   * delete's first writes.
   */
  static final class Fixture {
    final Store store;
    final Author alice;
    final Author bob;
    final Author carl;
    final Article first;
    final Article gone;
    boolean failSupplier;

    Fixture() {
      store = Store.builder()
          .add(Author.class, Article.class)
          .add(Review.class, m -> m.onDeleteSetFrom("reviewer", this::sentinel))
          .add(Note.class, Booking.class)
          .build();
      alice = store.create(new Author(11, "alice", null));
      bob = store.create(new Author(12, "bob", null));
      carl = store.create(new Author(13, "carl", null));
      first = store.create(new Article(21, "A1", "first-post", Status.PUBLISHED,
          new BigDecimal("9.99"), alice.id(), carl.id()));
      gone = store.create(new Article(22, "A2", "second-post", Status.DRAFT, BigDecimal.ONE,
          bob.id(), null));
      store.delete(gone);
      store.create(new Article(23, "A3", "third-post", Status.DRAFT, BigDecimal.ONE, bob.id(),
          null));
      store.create(new Article(24, "A4", "fourth-post", Status.DRAFT, BigDecimal.TEN, carl.id(),
          null));
      store.create(new Review(31, first.id(), alice.id()));
      store.create(new Review(32, first.id(), carl.id()));
      store.create(new Note(41, bob.id(), null));
      store.create(new Note(42, bob.id(), 23L));
    }

    private Author sentinel(Store s) {
      Author made = s.create(new Author(0, "sentinel", null));
      if (failSupplier) {
        throw new IllegalStateException("the sentinel supplier failed after creating " + made);
      }
      return made;
    }

    Article article(@Nullable String code, @Nullable String slug, @Nullable BigDecimal price,
        long author, @Nullable Long editor) {
      return new Article(0, code, slug, Status.DRAFT, price, author, editor);
    }

    Article valid(String code) {
      return article(code, "a-slug", BigDecimal.ONE, alice.id(), null);
    }
  }

  /** An action on the fixture; what it returns is checked only when it must not throw. */
  @FunctionalInterface
  interface Bad {
    @Nullable Object apply(Fixture f) throws Exception;
  }

  /**
   * One bad input.
   *
   * @param name what is wrong
   * @param action what the caller does
   * @param expected the exception it throws (its cause chain is searched too for a non-relstore
   *     exception that propagates), or null when it must return normally
   * @param parts what the message names (or, without an exception, what the result shows)
   */
  record BadInput(String name, Bad action, @Nullable Class<? extends Throwable> expected,
      List<String> parts) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static BadInput row(String name, Class<? extends Throwable> expected, Bad action,
      String... parts) {
    return new BadInput(name, action, expected, List.of(parts));
  }

  private static BadInput returns(String name, Bad action, String... parts) {
    return new BadInput(name, action, null, List.of(parts));
  }

  private static BadInput schema(String name, Store.Builder builder, String... parts) {
    return row("schema: " + name, SchemaException.class, f -> builder.build(), parts);
  }

  // ------------------------------------------------------------------ the catalogue

  static List<BadInput> catalogue() {
    List<BadInput> rows = new ArrayList<>();
    queries(rows);
    writes(rows);
    deletes(rows);
    transactionsAndCallbacks(rows);
    iterations(rows);
    schemas(rows);
    return rows;
  }

  private static void queries(List<BadInput> rows) {
    rows.add(row("unknown field in filter()", FieldError.class,
        f -> f.store.objects(Article.class).filter("titel", "x").list(),
        "titel", "Article", "Choices are", "code", "slug"));
    rows.add(row("unknown field in a relation path", FieldError.class,
        f -> f.store.objects(Article.class).filter("author__nickname", "x").list(),
        "nickname", "Author", "Choices are", "name"));
    rows.add(row("unknown lookup", FieldError.class,
        f -> f.store.objects(Article.class).filter("code__startswit", "A").list(),
        "startswit", "code"));
    rows.add(row("unknown field in orderBy()", FieldError.class,
        f -> f.store.objects(Article.class).orderBy("-titel").list(), "titel", "Article"));
    rows.add(row("unknown field in values()", FieldError.class,
        f -> f.store.objects(Article.class).values("titel").dicts(), "titel", "Article"));
    rows.add(row("wrong value type in a filter", ValidationError.class,
        f -> f.store.objects(Article.class).filter("price", "cheap").list(),
        "Article", "price", "cheap", "BigDecimal"));
    rows.add(row("wrong value type in a relation filter", ValidationError.class,
        f -> f.store.objects(Article.class).filter("author__id", "alice").list(),
        "Article.author", "alice", "Long"));
    rows.add(row("None with an ordering lookup", QueryError.class,
        f -> f.store.objects(Article.class).filter("price__gt", null).list(),
        "price", "gt", "None"));
    rows.add(row("negative slice", QueryError.class,
        f -> f.store.objects(Article.class).limit(-1).list(), "Negative indexing"));
    rows.add(row("get() with no match", DoesNotExist.class,
        f -> f.store.objects(Article.class).get("code", "ZZ"), "Article", "code", "ZZ"));
    rows.add(row("get() with two matches", MultipleObjectsReturned.class,
        f -> f.store.objects(Author.class).get(Q.of("name__in", List.of("alice", "bob"))),
        "Author", "2"));
    rows.add(row("update() of an unknown field", FieldError.class,
        f -> f.store.objects(Article.class).update("titel", "x"), "titel", "Article",
        "Choices are"));
    rows.add(row("update() of the primary key", FieldError.class,
        f -> f.store.objects(Article.class).update("id", 5L), "Article.id", "primary key"));
    rows.add(row("update() with a value of the wrong type", ValidationError.class,
        f -> f.store.objects(Article.class).update("price", "cheap"), "Article", "price",
        "cheap", "BigDecimal"));
    rows.add(row("update() breaking max_length", ValidationError.class,
        f -> f.store.objects(Article.class).update("code", "TOOLONG"), "Article", "code",
        "TOOLONG", "max_length=5"));
    rows.add(row("delete() of a sliced QuerySet", QueryError.class,
        f -> f.store.objects(Article.class).limit(1).delete(), "limit", "delete()"));
  }

  private static void writes(List<BadInput> rows) {
    rows.add(row("null in a non-null String", ValidationError.class,
        f -> f.store.create(f.article(null, "a-slug", BigDecimal.ONE, f.alice.id(), null)),
        "Article", "code", "null", "NOT NULL"));
    rows.add(row("null in a non-null BigDecimal", ValidationError.class,
        f -> f.store.create(f.article("A3", "a-slug", null, f.alice.id(), null)),
        "Article", "price", "null", "NOT NULL"));
    rows.add(row("max_length exceeded on create", ValidationError.class,
        f -> f.store.create(f.valid("ABCDEF")), "Article", "code", "ABCDEF", "max_length=5"));
    rows.add(row("max_length exceeded on update", ValidationError.class,
        f -> f.store.update(new Author(f.alice.id(), "alexandrina", null)),
        "Author", "name", "alexandrina", "max_length=10"));
    rows.add(row("not a slug", ValidationError.class,
        f -> f.store.create(f.article("A3", "not a slug!", BigDecimal.ONE, f.alice.id(), null)),
        "Article", "slug", "not a slug!", "valid slug"));
    rows.add(row("duplicate unique value on create", IntegrityError.class,
        f -> f.store.create(new Author(0, "alice", null)), "Author", "name", "alice", "UNIQUE"));
    rows.add(row("duplicate unique value on update", IntegrityError.class,
        f -> f.store.update(new Author(f.bob.id(), "alice", null)), "Author", "name", "alice",
        "UNIQUE"));
    rows.add(row("duplicate unique value inside bulkCreate", IntegrityError.class,
        f -> f.store.bulkCreate(List.of(new Author(0, "carol", null), new Author(0, "dave", null),
            new Author(0, "carol", null))), "Author", "name", "carol", "UNIQUE"));
    rows.add(row("duplicate explicit primary key", IntegrityError.class,
        f -> f.store.create(new Author(f.alice.id(), "carol", null)), "Author", "id", "11",
        "UNIQUE"));
    rows.add(row("negative primary key", ValidationError.class,
        f -> f.store.create(new Author(-7, "carol", null)), "Author", "id", "-7", "positive"));
    rows.add(row("foreign key to a missing parent", IntegrityError.class,
        f -> f.store.create(f.article("A3", "a-slug", BigDecimal.ONE, 999, null)),
        "Article", "author", "999", "FOREIGN KEY constraint failed"));
    rows.add(row("foreign key to a missing parent on update", IntegrityError.class,
        f -> f.store.update(new Article(f.first.id(), "A1", "first-post", Status.PUBLISHED,
            BigDecimal.TEN, f.alice.id(), 998L)), "Article", "editor", "998",
        "FOREIGN KEY constraint failed"));
    rows.add(row("foreign key to a missing parent, third row of a bulkCreate",
        IntegrityError.class, f -> f.store.bulkCreate(List.of(f.valid("B1"), f.valid("B2"),
            f.article("B3", "b3", BigDecimal.TEN, 777, null), f.valid("B4"))),
        "Article", "author", "777", "FOREIGN KEY constraint failed"));
    rows.add(row("required foreign key of 0", ValidationError.class,
        f -> f.store.create(f.article("A3", "a-slug", BigDecimal.ONE, 0, null)),
        "Article", "author", "= 0", "positive"));
    rows.add(row("negative foreign key", ValidationError.class,
        f -> f.store.create(f.article("A3", "a-slug", BigDecimal.ONE, f.alice.id(), -3L)),
        "Article", "editor", "-3", "positive"));
    rows.add(row("update of a missing row", DoesNotExist.class,
        f -> f.store.update(new Author(99, "zed", null)), "Author", "id", "99",
        "does not exist"));
    rows.add(row("get() of a missing key", DoesNotExist.class,
        f -> f.store.get(Author.class, 404), "Author", "404", "does not exist"));
    rows.add(row("a record of a model the store does not have", ValidationError.class,
        f -> f.store.create(new Stranger(0)), "Stranger", "not a model of this store"));
    rows.add(row("a null record", ValidationError.class,
        f -> f.store.create(null), "null"));
    rows.add(row("a record constructor that rejects the stored values", ValidationError.class,
        f -> f.store.create(new Booking(0, LocalDate.of(2024, 5, 1), null)), "Booking",
        "end 2000-01-01 is before start 2024-05-01"));
  }

  private static void deletes(List<BadInput> rows) {
    rows.add(returns("delete of a row already deleted: (0, {}), nothing changes",
        f -> f.store.delete(f.gone), "(0, {})"));
    rows.add(returns("deleteAll() of keys already deleted: (0, {})",
        f -> f.store.deleteAll(Article.class, f.gone.id(), 5_000), "(0, {})"));
    rows.add(row("delete of a record whose key was never set", ValidationError.class,
        f -> f.store.delete(f.valid("A3")), "Article", "id", "0"));
    rows.add(row("PROTECT: delete an article a review protects", ProtectedError.class,
        f -> f.store.delete(f.first), "Cannot delete some instances of model 'Article' because"
            + " they are referenced through protected foreign keys: 'Review.article'.",
        "Review(id=31)"));
    rows.add(row("PROTECT through a cascade: delete the author of a protected article",
        ProtectedError.class, f -> f.store.delete(f.alice),
        "Cannot delete some instances of model 'Author' because they are referenced through"
            + " protected foreign keys: 'Article.author'."));
    rows.add(row("RESTRICT: delete an author a note restricts", RestrictedError.class,
        f -> f.store.delete(f.bob), "Cannot delete some instances of model 'Author' because"
            + " they are referenced through restricted foreign keys: 'Note.author'.",
        "Note(id=41)"));
    rows.add(row("DO_NOTHING: a delete that leaves a reference dangling", IntegrityError.class,
        f -> f.store.delete(f.store.get(Article.class, 23)), "FOREIGN KEY constraint failed",
        "Article(id=23)", "Note(id=42).article", "DO_NOTHING"));
    rows.add(row("a SET supplier that throws in the middle of a delete, after its own write",
        IllegalStateException.class,
        f -> {
          f.failSupplier = true;
          return f.store.delete(f.carl);
        }, "the sentinel supplier failed after creating", "sentinel"));
  }

  private static void transactionsAndCallbacks(List<BadInput> rows) {
    rows.add(row("an exception thrown inside atomic after several writes",
        IllegalStateException.class, f -> f.store.atomic(() -> {
          f.store.create(new Author(0, "carol", null));
          f.store.update(new Author(f.alice.id(), "alice", "changed"));
          f.store.create(f.valid("T1"));
          throw new IllegalStateException("abort after three writes");
        }), "abort after three writes"));
    rows.add(row("a checked exception thrown sneakily inside atomic", java.io.IOException.class,
        f -> f.store.atomic(() -> {
          f.store.create(new Author(0, "carol", null));
          return BadInputCatalogueTest.<RuntimeException>sneaky(
              new java.io.IOException("disk full"));
        }), "disk full"));
    rows.add(row("a write on a read-only snapshot", StoreException.class,
        f -> f.store.snapshot().create(new Author(0, "carol", null)), "snapshot"));
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> Object sneaky(Exception e) throws E {
    throw (E) e;
  }

  private static void iterations(List<BadInput> rows) {
    rows.add(returns("writes while a QuerySet iterator is open: it stays on its snapshot",
        f -> {
          Iterator<Author> it = f.store.objects(Author.class).orderBy("name").iterator();
          List<String> seen = new ArrayList<>();
          seen.add(it.next().name());
          Author carol = f.store.create(new Author(0, "carol", null));
          f.store.delete(f.store.get(Note.class, 41));
          f.store.update(new Author(f.bob.id(), "bob", "renamed meanwhile"));
          while (it.hasNext()) {
            Author a = it.next();
            seen.add(a.name() + (a.bio() == null ? "" : "*"));
          }
          f.store.delete(carol);
          f.store.create(new Note(41, f.bob.id(), null));
          f.store.update(f.bob);
          return seen;
        }, "[alice, bob, carl]"));
    rows.add(returns("writes while a reverse-relation iterator is open: it stays on its snapshot",
        f -> {
          Iterator<Record> it = f.store.related(f.alice, "articles").iterator();
          Article extra = f.store.create(f.valid("X1"));
          List<Long> seen = new ArrayList<>();
          while (it.hasNext()) {
            seen.add(((Article) it.next()).id());
          }
          f.store.delete(extra);
          return seen + " live count " + f.store.related(f.alice, "articles").count();
        }, "[21] live count 1"));
    rows.add(returns("a delete while a stream is consumed: the stream stays on its snapshot",
        f -> {
          Stream<Author> s = f.store.objects(Author.class).stream();
          Author carol = f.store.create(new Author(0, "carol", null));
          List<String> seen = s.map(Author::name).toList();
          f.store.delete(carol);
          return seen;
        }, "[alice, bob, carl]"));
  }

  private static void schemas(List<BadInput> rows) {
    rows.add(schema("SET_NULL on a non-nullable foreign key",
        Store.builder().add(Parent.class, SetNullOnRequired.class),
        "SetNullOnRequired", "owner", "SET_NULL", "E320"));
    rows.add(schema("SET_DEFAULT without a default",
        Store.builder().add(Parent.class, SetDefaultWithoutDefault.class),
        "SetDefaultWithoutDefault", "owner", "SET_DEFAULT", "E321"));
    rows.add(schema("SET without a builder value",
        Store.builder().add(Parent.class, SetWithoutValue.class),
        "SetWithoutValue", "owner", "on_delete=SET", "onDeleteSet"));
    rows.add(schema("a builder SET value on a CASCADE key",
        Store.builder().add(Parent.class).add(CascadeChild.class, m -> m.onDeleteSet("owner", 1L)),
        "CascadeChild", "owner", "CASCADE", "SET"));
    rows.add(schema("a builder SET value on a field that is no foreign key",
        Store.builder().add(Parent.class).add(CascadeChild.class, m -> m.onDeleteSet("label", "x")),
        "CascadeChild", "label", "SET", "@ForeignKey"));
    rows.add(schema("a foreign key to an unregistered model",
        Store.builder().add(CascadeChild.class), "CascadeChild", "owner", "Parent",
        "not registered"));
    rows.add(schema("two foreign keys with the same related name",
        Store.builder().add(Parent.class, LeftChild.class, RightChild.class),
        "RightChild", "parent", "children", "Parent", "clashes"));
    rows.add(schema("a related name equal to a field of the target",
        Store.builder().add(Parent.class, TitleChild.class),
        "TitleChild", "parent", "'title'", "Parent", "clashes"));
    rows.add(schema("two foreign keys to one target without related names",
        Store.builder().add(Parent.class, Twin.class), "Twin", "first", "second", "twin_set",
        "clashes"));
    rows.add(schema("a List component", Store.builder().add(WithList.class),
        "WithList", "tags", "java.util.List<java.lang.String>", "unsupported"));
    rows.add(schema("a java.util.Date component", Store.builder().add(WithDate.class),
        "WithDate", "stamp", "java.util.Date", "unsupported"));
    rows.add(schema("an Object component", Store.builder().add(WithObject.class),
        "WithObject", "payload", "java.lang.Object", "unsupported"));
    rows.add(schema("no @Id", Store.builder().add(NoId.class), "NoId", "no @Id",
        "exactly one primary key"));
    rows.add(schema("two @Id", Store.builder().add(TwoIds.class), "TwoIds",
        "exactly one primary key", "code", "otherKey"));
    rows.add(schema("@Id on a String", Store.builder().add(StringId.class), "StringId", "code",
        "@Id", "long", "String"));
    rows.add(schema("@ForeignKey on a String",
        Store.builder().add(Parent.class, StringForeignKey.class), "StringForeignKey", "owner",
        "@ForeignKey", "long", "String"));
    rows.add(schema("@ForeignKey on an int",
        Store.builder().add(Parent.class, IntForeignKey.class), "IntForeignKey", "owner",
        "@ForeignKey", "long", "int"));
    rows.add(schema("@Char on an int", Store.builder().add(CharOnInt.class), "CharOnInt",
        "quantity", "@Char", "String", "int"));
    rows.add(schema("@Char with maxLength 0", Store.builder().add(ZeroLength.class),
        "ZeroLength", "nickname", "maxLength", "positive", "0"));
    rows.add(schema("@Char and @Slug together", Store.builder().add(CharAndSlug.class),
        "CharAndSlug", "handle", "@Char", "@Slug", "only one"));
    rows.add(schema("@AutoNow on a String", Store.builder().add(AutoNowString.class),
        "AutoNowString", "stamp", "@AutoNow", "String", "Instant"));
    rows.add(schema("a @Default that is not a long", Store.builder().add(BadLongDefault.class),
        "BadLongDefault", "rank", "abc", "@Default", "long"));
    rows.add(schema("a @Default that is not a date", Store.builder().add(BadDateDefault.class),
        "BadDateDefault", "due", "2024-13-45", "@Default", "LocalDate"));
    rows.add(schema("a @Default that is no enum constant",
        Store.builder().add(BadEnumDefault.class), "BadEnumDefault", "colour", "PURPLE",
        "@Default", "Colour"));
    rows.add(schema("a @Default and a builder default",
        Store.builder().add(AnnotatedDefault.class, m -> m.defaultValue("rank", 2L)),
        "AnnotatedDefault", "rank", "@Default", "Store.Builder default"));
    rows.add(schema("a builder default of the wrong type",
        Store.builder().add(CascadeChild.class, m -> m.defaultValue("label", 42)).add(Parent.class),
        "CascadeChild", "label", "42", "String"));
    rows.add(schema("a builder SET constant of the wrong type",
        Store.builder().add(Parent.class).add(SetWithoutValue.class,
            m -> m.onDeleteSet("owner", "nobody")), "SetWithoutValue", "owner", "nobody",
        "Parent"));
    rows.add(schema("a builder default for a missing field",
        Store.builder().add(Parent.class, m -> m.defaultValue("missing", 1L)),
        "Parent", "missing", "Store.Builder", "fields: id"));
    rows.add(schema("a builder SET value for a missing field",
        Store.builder().add(Parent.class).add(CascadeChild.class,
            m -> m.onDeleteSetFrom("ownr", st -> 1L)), "CascadeChild", "ownr", "Store.Builder",
        "id, owner, label"));
    rows.add(schema("a builder index on a missing field",
        Store.builder().add(Parent.class, m -> m.index("name")), "Parent", "'name'",
        "Store.Builder", "id, title"));
    rows.add(schema("a class that is not a record", notARecord(), "java.lang.String",
        "not a record", "records"));
    rows.add(schema("java.lang.Record itself", Store.builder().add(Record.class),
        "java.lang.Record", "not a record", "records"));
    rows.add(schema("a model registered twice", Store.builder().add(Parent.class).add(
        Parent.class), "Parent", "registered twice"));
    rows.add(schema("no model", Store.builder(), "at least one model"));
    rows.add(schema("two models with the same simple name",
        Store.builder().add(First.Item.class, Second.Item.class), First.Item.class.getName(),
        Second.Item.class.getName(), "'Item'", "@Model(name"));
  }

  private static Store.Builder notARecord() {
    @SuppressWarnings("unchecked") // what raw or reflective code can pass despite the signature
    Class<? extends Record> type = (Class<? extends Record>) (Class<?>) String.class;
    return Store.builder().add(type);
  }

  // ------------------------------------------------------------------ the test

  @ParameterizedTest(name = "{0}")
  @MethodSource("catalogue")
  void badInput_failsCleanlyAndChangesNothing(BadInput input) {
    Fixture f = new Fixture();
    StoreSnapshot before = StoreSnapshot.take(f.store, MODELS);
    Object result = null;
    Throwable caught = null;
    try {
      result = input.action().apply(f);
    } catch (Throwable t) {
      caught = t;
    }
    Class<? extends Throwable> expected = input.expected();
    if (expected == null) {
      if (caught != null) {
        fail(input.name() + " must not throw", caught);
      }
      String shown = String.valueOf(result);
      for (String part : input.parts()) {
        assertTrue(shown.contains(part), () -> "result should show \"" + part + "\": " + shown);
      }
    } else {
      Object returned = result;
      Throwable thrown = caught;
      assertNotNull(thrown, () -> input.name() + " returned " + returned + " instead of throwing "
          + expected.getSimpleName());
      Throwable matching = find(thrown, expected);
      assertInstanceOf(expected, matching, () -> "thrown: " + thrown);
      assertNames(matching, input.parts().toArray(new String[0]));
    }
    before.assertUnchanged();
  }

  /** {@code thrown} or the first cause of the expected type (a caller's exception may be wrapped). */
  private static @Nullable Throwable find(Throwable thrown, Class<? extends Throwable> type) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return t;
      }
    }
    return thrown;
  }

  @org.junit.jupiter.api.Test
  void theCatalogueListsEveryKindOfBadInputOnce() {
    List<BadInput> all = catalogue();
    assertEquals(all.size(), all.stream().map(BadInput::name).distinct().count(),
        "row names are unique");
    assertTrue(all.size() >= 70, "rows: " + all.size());
  }
}
