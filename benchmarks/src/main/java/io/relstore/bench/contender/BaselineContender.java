package io.relstore.bench.contender;

import io.relstore.bench.model.Category;
import io.relstore.bench.model.Comment;
import io.relstore.bench.model.Post;
import io.relstore.bench.model.Rows;
import io.relstore.bench.model.User;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.collections.api.iterator.LongIterator;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;
import org.jspecify.annotations.Nullable;

/**
 * The practical floor: what a programmer writes by hand for exactly these tables and queries, with
 * eclipse-collections primitive maps. Per model a {@code LongObjectHashMap} from key to row; per
 * foreign key a reverse map from parent key to a {@code LongHashSet} of child keys; a {@code
 * HashMap} per unique field; a {@code TreeSet} ordered by ({@code published}, key) as the sorted
 * index. Inserts check keys, unique fields and foreign keys; a delete cascades by walking the reverse
 * maps. No transactions, no snapshots, no validation beyond that; not thread-safe.
 */
final class BaselineContender implements Contender {
  private static final LongHashSet NONE = new LongHashSet();

  private final LongObjectHashMap<User> users = new LongObjectHashMap<>();
  private final Map<String, User> usernames = new HashMap<>();
  private final LongObjectHashMap<Category> categories = new LongObjectHashMap<>();
  private final Map<String, Category> slugs = new HashMap<>();
  private final LongObjectHashMap<Post> posts = new LongObjectHashMap<>();
  private final LongObjectHashMap<LongHashSet> postsByAuthor = new LongObjectHashMap<>();
  private final LongObjectHashMap<LongHashSet> postsByCategory = new LongObjectHashMap<>();
  private final TreeSet<Post> postsByPublished = new TreeSet<>(
      Contender.LATEST_FIRST.reversed());
  private final LongObjectHashMap<Comment> comments = new LongObjectHashMap<>();
  private final LongObjectHashMap<LongHashSet> commentsByPost = new LongObjectHashMap<>();

  @Override
  public void insert(Rows rows) {
    for (User u : rows.users()) {
      insertUser(u);
    }
    for (Category c : rows.categories()) {
      insertCategory(c);
    }
    for (Post p : rows.posts()) {
      insertPost(p);
    }
    for (Comment c : rows.comments()) {
      insertComment(c);
    }
  }

  private void insertUser(User u) {
    requireNew(users.containsKey(u.id()) || usernames.containsKey(u.username()), u);
    users.put(u.id(), u);
    usernames.put(u.username(), u);
  }

  private void insertCategory(Category c) {
    requireNew(categories.containsKey(c.id()) || slugs.containsKey(c.slug()), c);
    categories.put(c.id(), c);
    slugs.put(c.slug(), c);
  }

  private void insertPost(Post p) {
    requireNew(posts.containsKey(p.id()), p);
    requireParent(users.containsKey(p.author()), p);
    Long category = p.category();
    requireParent(category == null || categories.containsKey(category), p);
    posts.put(p.id(), p);
    children(postsByAuthor, p.author()).add(p.id());
    if (category != null) {
      children(postsByCategory, category).add(p.id());
    }
    postsByPublished.add(p);
  }

  private void insertComment(Comment c) {
    requireNew(comments.containsKey(c.id()), c);
    requireParent(posts.containsKey(c.post()), c);
    comments.put(c.id(), c);
    children(commentsByPost, c.post()).add(c.id());
  }

  private static LongHashSet children(LongObjectHashMap<LongHashSet> index, long parent) {
    LongHashSet set = index.get(parent);
    if (set == null) {
      set = new LongHashSet();
      index.put(parent, set);
    }
    return set;
  }

  private static LongHashSet childrenOf(LongObjectHashMap<LongHashSet> index, long parent) {
    LongHashSet set = index.get(parent);
    return set == null ? NONE : set;
  }

  private static void requireNew(boolean taken, Object row) {
    if (taken) {
      throw new IllegalStateException("UNIQUE constraint failed: " + row);
    }
  }

  private static void requireParent(boolean present, Object row) {
    if (!present) {
      throw new IllegalStateException("FOREIGN KEY constraint failed: " + row);
    }
  }

  @Override
  public @Nullable Post post(long id) {
    return posts.get(id);
  }

  @Override
  public @Nullable User author(Post post) {
    return users.get(post.author());
  }

  @Override
  public long postsChecksum(User author) {
    long sum = 0;
    LongIterator it = childrenOf(postsByAuthor, author.id()).longIterator();
    while (it.hasNext()) {
      sum += Contender.checksum(posts.get(it.next()));
    }
    return sum;
  }

  @Override
  public List<Post> publishedRated(long author, int minRating) {
    List<Post> out = new ArrayList<>();
    LongIterator it = childrenOf(postsByAuthor, author).longIterator();
    while (it.hasNext()) {
      Post p = posts.get(it.next());
      if (Post.PUBLISHED.equals(p.status()) && p.rating() >= minRating) {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public List<Post> publishedRatedScan(long author, int minRating) {
    List<Post> out = new ArrayList<>();
    for (Post p : posts.values()) {
      if (p.author() == author && Post.PUBLISHED.equals(p.status()) && p.rating() >= minRating) {
        out.add(p);
      }
    }
    return out;
  }

  @Override
  public List<Post> latest(int k) {
    List<Post> out = new ArrayList<>(k);
    Iterator<Post> it = postsByPublished.descendingIterator();
    while (out.size() < k && it.hasNext()) {
      out.add(it.next());
    }
    return out;
  }

  @Override
  public List<Post> latestFullSort(int k) {
    Post[] all = posts.values().toArray(new Post[0]);
    java.util.Arrays.sort(all, Contender.LATEST_FIRST);
    return List.copyOf(java.util.Arrays.asList(all).subList(0, Math.min(k, all.length)));
  }

  @Override
  public long countInCategory(long category) {
    return childrenOf(postsByCategory, category).size();
  }

  @Override
  public int deleteUser(User user) {
    if (users.remove(user.id()) == null) {
      return 0;
    }
    usernames.remove(user.username());
    int deleted = 1;
    LongHashSet ps = postsByAuthor.remove(user.id());
    if (ps != null) {
      LongIterator it = ps.longIterator();
      while (it.hasNext()) {
        deleted += deletePost(it.next(), false);
      }
    }
    return deleted;
  }

  /** Deletes a post and its comments; {@code unlinkAuthor} unless the author's set is gone. */
  private int deletePost(long id, boolean unlinkAuthor) {
    Post p = posts.remove(id);
    if (p == null) {
      return 0;
    }
    if (unlinkAuthor) {
      unlink(postsByAuthor, p.author(), id);
    }
    Long category = p.category();
    if (category != null) {
      unlink(postsByCategory, category, id);
    }
    postsByPublished.remove(p);
    int deleted = 1;
    LongHashSet cs = commentsByPost.remove(id);
    if (cs != null) {
      LongIterator it = cs.longIterator();
      while (it.hasNext()) {
        comments.remove(it.next());
        deleted++;
      }
    }
    return deleted;
  }

  private static void unlink(LongObjectHashMap<LongHashSet> index, long parent, long child) {
    LongHashSet set = index.get(parent);
    set.remove(child);
    if (set.isEmpty()) {
      index.remove(parent);
    }
  }

  @Override
  public void deletePosts(List<Post> ps) {
    for (Post p : ps) {
      deletePost(p.id(), true);
    }
  }

  @Override
  public long rowCount() {
    return (long) users.size() + categories.size() + posts.size() + comments.size();
  }
}
