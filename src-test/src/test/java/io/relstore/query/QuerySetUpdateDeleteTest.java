package io.relstore.query;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.SET_NULL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.DeleteResult;
import io.relstore.F;
import io.relstore.FieldError;
import io.relstore.IntegrityError;
import io.relstore.MultipleObjectsReturned;
import io.relstore.Q;
import io.relstore.QueryError;
import io.relstore.QuerySet;
import io.relstore.Store;
import io.relstore.StoreInvariants;
import io.relstore.ValidationError;
import io.relstore.annotation.Char;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import io.relstore.annotation.Text;
import io.relstore.annotation.Unique;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@code QuerySet.update()} and {@code delete()}, {@code getOrCreate} / {@code updateOrCreate}, and
 * when a QuerySet reads the store: at its terminal operation (laziness), and, for an iterator, the
 * state current when it was taken (a snapshot that blocks no writer).
 *
 * <pre>
 * Writer  w1 ann, w2 ben, w3 cy
 * Article a1 Alpha views 10 likes 1    code A1 writer w1 editor w2   score 1.5
 *         a2 Beta  views 0  likes null code -  writer w1 editor -    score 0.0
 *         a3 Apex  views 5  likes 3    code A3 writer w2 editor w1   score 2.0
 *         a4 Gamma views 7  likes null code G4 writer w3 editor w3   score -1.0
 * Note    n1 (a1 "x1"), n2 (a1 "x2"), n3 (a3 "y"), n4 (a4 "z")
 * </pre>
 */
class QuerySetUpdateDeleteTest {
  record Writer(@Id long id, @Char(maxLength = 20) String name) {
  }

  record Article(@Id long id, @Char(maxLength = 10) String title, int views,
      @Nullable Integer likes, @Unique @Char(maxLength = 10) @Nullable String code,
      @ForeignKey(to = Writer.class, onDelete = CASCADE, relatedName = "articles") long writer,
      @ForeignKey(to = Writer.class, onDelete = SET_NULL, relatedName = "edited")
      @Nullable Long editor,
      double score) {
  }

  record Note(@Id long id,
      @ForeignKey(to = Article.class, onDelete = CASCADE, relatedName = "notes") long article,
      @Text String text) {
  }

  Store store;
  Writer w1;
  Writer w2;
  Writer w3;
  Article a1;
  Article a2;
  Article a3;
  Article a4;
  Note n1;
  Note n4;

  @BeforeEach
  void data() {
    store = Store.builder().add(Writer.class, Article.class, Note.class).build();
    w1 = store.create(new Writer(0, "ann"));
    w2 = store.create(new Writer(0, "ben"));
    w3 = store.create(new Writer(0, "cy"));
    a1 = store.create(new Article(0, "Alpha", 10, 1, "A1", w1.id(), w2.id(), 1.5));
    a2 = store.create(new Article(0, "Beta", 0, null, null, w1.id(), null, 0.0));
    a3 = store.create(new Article(0, "Apex", 5, 3, "A3", w2.id(), w1.id(), 2.0));
    a4 = store.create(new Article(0, "Gamma", 7, null, "G4", w3.id(), w3.id(), -1.0));
    n1 = store.create(new Note(0, a1.id(), "x1"));
    store.create(new Note(0, a1.id(), "x2"));
    store.create(new Note(0, a3.id(), "y"));
    n4 = store.create(new Note(0, a4.id(), "z"));
  }

  private QuerySet<Article> articles() {
    return store.objects(Article.class);
  }

  private QuerySet<Writer> writers() {
    return store.objects(Writer.class);
  }

  private Article get(Article a) {
    return store.get(Article.class, a.id());
  }

  private Map<String, List<Record>> snapshot() {
    Map<String, List<Record>> out = new LinkedHashMap<>();
    out.put("Writer", new ArrayList<Record>(store.all(Writer.class)));
    out.put("Article", new ArrayList<Record>(store.all(Article.class)));
    out.put("Note", new ArrayList<Record>(store.all(Note.class)));
    return out;
  }

  /** {@code failing} throws {@code type} and leaves every row as it was. */
  private <E extends Throwable> E assertFailsUnchanged(Class<E> type, Executable failing) {
    Map<String, List<Record>> before = snapshot();
    E e = assertThrows(type, failing);
    assertEquals(before, snapshot(), "a failed operation changed the store");
    StoreInvariants.check(store);
    return e;
  }

  private static List<Integer> views(List<Article> rows) {
    List<Integer> out = new ArrayList<>();
    for (Article a : rows) {
      out.add(a.views());
    }
    return out;
  }

  // ------------------------------------------------------------------ update

  @Test
  void update_withConstants_returnsTheRowsMatched() {
    assertEquals(2, articles().filter("writer", w1).update("title", "Changed"));
    assertEquals("Changed", get(a1).title());
    assertEquals("Changed", get(a2).title());
    assertEquals(a3, get(a3));
    assertEquals(a4, get(a4));
    assertEquals(1, articles().filter("pk", a4.id()).update("title", "G", "views", 99,
        "likes", 2));
    assertEquals(new Article(a4.id(), "G", 99, 2, "G4", w3.id(), w3.id(), -1.0), get(a4));
  }

  @Test
  void update_countsRowsMatchedNotRowsChanged() {
    assertEquals(1, articles().filter("views", 0).update("views", 0));
    assertEquals(0, articles().filter("views__gt", 1000).update("views", 0));
    assertEquals(List.of(10, 0, 5, 7), views(articles().list()));
  }

  @Test
  void update_acrossAMultiValuedFilter_countsEachRowOnce() {
    assertEquals(3, writers().filter("articles__views__gte", 0).update("name", "X"),
        "ann has two articles but is one row");
    assertEquals(List.of(new Writer(w1.id(), "X"), new Writer(w2.id(), "X"),
        new Writer(w3.id(), "X")), writers().list());
  }

  @Test
  void update_withFExpressions() {
    assertEquals(4, articles().update("views", F.of("views").plus(1)));
    assertEquals(List.of(11, 1, 6, 8), views(articles().list()));
    articles().update("likes", F.of("likes").plus(1));
    assertEquals(List.of(2, 4), articles().filter("likes__isnull", false)
        .valuesListFlat("likes").flat());
    assertEquals(2, articles().filter("likes", null).count(), "NULL + 1 is NULL");
    articles().update("score", F.of("score").times(2));
    assertEquals(List.of(3.0, 0.0, 4.0, -2.0), articles().valuesListFlat("score").flat());
    articles().update("views", F.of("views").div(3));
    assertEquals(List.of(3, 0, 2, 2), views(articles().list()), "integer division truncates");
  }

  @Test
  void update_withFExpressions_readsEveryRightHandSideFromTheOldRow() {
    assertEquals(2, articles().filter("likes__isnull", false).update("views", F.of("likes"),
        "likes", F.of("views")));
    assertEquals(1, get(a1).views());
    assertEquals(10, get(a1).likes());
    assertEquals(3, get(a3).views());
    assertEquals(5, get(a3).likes());
  }

  @Test
  void update_ofAForeignKeyFromAnotherField() {
    assertEquals(4, articles().update("editor", F.of("writer")));
    assertEquals(List.of(w1.id(), w1.id(), w2.id(), w3.id()),
        articles().valuesListFlat("editor").flat());
  }

  @Test
  void update_filteredByAnFComparison() {
    assertEquals(2, articles().filter("views__gt", F.of("likes")).update("title", "Hot"));
    assertEquals(List.of("Hot", "Beta", "Hot", "Gamma"), articles().valuesListFlat("title")
        .flat());
  }

  @Test
  void update_breakingMaxLength_isAValidationError_andChangesNothing() {
    ValidationError e = assertFailsUnchanged(ValidationError.class,
        () -> articles().update("title", "much too long"));
    assertTrue(e.getMessage().contains("max_length=10"), e.getMessage());
  }

  @Test
  void update_ofANonNullFieldToNull_isAValidationError_andChangesNothing() {
    assertFailsUnchanged(ValidationError.class, () -> articles().update("title", null));
    assertFailsUnchanged(ValidationError.class, () -> articles().update("views", F.of("likes")),
        "a2's likes is NULL");
  }

  private <E extends Throwable> void assertFailsUnchanged(Class<E> type, Executable failing,
      String why) {
    Map<String, List<Record>> before = snapshot();
    assertThrows(type, failing, why);
    assertEquals(before, snapshot(), "a failed operation changed the store: " + why);
    StoreInvariants.check(store);
  }

  @Test
  void update_breakingUniqueness_isAnIntegrityError_andChangesNothing() {
    IntegrityError two = assertFailsUnchanged(IntegrityError.class,
        () -> articles().filter("writer", w1).update("code", "ZZ"));
    assertTrue(two.getMessage().startsWith("UNIQUE constraint failed"), two.getMessage());
    assertFailsUnchanged(IntegrityError.class,
        () -> articles().filter("pk", a2.id()).update("code", "A3"), "A3 is held by a3");
  }

  @Test
  void update_withAValueThatDoesNotFit_isAValidationError_andChangesNothing() {
    assertFailsUnchanged(ValidationError.class, () -> articles().update("views", "many"));
    assertFailsUnchanged(ValidationError.class,
        () -> articles().update("views", F.of("views").plus(Integer.MAX_VALUE)),
        "10 + Integer.MAX_VALUE does not fit an int (a2's 0 + MAX_VALUE would)");
    assertFailsUnchanged(ValidationError.class, () -> articles().update("writer", 0L));
    assertFailsUnchanged(ValidationError.class, () -> articles().update("writer", "ann"));
  }

  @Test
  void update_ofAForeignKeyToAMissingRow_isAnIntegrityErrorAtCommit_andChangesNothing() {
    IntegrityError e = assertFailsUnchanged(IntegrityError.class,
        () -> articles().filter("writer", w1).update("writer", 999L));
    assertTrue(e.getMessage().startsWith("FOREIGN KEY constraint failed"), e.getMessage());
    assertFailsUnchanged(IntegrityError.class, () -> articles().update("editor", 999L),
        "nullable foreign key");
  }

  @Test
  void update_misuse_isRefusedBeforeAnyWrite() {
    assertFailsUnchanged(FieldError.class, () -> articles().update("id", 5L));
    assertFailsUnchanged(FieldError.class, () -> articles().update("nope", 1));
    assertFailsUnchanged(FieldError.class, () -> articles().update("notes", 1),
        "a reverse relation is not a field");
    QueryError sliced = assertFailsUnchanged(QueryError.class,
        () -> articles().limit(1).update("views", 1));
    assertEquals("Cannot update a query once a slice has been taken.", sliced.getMessage());
    assertFailsUnchanged(QueryError.class, () -> articles().update("views", 1, "likes"),
        "odd number of field/value arguments");
  }

  // ------------------------------------------------------------------ delete

  @Test
  void delete_throughAFilterSpanningARelation_cascades() {
    DeleteResult r = writers().filter("articles__title__startswith", "A").delete();
    assertEquals(Map.of("Writer", 2, "Article", 3, "Note", 3), r.counts());
    assertEquals(8, r.total());
    assertEquals(List.of(w3), writers().list());
    assertEquals(List.of(a4), articles().list());
    assertEquals(List.of(n4), store.all(Note.class));
  }

  @Test
  void delete_ofRowsMatchedTwiceThroughAJoin_deletesEachOnce() {
    QuerySet<Article> noted = articles().filter("notes__text__startswith", "x");
    assertEquals(2, noted.count());
    DeleteResult r = noted.delete();
    assertEquals(Map.of("Article", 1, "Note", 2), r.counts());
    assertEquals(3, r.total());
    assertEquals(List.of(a2, a3, a4), articles().list());
  }

  @Test
  void delete_throughAForwardPath_andSetNullOnTheWay() {
    DeleteResult notes = store.objects(Note.class).filter("article__writer__name", "cy")
        .delete();
    assertEquals(Map.of("Note", 1), notes.counts());
    DeleteResult ben = writers().filter("edited__title", "Alpha").delete();
    assertEquals(Map.of("Writer", 1, "Article", 1, "Note", 1), ben.counts(),
        "ben edits a1 (SET_NULL) and writes a3 (CASCADE, with its note)");
    assertEquals(null, get(a1).editor());
  }

  @Test
  void delete_ofAnEmptyResult_deletesNothing() {
    DeleteResult r = articles().filter("views__gt", 1000).delete();
    assertEquals(0, r.total());
    assertEquals(Map.of(), r.counts());
    assertEquals(4, articles().count());
  }

  // ------------------------------------------------------------------ getOrCreate / updateOrCreate

  @Test
  void getOrCreate_returnsTheExistingRowWithoutCallingTheFactory() {
    AtomicInteger calls = new AtomicInteger();
    QuerySet.Obtained<Writer> got = writers().getOrCreate(Q.of("name", "ann"), () -> {
      calls.incrementAndGet();
      return new Writer(0, "ann");
    });
    assertEquals(new QuerySet.Obtained<>(w1, false), got);
    assertEquals(0, calls.get());
    assertEquals(3, writers().count());
  }

  @Test
  void getOrCreate_createsWhenMissing_thenFindsIt() {
    QuerySet.Obtained<Writer> made = writers().getOrCreate(Q.of("name", "dee"),
        () -> new Writer(0, "dee"));
    assertTrue(made.created());
    assertEquals("dee", made.object().name());
    assertEquals(made.object(), store.get(Writer.class, made.object().id()));
    QuerySet.Obtained<Writer> again = writers().getOrCreate(Q.of("name", "dee"),
        () -> new Writer(0, "dee"));
    assertEquals(new QuerySet.Obtained<>(made.object(), false), again);
    assertEquals(4, writers().count());
  }

  @Test
  void getOrCreate_withSeveralMatches_isMultipleObjectsReturned_andCreatesNothing() {
    assertFailsUnchanged(MultipleObjectsReturned.class, () -> articles().getOrCreate(
        Q.of("writer", w1), () -> new Article(0, "New", 0, null, null, w1.id(), null, 0)));
  }

  @Test
  void getOrCreate_withAnInvalidNewRow_createsNothing() {
    assertFailsUnchanged(ValidationError.class, () -> writers().getOrCreate(
        Q.of("name", "zed"), () -> new Writer(0, "a name far too long for it")));
  }

  @Test
  void updateOrCreate_updatesTheExistingRow() {
    Map<String, @Nullable Object> changes = new LinkedHashMap<>();
    changes.put("views", 100);
    changes.put("likes", null);
    changes.put("title", "New");
    QuerySet.Obtained<Article> r = articles().updateOrCreate(Q.of("code", "A1"), changes,
        () -> new Article(0, "Unused", 0, null, "A1", w1.id(), null, 0));
    assertFalse(r.created());
    Article expected = new Article(a1.id(), "New", 100, null, "A1", w1.id(), w2.id(), 1.5);
    assertEquals(expected, r.object());
    assertEquals(expected, get(a1));
    assertEquals(4, articles().count());
  }

  @Test
  void updateOrCreate_withAnFExpression() {
    QuerySet.Obtained<Article> r = articles().updateOrCreate(Q.of("code", "A3"),
        Map.of("views", F.of("views").plus(1)),
        () -> new Article(0, "Unused", 0, null, "A3", w1.id(), null, 0));
    assertEquals(6, r.object().views());
  }

  @Test
  void updateOrCreate_createsWhenMissing() {
    QuerySet.Obtained<Article> r = articles().updateOrCreate(Q.of("code", "ZZ"),
        Map.of("views", 1), () -> new Article(0, "Zed", 3, null, "ZZ", w2.id(), null, 0));
    assertTrue(r.created());
    assertEquals(new Article(r.object().id(), "Zed", 3, null, "ZZ", w2.id(), null, 0),
        r.object());
    assertEquals(5, articles().count());
  }

  @Test
  void updateOrCreate_breakingUniqueness_changesNothing() {
    assertFailsUnchanged(IntegrityError.class, () -> articles().updateOrCreate(
        Q.of("code", "A1"), Map.of("code", "A3"),
        () -> new Article(0, "Unused", 0, null, null, w1.id(), null, 0)));
  }

  // ------------------------------------------------------------------ laziness and snapshots

  @Test
  void aChainIsEvaluatedAtItsTerminalOperation_seeingRowsWrittenAfterItWasBuilt() {
    QuerySet<Article> popular = articles().filter("views__gte", 5).orderBy("-views");
    QuerySet<Writer> famous = writers().filter("articles__views__gt", 100);
    QuerySet<Article> titles = articles().filter("views__gte", 5);
    Article a5 = store.create(new Article(0, "New", 50, null, null, w2.id(), null, 0));
    store.delete(a1);
    assertEquals(List.of(a5, a4, a3), popular.list());
    assertEquals(3, titles.count());
    assertTrue(famous.list().isEmpty());
    articles().filter("pk", a4.id()).update("views", 200);
    assertEquals(List.of(w3), famous.list());
    assertEquals(List.of("Gamma", "New", "Apex"), titles.orderBy("-views")
        .valuesListFlat("title").flat());
  }

  @Test
  void anIteratorTakenBeforeAWrite_keepsReturningTheOldRows() {
    Iterator<Article> it = articles().iterator();
    assertEquals(a1, it.next());
    store.create(new Article(0, "New", 1, null, null, w1.id(), null, 0));
    store.delete(a3);
    articles().filter("pk", a2.id()).update("title", "Renamed");
    List<Article> rest = new ArrayList<>();
    it.forEachRemaining(rest::add);
    assertEquals(List.of(a2, a3, a4), rest);
  }

  @Test
  void anOrderedIteratorTakenBeforeAWrite_keepsReturningTheOldRows() {
    Iterator<Article> it = articles().orderBy("-views").iterator();
    assertEquals(a1, it.next());
    store.create(new Article(0, "New", 9, null, null, w1.id(), null, 0));
    store.delete(a4);
    List<Article> rest = new ArrayList<>();
    it.forEachRemaining(rest::add);
    assertEquals(List.of(a4, a3, a2), rest);
  }

  @Test
  void aStreamTakenBeforeAWrite_readsTheOldRows() {
    Stream<Article> stream = articles().filter("writer", w1).stream();
    store.delete(a2);
    store.create(new Article(0, "New", 9, null, null, w1.id(), null, 0));
    assertEquals(List.of(a1, a2), stream.toList());
  }

  @Test
  void anAbandonedIterator_blocksNoWriter() {
    Iterator<Article> it = articles().filter("views__gte", 0).iterator();
    assertEquals(a1, it.next());
    it = null;
    // time-boxed on another thread first, so that a held lock fails the test instead of hanging it
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      store.create(new Note(0, a2.id(), "other thread"));
      articles().update("views", 1);
      store.delete(a4);
    }, "a write on another thread after an iterator was abandoned");
    Note made = store.create(new Note(0, a2.id(), "same thread"));
    assertEquals(made, store.get(Note.class, made.id()));
    assertEquals(List.of(1, 1, 1), views(articles().list()));
  }

  @Test
  void anIteratorHalfWayThrough_blocksNoWriter_andGoesOnWithItsState() {
    Iterator<Article> it = articles().iterator();
    assertEquals(a1, it.next());
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      store.delete(a2);
    }, "a write on another thread while an iterator is open");
    assertEquals(a2, it.next());
    assertEquals(3, articles().count());
  }

  @Test
  void anIteratorOfNoRows_andOfNone() {
    assertFalse(articles().none().iterator().hasNext());
    assertFalse(articles().filter("views__gt", 1000).iterator().hasNext());
    assertEquals(n1, store.objects(Note.class).iterator().next());
  }
}
