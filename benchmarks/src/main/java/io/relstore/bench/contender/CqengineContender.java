package io.relstore.bench.contender;

import static com.googlecode.cqengine.query.QueryFactory.all;
import static com.googlecode.cqengine.query.QueryFactory.and;
import static com.googlecode.cqengine.query.QueryFactory.applyThresholds;
import static com.googlecode.cqengine.query.QueryFactory.descending;
import static com.googlecode.cqengine.query.QueryFactory.equal;
import static com.googlecode.cqengine.query.QueryFactory.greaterThanOrEqualTo;
import static com.googlecode.cqengine.query.QueryFactory.orderBy;
import static com.googlecode.cqengine.query.QueryFactory.queryOptions;
import static com.googlecode.cqengine.query.QueryFactory.threshold;

import com.googlecode.cqengine.ConcurrentIndexedCollection;
import com.googlecode.cqengine.IndexedCollection;
import com.googlecode.cqengine.attribute.SimpleAttribute;
import com.googlecode.cqengine.attribute.SimpleNullableAttribute;
import com.googlecode.cqengine.index.hash.HashIndex;
import com.googlecode.cqengine.index.navigable.NavigableIndex;
import com.googlecode.cqengine.index.unique.UniqueIndex;
import com.googlecode.cqengine.query.Query;
import com.googlecode.cqengine.query.option.EngineThresholds;
import com.googlecode.cqengine.query.option.QueryOptions;
import com.googlecode.cqengine.resultset.ResultSet;
import io.relstore.bench.model.Category;
import io.relstore.bench.model.Comment;
import io.relstore.bench.model.Post;
import io.relstore.bench.model.Rows;
import io.relstore.bench.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * CQEngine 3.6.0 as its user writes it: one {@link ConcurrentIndexedCollection} per model, a
 * {@link UniqueIndex} on each key and unique field, a {@link HashIndex} on each foreign key, a
 * {@link NavigableIndex} on {@code published}; attributes declared with explicit types (no
 * reflection). CQEngine has no relations: foreign keys are checked and cascades are run by hand,
 * as its user must, with no transaction around them.
 */
final class CqengineContender implements Contender {
  static final SimpleAttribute<User, Long> USER_ID =
      new SimpleAttribute<>(User.class, Long.class, "id") {
        @Override
        public Long getValue(User u, QueryOptions options) {
          return u.id();
        }
      };
  static final SimpleAttribute<User, String> USERNAME =
      new SimpleAttribute<>(User.class, String.class, "username") {
        @Override
        public String getValue(User u, QueryOptions options) {
          return u.username();
        }
      };
  static final SimpleAttribute<Category, Long> CATEGORY_ID =
      new SimpleAttribute<>(Category.class, Long.class, "id") {
        @Override
        public Long getValue(Category c, QueryOptions options) {
          return c.id();
        }
      };
  static final SimpleAttribute<Category, String> CATEGORY_SLUG =
      new SimpleAttribute<>(Category.class, String.class, "slug") {
        @Override
        public String getValue(Category c, QueryOptions options) {
          return c.slug();
        }
      };
  static final SimpleAttribute<Post, Long> POST_ID =
      new SimpleAttribute<>(Post.class, Long.class, "id") {
        @Override
        public Long getValue(Post p, QueryOptions options) {
          return p.id();
        }
      };
  static final SimpleAttribute<Post, Long> POST_AUTHOR =
      new SimpleAttribute<>(Post.class, Long.class, "author") {
        @Override
        public Long getValue(Post p, QueryOptions options) {
          return p.author();
        }
      };
  static final SimpleNullableAttribute<Post, Long> POST_CATEGORY =
      new SimpleNullableAttribute<>(Post.class, Long.class, "category") {
        @Override
        public @Nullable Long getValue(Post p, QueryOptions options) {
          return p.category();
        }
      };
  static final SimpleAttribute<Post, String> POST_STATUS =
      new SimpleAttribute<>(Post.class, String.class, "status") {
        @Override
        public String getValue(Post p, QueryOptions options) {
          return p.status();
        }
      };
  static final SimpleAttribute<Post, Integer> POST_RATING =
      new SimpleAttribute<>(Post.class, Integer.class, "rating") {
        @Override
        public Integer getValue(Post p, QueryOptions options) {
          return p.rating();
        }
      };
  static final SimpleAttribute<Post, Instant> POST_PUBLISHED =
      new SimpleAttribute<>(Post.class, Instant.class, "published") {
        @Override
        public Instant getValue(Post p, QueryOptions options) {
          return p.published();
        }
      };
  static final SimpleAttribute<Comment, Long> COMMENT_ID =
      new SimpleAttribute<>(Comment.class, Long.class, "id") {
        @Override
        public Long getValue(Comment c, QueryOptions options) {
          return c.id();
        }
      };
  static final SimpleAttribute<Comment, Long> COMMENT_POST =
      new SimpleAttribute<>(Comment.class, Long.class, "post") {
        @Override
        public Long getValue(Comment c, QueryOptions options) {
          return c.post();
        }
      };

  private final IndexedCollection<User> users = new ConcurrentIndexedCollection<>();
  private final IndexedCollection<Category> categories = new ConcurrentIndexedCollection<>();
  private final IndexedCollection<Post> posts = new ConcurrentIndexedCollection<>();
  private final IndexedCollection<Comment> comments = new ConcurrentIndexedCollection<>();

  CqengineContender() {
    users.addIndex(UniqueIndex.onAttribute(USER_ID));
    users.addIndex(UniqueIndex.onAttribute(USERNAME));
    categories.addIndex(UniqueIndex.onAttribute(CATEGORY_ID));
    categories.addIndex(UniqueIndex.onAttribute(CATEGORY_SLUG));
    posts.addIndex(UniqueIndex.onAttribute(POST_ID));
    posts.addIndex(HashIndex.onAttribute(POST_AUTHOR));
    posts.addIndex(HashIndex.onAttribute(POST_CATEGORY));
    posts.addIndex(NavigableIndex.onAttribute(POST_PUBLISHED));
    comments.addIndex(UniqueIndex.onAttribute(COMMENT_ID));
    comments.addIndex(HashIndex.onAttribute(COMMENT_POST));
  }

  @Override
  public void insert(Rows rows) {
    users.addAll(rows.users());
    categories.addAll(rows.categories());
    for (Post p : rows.posts()) {
      requireKey(users, USER_ID, p.author(), p);
      Long category = p.category();
      if (category != null) {
        requireKey(categories, CATEGORY_ID, category, p);
      }
    }
    posts.addAll(rows.posts());
    for (Comment c : rows.comments()) {
      requireKey(posts, POST_ID, c.post(), c);
    }
    comments.addAll(rows.comments());
  }

  private static <T> void requireKey(IndexedCollection<T> parents, SimpleAttribute<T, Long> key,
      long value, Object child) {
    try (ResultSet<T> rs = parents.retrieve(equal(key, value))) {
      if (rs.isEmpty()) {
        throw new IllegalStateException("FOREIGN KEY constraint failed: " + child);
      }
    }
  }

  private static <T> @Nullable T first(IndexedCollection<T> collection, Query<T> query) {
    try (ResultSet<T> rs = collection.retrieve(query)) {
      Iterator<T> it = rs.iterator();
      return it.hasNext() ? it.next() : null;
    }
  }

  private static <T> List<T> list(IndexedCollection<T> collection, Query<T> query) {
    try (ResultSet<T> rs = collection.retrieve(query)) {
      List<T> out = new ArrayList<>();
      for (T row : rs) {
        out.add(row);
      }
      return out;
    }
  }

  @Override
  public @Nullable Post post(long id) {
    return first(posts, equal(POST_ID, id));
  }

  @Override
  public @Nullable User author(Post post) {
    return first(users, equal(USER_ID, post.author()));
  }

  @Override
  public long postsChecksum(User author) {
    long sum = 0;
    try (ResultSet<Post> rs = posts.retrieve(equal(POST_AUTHOR, author.id()))) {
      for (Post p : rs) {
        sum += Contender.checksum(p);
      }
    }
    return sum;
  }

  @Override
  public List<Post> publishedRated(long author, int minRating) {
    return list(posts, and(equal(POST_AUTHOR, author), equal(POST_STATUS, Post.PUBLISHED),
        greaterThanOrEqualTo(POST_RATING, minRating)));
  }

  @Override
  public List<Post> publishedRatedScan(long author, int minRating) {
    return posts.stream()
        .filter(p -> p.author() == author && Post.PUBLISHED.equals(p.status())
            && p.rating() >= minRating)
        .toList();
  }

  /** Ordered by the navigable index: CQEngine only does so above this selectivity threshold. */
  @Override
  public List<Post> latest(int k) {
    return firstK(queryOptions(orderBy(descending(POST_PUBLISHED)),
        applyThresholds(threshold(EngineThresholds.INDEX_ORDERING_SELECTIVITY, 1.0))), k);
  }

  /** CQEngine's default ordering: materialise the results and sort them. */
  @Override
  public List<Post> latestFullSort(int k) {
    return firstK(queryOptions(orderBy(descending(POST_PUBLISHED))), k);
  }

  private List<Post> firstK(QueryOptions options, int k) {
    List<Post> out = new ArrayList<>(k);
    try (ResultSet<Post> rs = posts.retrieve(all(Post.class), options)) {
      Iterator<Post> it = rs.iterator();
      while (out.size() < k && it.hasNext()) {
        out.add(it.next());
      }
    }
    return out;
  }

  @Override
  public long countInCategory(long category) {
    try (ResultSet<Post> rs = posts.retrieve(equal(POST_CATEGORY, category))) {
      return rs.size();
    }
  }

  /** CASCADE by hand: comments of each post, the posts, then the user. */
  @Override
  public int deleteUser(User user) {
    List<Post> ps = list(posts, equal(POST_AUTHOR, user.id()));
    int deleted = 0;
    for (Post p : ps) {
      List<Comment> cs = list(comments, equal(COMMENT_POST, p.id()));
      comments.removeAll(cs);
      deleted += cs.size();
    }
    posts.removeAll(ps);
    return deleted + ps.size() + (users.remove(user) ? 1 : 0);
  }

  @Override
  public void deletePosts(List<Post> ps) {
    posts.removeAll(ps);
  }

  @Override
  public long rowCount() {
    return (long) users.size() + categories.size() + posts.size() + comments.size();
  }
}
