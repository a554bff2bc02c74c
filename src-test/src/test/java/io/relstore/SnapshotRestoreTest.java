package io.relstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.blog.Category;
import io.relstore.blog.Comment;
import io.relstore.blog.Post;
import io.relstore.blog.User;
import io.relstore.testing.InvariantsExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
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

  /**
   * Property: after any sequence of writes of every kind (create, bulkCreate, save, update,
   * QuerySet update and delete, cascading, SET_NULL and PROTECT-refused deletes, atomic blocks that
   * commit, fail part-way or fail in a savepoint), restoring any snapshot taken on the way gives
   * back exactly the contents seen when it was taken, passes the invariant checker and keeps the
   * key counters of that moment; and a snapshot never changes, whatever is written later.
   */
  @Test
  void restoringAnySnapshotAfterRandomWritesGivesBackItsContents() {
    int tries = Integer.getInteger("relstore.tries", 25);
    for (int t = 0; t < tries; t++) {
      SplittableRandom r = new SplittableRandom(7_000 + t);
      Store s = Store.builder().add(User.class, Category.class, Post.class, Comment.class).build();
      List<Store> snaps = new ArrayList<>();
      List<Map<Class<?>, List<?>>> seen = new ArrayList<>();
      List<Long> nextUser = new ArrayList<>();
      for (int step = 0; step < 60; step++) {
        if (r.nextInt(6) == 0) {
          snaps.add(s.snapshot());
          seen.add(contents(s));
          nextUser.add(probeNextUserKey(s));
        }
        randomWrite(s, r);
      }
      for (int i = 0; i < snaps.size(); i++) {
        assertEquals(seen.get(i), contents(snaps.get(i)), "try " + t + ": snapshot " + i);
      }
      for (int k = 0; k < 5 && !snaps.isEmpty(); k++) {
        int i = r.nextInt(snaps.size());
        s.restore(snaps.get(i));
        assertEquals(seen.get(i), contents(s), "try " + t + ": restore of snapshot " + i);
        StoreInvariants.check(s);
        assertEquals(nextUser.get(i), probeNextUserKey(s), "try " + t + ": key counter");
        randomWrite(s, r);
      }
    }
  }

  /** The key the next created user would get, found in a dry run that is rolled back. */
  private static long probeNextUserKey(Store s) {
    long[] key = new long[1];
    try {
      s.atomic(() -> {
        key[0] = s.create(new User(0, "probe")).id();
        throw new IllegalStateException("roll back");
      });
    } catch (IllegalStateException expected) {
      // rolled back: nothing kept
    }
    return key[0];
  }

  private static void randomWrite(Store s, SplittableRandom r) {
    List<User> users = s.all(User.class);
    List<Category> cats = s.all(Category.class);
    List<Post> posts = s.all(Post.class);
    try {
      switch (r.nextInt(11)) {
        case 0 -> s.create(new User(0, "u" + r.nextInt(1_000_000)));
        case 1 -> s.bulkCreate(List.of(new Category(0, "C", "c" + r.nextInt(1_000_000)),
            new Category(0, "D", "d" + r.nextInt(1_000_000))));
        case 2 -> {
          if (!users.isEmpty()) {
            User u = users.get(r.nextInt(users.size()));
            Long c = cats.isEmpty() || r.nextBoolean() ? null
                : cats.get(r.nextInt(cats.size())).id();
            s.create(new Post(0, "t" + r.nextInt(100), "x", u.id(), c, null));
          }
        }
        case 3 -> {
          if (!posts.isEmpty() && !users.isEmpty()) {
            s.create(new Comment(0, posts.get(r.nextInt(posts.size())).id(),
                users.get(r.nextInt(users.size())).id(), "hi"));
          }
        }
        case 4 -> {
          if (!users.isEmpty()) {
            User u = users.get(r.nextInt(users.size()));
            s.save(new User(u.id(), u.username() + "!"));
          }
        }
        case 5 -> s.objects(Post.class).filter("title__startswith", "t" + r.nextInt(10))
            .update("title", "renamed");
        case 6 -> {
          if (!users.isEmpty()) {
            s.delete(users.get(r.nextInt(users.size()))); // cascades, or PROTECT refuses
          }
        }
        case 7 -> {
          if (!cats.isEmpty()) {
            s.delete(cats.get(r.nextInt(cats.size()))); // SET_NULL on posts
          }
        }
        case 8 -> s.objects(Comment.class).filter("body", "hi").filter("id__lt", r.nextInt(20))
            .delete();
        case 9 -> s.atomic(() -> {
          s.create(new User(0, "in-txn" + r.nextInt(1_000_000)));
          try {
            s.atomic(() -> {
              s.create(new Category(0, "E", "e" + r.nextInt(1_000_000)));
              throw new IllegalStateException("savepoint fails");
            });
          } catch (IllegalStateException expected) {
            // only the inner block goes
          }
        });
        default -> s.atomic(() -> {
          s.create(new User(0, "doomed" + r.nextInt(1_000_000)));
          throw new IllegalStateException("the whole block fails");
        });
      }
    } catch (StoreException | IllegalStateException refused) {
      // a refused or failed write changes nothing; the contents check covers it
    }
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
