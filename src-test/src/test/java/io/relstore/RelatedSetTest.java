package io.relstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.blog.Category;
import io.relstore.blog.Comment;
import io.relstore.blog.Post;
import io.relstore.blog.Post_;
import io.relstore.blog.User;
import io.relstore.blog.User_;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Forward follows and reverse relations: live views that never go stale. */
class RelatedSetTest {
  Store store = Store.builder().add(User.class, Category.class, Post.class, Comment.class).build();
  User alice = store.create(new User(0, "alice"));
  User bob = store.create(new User(0, "bob"));

  private Post post(String title, User author) {
    return store.create(new Post(0, title, "...", author.id(), null, null));
  }

  @Test
  void theReverseViewFollowsEveryWriteToTheForeignKey() {
    RelatedSet<Post> posts = store.related(alice, User_.posts);
    assertEquals(0, posts.count());
    Post a = post("a", alice);
    Post b = post("b", alice);
    assertEquals(List.of(a, b), posts.list());
    Post moved = store.update(new Post(b.id(), b.title(), b.content(), bob.id(), null,
        b.createdAt()));
    assertEquals(List.of(a), posts.list(), "re-pointing b to bob removes it from alice's view");
    assertEquals(List.of(moved), store.related(bob, "posts").list());
    store.delete(a);
    assertTrue(posts.isEmpty());
    assertFalse(posts.contains(a));
  }

  @Test
  void anIteratorKeepsTheStateItWasMadeOn() {
    Post a = post("a", alice);
    RelatedSet<Post> posts = store.related(alice, User_.posts);
    Iterator<Post> it = posts.iterator();
    post("b", alice);
    assertEquals(a, it.next());
    assertFalse(it.hasNext(), "made before b existed");
    assertEquals(2, posts.count(), "the view itself is live");
  }

  @Test
  void allGivesAQuerySetOverTheRelatedRows() {
    post("apple", alice);
    Post banana = post("banana", alice);
    post("cherry", bob);
    QuerySet<Post> mine = store.related(alice, User_.posts).all();
    assertEquals(List.of(banana), mine.filter("title__startswith", "b").list());
    assertEquals(2, mine.count());
  }

  @Test
  void followReturnsTheParentOrNullForANullKey() {
    Category c = store.create(new Category(0, "Django", "django"));
    Post p = store.create(new Post(0, "t", "...", alice.id(), c.id(), null));
    Post q = post("u", alice);
    assertEquals(alice, store.follow(p, Post_.author));
    assertEquals(c, store.follow(p, Post_.category));
    assertNull(store.follow(q, Post_.category));
    assertEquals(c, store.follow(p, "category"));
  }
}
