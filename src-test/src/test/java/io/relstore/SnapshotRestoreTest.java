package io.relstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.blog.Category;
import io.relstore.blog.Comment;
import io.relstore.blog.Post;
import io.relstore.blog.User;
import io.relstore.testing.InvariantsExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** snapshot(), restore() and copy() round trips under every kind of write, and models(). */
class SnapshotRestoreTest {
  Store store = Store.builder().add(User.class, Category.class, Post.class, Comment.class).build();

  private Map<Class<?>, List<?>> contents(Store s) {
    return Map.of(User.class, s.all(User.class), Category.class, s.all(Category.class),
        Post.class, s.all(Post.class), Comment.class, s.all(Comment.class));
  }

  private void seed() {
    User a = store.create(new User(0, "a"));
    User b = store.create(new User(0, "b"));
    Category c = store.create(new Category(0, "C", "c"));
    Post p = store.create(new Post(0, "p", "x", a.id(), c.id(), null));
    store.create(new Comment(0, p.id(), b.id(), "hi"));
  }

  @Test
  void restoreUndoesCreatesUpdatesCascadesSetNullsAndQuerySetUpdates() {
    seed();
    Store snap = store.snapshot();
    Map<Class<?>, List<?>> before = contents(store);
    User c = store.create(new User(0, "c"));
    store.update(new User(c.id(), "c2"));
    store.objects(Post.class).update("title", "changed");
    store.delete(store.get(Category.class, 1));
    store.delete(store.get(User.class, 1));
    store.atomic(() -> store.create(new Category(0, "D", "d")));
    assertTrue(!before.equals(contents(store)));
    store.restore(snap);
    assertEquals(before, contents(store));
    StoreInvariants.check(store);
    assertEquals(3, store.create(new User(0, "again")).id(), "the key counter is restored too");
  }

  @Test
  void aSnapshotStaysOnItsStateAndRefusesWrites() {
    seed();
    Store snap = store.snapshot();
    store.create(new User(0, "later"));
    assertEquals(2, snap.count(User.class));
    assertEquals(3, store.count(User.class));
    assertThrows(StoreException.class, () -> snap.create(new User(0, "x")));
    assertThrows(StoreException.class, () -> store.restore(store));
    assertThrows(StoreException.class, () -> snap.restore(snap));
  }

  @Test
  void aCopyIsIndependentInBothDirections() {
    seed();
    Store copy = InvariantsExtension.track(store.copy());
    copy.create(new User(0, "only in copy"));
    store.delete(store.get(User.class, 1));
    assertEquals(3, copy.count(User.class));
    assertEquals(1, store.count(User.class));
    assertEquals(1, copy.objects(Post.class).count(), "the cascade did not reach the copy");
  }

  @Test
  void restoreFromAnotherStoreIsRefused() {
    Store other = Store.builder().add(User.class, Category.class, Post.class, Comment.class)
        .build();
    StoreException e = assertThrows(StoreException.class, () -> store.restore(other.snapshot()));
    assertTrue(e.getMessage().contains("another store"), e.getMessage());
  }

  @Test
  void modelsDescribeTheSchema() {
    List<ModelInfo> models = store.models();
    assertEquals(List.of("User", "Category", "Post", "Comment"),
        models.stream().map(ModelInfo::name).toList());
    ModelInfo post = models.get(2);
    assertEquals("blog.Post", post.label());
    ModelInfo.FieldInfo author = post.field("author");
    assertEquals(User.class, author.target());
    assertEquals(io.relstore.annotation.OnDelete.CASCADE, author.onDelete());
    assertEquals(200, post.field("title").maxLength());
    assertTrue(post.field("category").nullable());
    assertTrue(post.field("createdAt").automatic());
    assertTrue(models.get(1).field("slug").slug() && models.get(1).field("slug").unique());
  }
}
