package io.relstore.testkit;

import static io.relstore.annotation.OnDelete.CASCADE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.relstore.Store;
import io.relstore.annotation.Char;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import org.junit.jupiter.params.ParameterizedTest;

/** The README's testkit example, compiled and run: if this fails, the README lies. */
class ReadmeExampleTest {
  // --- testkit example (README) ---
  record Author(@Id long id, @Char(maxLength = 50) String name) {
  }

  record Book(@Id long id, @Char(maxLength = 100) String title,
      @ForeignKey(to = Author.class, onDelete = CASCADE, relatedName = "books") long author) {
  }

  /** The schema under test: how to build an empty store, and how to draw data for it. */
  public static final class Library implements DatasetSchema {
    @Override
    public Store newStore() {
      return Store.builder().add(Author.class, Book.class).build();
    }

    @Override
    public DatasetGenerator configure(DatasetGenerator g) {
      return g.size(Author.class, 1, 5).size(Book.class, 0, 20);
    }
  }

  /** Property: deleting an author deletes exactly their books, nothing else. */
  @ParameterizedTest
  @DatasetSource(schema = Library.class, seeds = 50)
  void deletingAnAuthorDeletesExactlyTheirBooks(Dataset data) {
    Store store = data.loadInto(new Library().newStore());
    Author author = data.rows(Author.class).get(0);
    long theirs = data.rows(Book.class).stream().filter(b -> b.author() == author.id()).count();
    var result = store.delete(author);
    assertEquals(1 + theirs, result.total());
    assertEquals(data.rows(Book.class).size() - theirs, store.count(Book.class));
  }
  // --- end of testkit example ---
}
