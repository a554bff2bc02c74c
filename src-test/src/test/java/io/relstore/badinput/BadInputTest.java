package io.relstore.badinput;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.PROTECT;
import static io.relstore.annotation.OnDelete.SET;
import static io.relstore.annotation.OnDelete.SET_NULL;
import static io.relstore.badinput.Messages.assertNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.DeleteResult;
import io.relstore.DoesNotExist;
import io.relstore.FieldError;
import io.relstore.IntegrityError;
import io.relstore.ProtectedError;
import io.relstore.Store;
import io.relstore.ValidationError;
import io.relstore.annotation.Char;
import io.relstore.annotation.Default;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Slug;
import io.relstore.annotation.Text;
import io.relstore.annotation.Unique;
import io.relstore.testing.InvariantsExtension;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every write rule, broken once: the exception has the documented type, its message names the
 * model, the field, the offending value and the rule, and the store is exactly as it was (every row
 * of every model compared, plus the invariant checker). Seeded keys are explicit and distinctive
 * (11, 12, 21) so that a message naming a key is not matched by accident.
 */
class BadInputTest {

  // ------------------------------------------------------------------ models

  private enum Status { DRAFT, PUBLISHED }

  private record Author(@Id long id, @Char(maxLength = 10) @Unique String name,
      @Text @Nullable String bio) {
  }

  private record Article(@Id long id,
      @Char(maxLength = 5) String code,
      @Slug(maxLength = 20) String slug,
      Status status,
      BigDecimal price,
      @ForeignKey(to = Author.class, onDelete = CASCADE) long author,
      @ForeignKey(to = Author.class, onDelete = SET_NULL, relatedName = "edited")
      @Nullable Long editor) {
  }

  /** Validates itself: a booking cannot end before it starts (the default end does). */
  private record Booking(@Id long id, LocalDate start,
      @Default("2000-01-01") @Nullable LocalDate end) {
    Booking {
      if (end != null && end.isBefore(start)) {
        throw new IllegalArgumentException("end " + end + " is before start " + start);
      }
    }
  }

  /** Not registered in any store of this test. */
  private record Stranger(@Id long id) {
  }

  private static final List<Class<? extends Record>> MODELS =
      List.of(Author.class, Article.class, Booking.class);

  // ------------------------------------------------------------------ the delete-with-SET store

  private record Person(@Id long id, @Char(maxLength = 20) String name) {
  }

  private record Pet(@Id long id,
      @ForeignKey(to = Person.class, onDelete = SET_NULL, relatedName = "pets")
      @Nullable Long owner) {
  }

  private record Toy(@Id long id,
      @ForeignKey(to = Person.class, onDelete = CASCADE, relatedName = "toys") long owner) {
  }

  private record Car(@Id long id,
      @ForeignKey(to = Person.class, onDelete = SET, relatedName = "cars") @Nullable Long owner) {
  }

  private record Bike(@Id long id,
      @ForeignKey(to = Person.class, onDelete = SET, relatedName = "bikes") @Nullable Long owner) {
  }

  private record Loan(@Id long id,
      @ForeignKey(to = Person.class, onDelete = PROTECT, relatedName = "loans") long borrower) {
  }

  /** One-to-one in Django's terms: a unique foreign key. */
  private record Profile(@Id long id,
      @ForeignKey(to = Author.class, onDelete = CASCADE, relatedName = "profile") @Unique
      long author) {
  }

  // ------------------------------------------------------------------ fixture

  Store store;
  Author alice;
  Author bob;
  Article first;
  StoreSnapshot before;

  @BeforeEach
  void seed() {
    Store.Builder builder = Store.builder();
    for (Class<? extends Record> model : MODELS) {
      builder.add(model);
    }
    store = builder.build();
    alice = store.create(new Author(11, "alice", null));
    bob = store.create(new Author(12, "bob", null));
    first = store.create(new Article(21, "A1", "first-post", Status.PUBLISHED,
        new BigDecimal("9.99"), alice.id(), bob.id()));
    before = StoreSnapshot.take(store, MODELS);
  }

  private Article article(@Nullable String code, @Nullable String slug, @Nullable Status status,
      @Nullable BigDecimal price, long author, @Nullable Long editor) {
    return new Article(0, code, slug, status, price, author, editor);
  }

  private Article validArticle(String code) {
    return article(code, "a-slug", Status.DRAFT, BigDecimal.ONE, alice.id(), null);
  }

  /** {@code thrown} is {@code cause} or was caused by it. */
  private static void assertCausedBy(Throwable thrown, Throwable cause) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t == cause) {
        return;
      }
    }
    throw new AssertionError("expected " + cause + " to propagate, got " + thrown, thrown);
  }

  // ------------------------------------------------------------------ NOT NULL

  @Test
  void create_nullInNonNullString() {
    ValidationError e = assertThrows(ValidationError.class, () -> store.create(
        article(null, "a-slug", Status.DRAFT, BigDecimal.ONE, alice.id(), null)));
    assertNames(e, "Article", "code", "null", "NOT NULL");
    before.assertUnchanged();
  }

  @Test
  void create_nullInNonNullEnum() {
    ValidationError e = assertThrows(ValidationError.class, () -> store.create(
        article("A2", "a-slug", null, BigDecimal.ONE, alice.id(), null)));
    assertNames(e, "Article", "status", "null", "NOT NULL");
    before.assertUnchanged();
  }

  @Test
  void create_nullInNonNullBigDecimal() {
    ValidationError e = assertThrows(ValidationError.class, () -> store.create(
        article("A2", "a-slug", Status.DRAFT, null, alice.id(), null)));
    assertNames(e, "Article", "price", "null", "NOT NULL");
    before.assertUnchanged();
  }

  // ------------------------------------------------------------------ max_length and slug

  @Test
  void create_valueLongerThanMaxLength() {
    ValidationError e = assertThrows(ValidationError.class,
        () -> store.create(validArticle("ABCDEF")));
    assertNames(e, "Article", "code", "ABCDEF", "max_length=5");
    before.assertUnchanged();
  }

  @Test
  void create_valueOfExactlyMaxLength() {
    Article stored = store.create(validArticle("ABCDE"));
    assertEquals("ABCDE", store.get(Article.class, stored.id()).code());
    assertEquals(before.rows().get("Article").size() + 1, store.count(Article.class));
  }

  @Test
  void update_valueLongerThanMaxLength() {
    Author renamed = new Author(alice.id(), "alexandrina", null);
    ValidationError e = assertThrows(ValidationError.class, () -> store.update(renamed));
    assertNames(e, "Author", "name", "alexandrina", "max_length=10");
    before.assertUnchanged();
  }

  @Test
  void create_invalidSlug() {
    ValidationError e = assertThrows(ValidationError.class, () -> store.create(
        article("A2", "not a slug!", Status.DRAFT, BigDecimal.ONE, alice.id(), null)));
    assertNames(e, "Article", "slug", "not a slug!", "valid slug");
    before.assertUnchanged();
  }

  // ------------------------------------------------------------------ unique and primary keys

  @Test
  void create_duplicateUniqueValue() {
    IntegrityError e = assertThrows(IntegrityError.class,
        () -> store.create(new Author(0, "alice", null)));
    assertNames(e, "Author", "name", "alice", "UNIQUE", "Author(id=11)");
    before.assertUnchanged();
    assertEquals(13, store.create(new Author(0, "carol", null)).id(),
        "the failed create consumed no visible key");
  }

  @Test
  void update_duplicateUniqueValue() {
    IntegrityError e = assertThrows(IntegrityError.class,
        () -> store.update(new Author(bob.id(), "alice", null)));
    assertNames(e, "Author", "name", "alice", "UNIQUE", "Author(id=11)");
    before.assertUnchanged();
  }

  @Test
  void update_ownUniqueValueUnchanged() {
    Author updated = store.update(new Author(alice.id(), "alice", "writes"));
    assertEquals(updated, store.get(Author.class, alice.id()));
    assertEquals("writes", updated.bio());
  }

  @Test
  void create_duplicateExplicitPk() {
    IntegrityError e = assertThrows(IntegrityError.class,
        () -> store.create(new Author(alice.id(), "carol", null)));
    assertNames(e, "Author", "id", "11", "UNIQUE");
    before.assertUnchanged();
  }

  @Test
  void create_negativePk() {
    ValidationError e = assertThrows(ValidationError.class,
        () -> store.create(new Author(-7, "carol", null)));
    assertNames(e, "Author", "id", "-7", "positive");
    before.assertUnchanged();
  }

  // ------------------------------------------------------------------ foreign keys

  @Test
  void create_requiredForeignKeyZero() {
    ValidationError e = assertThrows(ValidationError.class, () -> store.create(
        article("A2", "a-slug", Status.DRAFT, BigDecimal.ONE, 0, null)));
    assertNames(e, "Article", "author", "= 0", "foreign key", "positive");
    before.assertUnchanged();
  }

  @Test
  void create_negativeForeignKey() {
    ValidationError e = assertThrows(ValidationError.class, () -> store.create(
        article("A2", "a-slug", Status.DRAFT, BigDecimal.ONE, alice.id(), -3L)));
    assertNames(e, "Article", "editor", "-3", "foreign key", "positive");
    before.assertUnchanged();
  }

  @Test
  void create_foreignKeyToMissingParent() {
    IntegrityError e = assertThrows(IntegrityError.class, () -> store.create(
        article("A2", "a-slug", Status.DRAFT, BigDecimal.ONE, 999, null)));
    assertNames(e, "Article", "author", "999", "FOREIGN KEY constraint failed", "Author");
    before.assertUnchanged();
    assertEquals(22, store.create(validArticle("A2")).id(),
        "the rolled-back create consumed no visible key");
  }

  // ------------------------------------------------------------------ missing rows

  @Test
  void update_missingRow() {
    DoesNotExist e = assertThrows(DoesNotExist.class,
        () -> store.update(new Author(99, "zed", null)));
    assertNames(e, "Author", "id", "99", "does not exist");
    before.assertUnchanged();
    assertEquals(0, store.count(Author.class) - before.rows().get("Author").size());
  }

  @Test
  void get_missingPk() {
    DoesNotExist e = assertThrows(DoesNotExist.class, () -> store.get(Author.class, 404));
    assertNames(e, "Author", "id", "404", "does not exist");
    before.assertUnchanged();
  }

  @Test
  void delete_recordWithPkZero() {
    Article unsaved = validArticle("A2");
    ValidationError e = assertThrows(ValidationError.class, () -> store.delete(unsaved));
    assertNames(e, "Article", "id", "0", "not set");
    before.assertUnchanged();
  }

  @Test
  void delete_alreadyDeletedRow() {
    assertEquals(new DeleteResult(1, Map.of("Article", 1)), store.delete(first));
    StoreSnapshot afterFirstDelete = StoreSnapshot.take(store, MODELS);

    DeleteResult again = store.delete(first);

    assertEquals(0, again.total());
    assertEquals(Map.of(), again.counts());
    afterFirstDelete.assertUnchanged();
  }

  @Test
  void create_recordOfUnregisteredModel() {
    ValidationError e = assertThrows(ValidationError.class,
        () -> store.create(new Stranger(0)));
    assertNames(e, Stranger.class.getName(), "not a model of this store", "Author", "Article");
    before.assertUnchanged();
  }

  @Test
  void get_unregisteredModel() {
    ValidationError e = assertThrows(ValidationError.class, () -> store.get(Stranger.class, 1));
    assertNames(e, Stranger.class.getName(), "not a model of this store");
    before.assertUnchanged();
  }

  // ------------------------------------------------------------------ batches and transactions

  @Test
  void bulkCreate_thirdOfFiveBreaksMaxLength() {
    List<Author> rows = List.of(new Author(0, "carol", null), new Author(0, "dave", null),
        new Author(0, "bartholomew", null), new Author(0, "erin", null),
        new Author(0, "frank", null));
    ValidationError e = assertThrows(ValidationError.class, () -> store.bulkCreate(rows));
    assertNames(e, "Author", "name", "bartholomew", "max_length=10");
    before.assertUnchanged();
    assertEquals(13, store.create(new Author(0, "carol", null)).id(),
        "the failed batch consumed no visible key");
  }

  @Test
  void bulkCreate_thirdOfFiveRepeatsUniqueValueOfFirst() {
    List<Author> rows = List.of(new Author(0, "carol", null), new Author(0, "dave", null),
        new Author(0, "carol", null), new Author(0, "erin", null),
        new Author(0, "frank", null));
    IntegrityError e = assertThrows(IntegrityError.class, () -> store.bulkCreate(rows));
    assertNames(e, "Author", "name", "carol", "UNIQUE", "Author(id=13)");
    before.assertUnchanged();
    assertEquals(13, store.create(new Author(0, "carol", null)).id(),
        "the failed batch consumed no visible key");
  }

  @Test
  void bulkCreate_thirdOfFivePointsAtMissingParent() {
    List<Article> rows = List.of(validArticle("B1"), validArticle("B2"),
        article("B3", "b3", Status.DRAFT, BigDecimal.TEN, 777, null), validArticle("B4"),
        validArticle("B5"));
    IntegrityError e = assertThrows(IntegrityError.class, () -> store.bulkCreate(rows));
    assertNames(e, "Article", "author", "777", "FOREIGN KEY constraint failed");
    before.assertUnchanged();
    assertEquals(22, store.create(validArticle("B1")).id(),
        "the failed batch consumed no visible key");
  }

  @Test
  void atomic_exceptionAfterSeveralWrites() {
    IllegalStateException boom = new IllegalStateException("abort after four writes");
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> store.atomic(() -> {
          Author carol = store.create(new Author(0, "carol", null));
          store.update(new Author(alice.id(), "alice", "changed"));
          store.create(validArticle("T1"));
          store.delete(bob); // SET_NULL on first.editor
          assertEquals(carol, store.get(Author.class, carol.id()), "reads see own writes");
          throw boom;
        }));
    assertSame(boom, thrown);
    before.assertUnchanged();
    assertEquals(13, store.create(new Author(0, "carol", null)).id());
    assertEquals(22, store.create(validArticle("T1")).id());
  }

  // ------------------------------------------------------------------ code that throws

  @Test
  void create_recordConstructorRejectsStoredValues() {
    // the caller's record is valid (end is null); the default the store fills in is not
    Booking booking = new Booking(0, LocalDate.of(2024, 5, 1), null);
    ValidationError e = assertThrows(ValidationError.class, () -> store.create(booking));
    assertNames(e, "Booking", "end 2000-01-01 is before start 2024-05-01", "constructor");
    assertTrue(e.getCause() instanceof IllegalArgumentException, () -> "cause: " + e.getCause());
    before.assertUnchanged();
    assertEquals(1, store.create(new Booking(0, LocalDate.of(1999, 1, 1), null)).id(),
        "the failed create consumed no visible key");
  }

  @Test
  void delete_setSupplierThrowsMidway() {
    IllegalStateException boom = new IllegalStateException("no sentinel for Bike.owner");
    Store people = InvariantsExtension.track(Store.builder()
        .add(Person.class, Pet.class, Toy.class)
        .add(Car.class, m -> m.onDeleteSetFrom("owner",
            st -> st.create(new Person(0, "car sentinel"))))
        .add(Bike.class, m -> m.onDeleteSetFrom("owner", st -> {
          st.create(new Person(0, "bike sentinel"));
          throw boom;
        }))
        .build());
    Person ann = people.create(new Person(0, "ann"));
    people.create(new Person(0, "ben"));
    people.create(new Pet(0, ann.id()));
    people.create(new Toy(0, ann.id()));
    people.create(new Car(0, ann.id()));
    people.create(new Bike(0, ann.id()));
    List<Class<? extends Record>> models =
        List.of(Person.class, Pet.class, Toy.class, Car.class, Bike.class);
    StoreSnapshot unchanged = StoreSnapshot.take(people, models);

    RuntimeException thrown = assertThrows(RuntimeException.class, () -> people.delete(ann));

    assertCausedBy(thrown, boom);
    unchanged.assertUnchanged();
  }

  @Test
  void follow_unknownForeignKey() {
    FieldError e = assertThrows(FieldError.class, () -> store.follow(first, "writer"));
    assertNames(e, "Article", "writer", "Choices are", "author", "editor");
    before.assertUnchanged();
  }

  @Test
  void related_unknownRelation() {
    FieldError e = assertThrows(FieldError.class, () -> store.related(alice, "articles"));
    assertNames(e, "Author", "articles", "Choices are", "article_set", "edited");
    before.assertUnchanged();
  }

  // ------------------------------------------------------------------ beyond the list

  @Test
  void create_duplicateValueInUniqueForeignKey() {
    Store profiles = InvariantsExtension.track(
        Store.builder().add(Author.class, Profile.class).build());
    Author carol = profiles.create(new Author(0, "carol", null));
    profiles.create(new Profile(0, carol.id()));
    StoreSnapshot unchanged = StoreSnapshot.take(profiles, List.of(Author.class, Profile.class));

    IntegrityError e = assertThrows(IntegrityError.class,
        () -> profiles.create(new Profile(0, carol.id())));

    assertNames(e, "Profile", "author", String.valueOf(carol.id()), "UNIQUE");
    unchanged.assertUnchanged();
  }

  @Test
  void delete_protectedInsideAtomicKeepsNoSupplierWrites() {
    Store people = InvariantsExtension.track(Store.builder()
        .add(Person.class)
        .add(Car.class, m -> m.onDeleteSetFrom("owner",
            st -> st.create(new Person(0, "car sentinel"))))
        .add(Loan.class)
        .build());
    Person ann = people.create(new Person(0, "ann"));
    people.create(new Car(0, ann.id()));
    people.create(new Loan(0, ann.id()));
    StoreSnapshot unchanged =
        StoreSnapshot.take(people, List.of(Person.class, Car.class, Loan.class));

    // the caller handles the refused delete and carries on: the delete failed, so it left nothing
    people.atomic(() -> {
      ProtectedError e = assertThrows(ProtectedError.class, () -> people.delete(ann));
      assertNames(e, "Person", "'Loan.borrower'");
    });

    unchanged.assertUnchanged();
  }

  @Test
  void bulkCreate_failureCaughtInsideAtomicKeepsNoRow() {
    List<Author> rows = List.of(new Author(0, "carol", null), new Author(0, "dave", null),
        new Author(0, "bartholomew", null), new Author(0, "erin", null),
        new Author(0, "frank", null));

    // the caller handles the refused batch and carries on: "all or none" still holds for the batch
    store.atomic(() -> {
      ValidationError e = assertThrows(ValidationError.class, () -> store.bulkCreate(rows));
      assertNames(e, "Author", "name", "bartholomew", "max_length=10");
    });

    before.assertUnchanged();
  }
}
