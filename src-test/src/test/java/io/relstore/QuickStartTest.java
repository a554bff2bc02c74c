package io.relstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.blog.Category;
import io.relstore.blog.Comment;
import io.relstore.blog.Post;
import io.relstore.blog.Post_;
import io.relstore.blog.User;
import io.relstore.blog.User_;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's quick start, compiled and run: if this fails, the README lies. */
class QuickStartTest {
  Store store;

  @Test
  void quickStart() {
    // --- quick start (README) ---
    store = Store.builder()
        .add(User.class, Category.class, Post.class, Comment.class)
        .build();

    User alice = store.create(new User(0, "alice"));
    User bob = store.create(new User(0, "bob"));
    Category django = store.create(new Category(0, "Django", "django"));
    Post hello = store.create(new Post(0, "Hello", "First post", alice.id(), django.id(), null));
    Post more = store.create(new Post(0, "More", "Second post", alice.id(), null, null));
    store.create(new Comment(0, hello.id(), bob.id(), "Nice!"));

    User author = store.follow(hello, Post_.author);             // forward: post -> its author
    RelatedSet<Post> posts = store.related(alice, User_.posts);   // reverse: a live view
    int count = posts.count();                                    // O(1)
    List<Post> listed = posts.list();                             // in primary-key order

    DeleteResult deleted = store.delete(alice);  // CASCADE: her posts, and their comments
    // -> (4, {"blog.Comment": 1, "blog.Post": 2, "blog.User": 1})

    ProtectedError refused = assertThrows(ProtectedError.class, () -> {
      User carol = store.create(new User(0, "carol"));
      Post p = store.create(new Post(0, "Hi", "...", carol.id(), null, null));
      store.create(new Comment(0, p.id(), bob.id(), "PROTECT keeps bob"));
      store.delete(bob);                         // bob's comment PROTECTs him
    });
    // --- end of quick start ---

    assertEquals(alice, author);
    assertEquals(2, count);
    assertEquals(List.of(hello, more), listed);
    assertEquals(4, deleted.total());
    assertEquals(1, deleted.count("blog.User"));
    assertEquals(2, deleted.count("blog.Post"));
    assertEquals(1, deleted.count("blog.Comment"));
    assertEquals(0, posts.count(), "the live view follows the delete");
    assertNull(store.getOrNull(Post.class, hello.id()));
    assertEquals(List.of("'Comment.author'"), refused.keys());
    assertTrue(refused.getMessage().startsWith("Cannot delete some instances of model 'User'"
        + " because they are referenced through protected foreign keys: 'Comment.author'."),
        refused.getMessage());
    assertEquals(1, store.count(User.class) - 1, "carol's create committed; bob is kept");
    assertTrue(store.find(User.class, bob.id()).isPresent());
  }
}
