package io.relstore.bench.contender;

import io.relstore.bench.model.Post;
import io.relstore.bench.model.Rows;
import io.relstore.bench.model.User;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one small facade every store of a run sits behind (Caffeine's {@code Cache} behind its
 * {@code CacheType}): each benchmark calls only these operations, and {@link Impl} chooses the
 * implementation. Each operation is written the way a competent user of that store would write it:
 * its own query API, its indexes, its way of cascading.
 *
 * <p>Unless {@link Impl#create(boolean)} was asked for a shared instance, a contender is used by one
 * thread at a time.
 */
public interface Contender extends AutoCloseable {

  /** "Latest posts first": {@code ORDER BY published DESC, id}. */
  Comparator<Post> LATEST_FIRST = Comparator.comparing(Post::published).reversed()
      .thenComparingLong(Post::id);

  /** What the reverse-relation benchmark sums over the related rows (reads a field of each row). */
  static long checksum(Post post) {
    return post.id() * 31 + post.rating();
  }

  /**
   * Inserts the rows, parents first, checking primary keys, unique fields and foreign keys; in one
   * transaction where the store has them.
   */
  void insert(Rows rows);

  /** Primary-key get of a post; null if there is none. */
  @Nullable Post post(long id);

  /** Forward foreign key: the author of a post in hand. */
  @Nullable User author(Post post);

  /** Reverse relation: iterates the posts of {@code author}, summing {@link #checksum(Post)}. */
  long postsChecksum(User author);

  /**
   * {@code Post.objects.filter(author=author, status="published", rating__gte=minRating)}: an
   * indexed equality (the author's reverse index) and two residual filters; any order.
   */
  List<Post> publishedRated(long author, int minRating);

  /** The same question answered by a scan of every post, without any index. */
  List<Post> publishedRatedScan(long author, int minRating);

  /** {@code Post.objects.order_by("-published")[:k]}, served by the sorted index. */
  List<Post> latest(int k);

  /** The same answer from a full sort of every post, without the sorted index. */
  List<Post> latestFullSort(int k);

  /** {@code Post.objects.filter(category=category).count()}. */
  long countInCategory(long category);

  /**
   * Deletes a user and, by CASCADE, its posts and their comments. Returns the rows deleted as the
   * store reports them, or -1 when it does not tell.
   */
  int deleteUser(User user);

  /** Deletes posts that have no comments (the undo of a bulk insert). */
  void deletePosts(List<Post> posts);

  /** Rows in all tables. */
  long rowCount();

  @Override
  default void close() {
  }
}
