package io.relstore.bench.data;

import io.relstore.bench.model.Category;
import io.relstore.bench.model.Comment;
import io.relstore.bench.model.Post;
import io.relstore.bench.model.Rows;
import io.relstore.bench.model.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Django's blog, generated deterministically: every contender of a run, in every fork, loads the
 * same rows, and every benchmark can compute the right answer from the generator alone.
 *
 * <p>Shape for a size of {@code N} posts (the {@code size} parameter of the benchmarks):
 *
 * <ul>
 *   <li><b>auth.User</b>: {@code N / 10} users (at least 10), {@code username = "user<id>"}: about
 *       10 posts per user on average.
 *   <li><b>blog.Category</b>: {@value #CATEGORIES} categories, unique slugs.
 *   <li><b>blog.Post</b>: {@code N} posts. The author follows a Zipf distribution over users (the
 *       user of rank {@code r} has weight {@code 1/r^}{@value #ZIPF_EXPONENT}); ranks are mapped to
 *       user keys by a seeded permutation, so the prolific authors are scattered over the key range.
 *       At 1M posts the top author has ~80k posts, ~10 % of users have none, and a few thousand
 *       have about 10. Category uniform, 1 post in 20 uncategorised (null); status "published" 4 in
 *       5, else "draft"; rating uniform in 1..5; {@code published} a distinct instant per key (a
 *       bijective scramble of the key, in seconds), so ordering by it has no ties and is unrelated
 *       to key order. Title about 25 characters.
 *   <li><b>blog.Comment</b>: {@code N} comments, each on a uniformly drawn post; loaded only by
 *       the benchmarks that reach them ({@link Tables}).
 * </ul>
 *
 * <p>Every row is a pure function of the seed, {@code N} and its key ({@link #post(long)} needs no
 * stored state but the Zipf table), so a contender loads a stream of chunks and a reference answer
 * is computed by streaming again. Rows beyond the data set take keys above it: posts {@code N+1 ..
 * N+}{@value #BULK_ROWS} for the bulk insert, then blocks for the delete victims.
 */
public final class Blog {
  public static final long SEED = 0x5EED_B106L;
  public static final int CATEGORIES = 20;
  public static final double ZIPF_EXPONENT = 1.0;
  public static final int POSTS_PER_USER = 10;
  /** Rows of the bulk-insert benchmark: posts {@code N+1 .. N+BULK_ROWS}. */
  public static final int BULK_ROWS = 100_000;
  /** Posts per delete victim, and comments per victim post in the two-level victim. */
  public static final int VICTIM_CHILDREN = 100;
  public static final int VICTIM_GRANDCHILDREN_PER_CHILD = 10;
  /** The loading chunk: rows inserted per {@code insert} call while loading. */
  private static final int CHUNK = 20_000;
  private static final Instant EPOCH = Instant.parse("1990-01-01T00:00:00Z");
  private static final long PRIME = 2_147_483_647L;  // 2^31 - 1
  private static final long SCRAMBLE = 1_103_515_245L;
  private static final String[] WORDS = {"Django", "models", "queries", "relations", "cascades",
      "indexes", "records", "deletes", "joins", "caching", "testing", "Java", "streams", "heaps",
      "trees", "maps"};

  private final int posts;
  private final int users;
  private final double[] zipfCdf;
  private final int[] userOfRank;

  private Blog(int posts) {
    if (posts < 100 || posts >= PRIME / 2) {
      throw new IllegalArgumentException("size out of range: " + posts);
    }
    this.posts = posts;
    this.users = Math.max(10, posts / POSTS_PER_USER);
    this.zipfCdf = zipfCdf(users);
    this.userOfRank = permutation(users, new SplittableRandom(SEED));
  }

  /** The blog with {@code posts} posts. */
  public static Blog of(int posts) {
    return new Blog(posts);
  }

  public int posts() {
    return posts;
  }

  public int users() {
    return users;
  }

  public int comments() {
    return posts;
  }

  // ---------------------------------------------------------------- rows

  public User user(long id) {
    return new User(id, "user" + id);
  }

  public Category category(long id) {
    return new Category(id, "Category " + id, "category-" + id);
  }

  /** Post {@code id}: defined for every positive key, also above the data set. */
  public Post post(long id) {
    return post(id, authorOf(rng(1, id).nextDouble()));
  }

  private Post post(long id, long author) {
    SplittableRandom r = rng(2, id);
    Long category = r.nextInt(20) == 0 ? null : Long.valueOf(1 + r.nextInt(CATEGORIES));
    String title = WORDS[r.nextInt(WORDS.length)] + " and " + WORDS[r.nextInt(WORDS.length)]
        + " #" + id;
    String status = r.nextInt(5) == 0 ? Post.DRAFT : Post.PUBLISHED;
    int rating = 1 + r.nextInt(5);
    return new Post(id, author, category, title, status, rating, published(id));
  }

  /** A distinct instant per key below 2^31 (multiplication modulo a prime is a bijection). */
  private static Instant published(long id) {
    return EPOCH.plusSeconds(id * SCRAMBLE % PRIME);
  }

  public Comment comment(long id) {
    SplittableRandom r = rng(3, id);
    return comment(id, 1 + r.nextInt(posts), r);
  }

  private static Comment comment(long id, long post, SplittableRandom r) {
    return new Comment(id, post, "reader" + r.nextInt(10_000), "Comment " + id + " on " + post);
  }

  private static SplittableRandom rng(long table, long id) {
    return new SplittableRandom(SEED ^ (table << 56) ^ (id * 0x9E37_79B9_7F4A_7C15L));
  }

  private long authorOf(double u) {
    int lo = 0;
    int hi = users - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (zipfCdf[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return 1 + userOfRank[lo];
  }

  private static double[] zipfCdf(int n) {
    double[] cdf = new double[n];
    double sum = 0;
    for (int r = 0; r < n; r++) {
      sum += 1 / Math.pow(r + 1, ZIPF_EXPONENT);
      cdf[r] = sum;
    }
    for (int r = 0; r < n; r++) {
      cdf[r] /= sum;
    }
    cdf[n - 1] = 1.0;
    return cdf;
  }

  private static int[] permutation(int n, SplittableRandom r) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  // ---------------------------------------------------------------- loading

  /** What to load: the whole blog, or users, categories and posts only (the heap benchmark). */
  public enum Tables {
    ALL, WITHOUT_COMMENTS
  }

  /** Loads the data set into {@code sink} in chunks, parents before children. */
  public void loadInto(java.util.function.Consumer<Rows> sink, Tables tables) {
    List<User> us = new ArrayList<>();
    for (long id = 1; id <= users; id++) {
      us.add(user(id));
    }
    List<Category> cs = new ArrayList<>();
    for (long id = 1; id <= CATEGORIES; id++) {
      cs.add(category(id));
    }
    sink.accept(new Rows(us, cs, List.of(), List.of()));
    for (long from = 1; from <= posts; from += CHUNK) {
      List<Post> ps = new ArrayList<>(CHUNK);
      for (long id = from; id < from + CHUNK && id <= posts; id++) {
        ps.add(post(id));
      }
      sink.accept(Rows.ofPosts(ps));
    }
    if (tables == Tables.ALL) {
      for (long from = 1; from <= comments(); from += CHUNK) {
        List<Comment> ms = new ArrayList<>(CHUNK);
        for (long id = from; id < from + CHUNK && id <= comments(); id++) {
          ms.add(comment(id));
        }
        sink.accept(new Rows(List.of(), List.of(), List.of(), ms));
      }
    }
  }

  /** Rows in the data set as loaded with {@code tables}. */
  public long rowCount(Tables tables) {
    return users + CATEGORIES + posts + (tables == Tables.ALL ? comments() : 0);
  }

  // ---------------------------------------------------------------- rows beyond the data set

  /** The posts of the bulk-insert benchmark: keys {@code N+1 .. N+count}, existing authors. */
  public List<Post> newPosts(int count) {
    if (count > BULK_ROWS) {
      throw new IllegalArgumentException("at most " + BULK_ROWS + " new posts");
    }
    List<Post> out = new ArrayList<>(count);
    for (long id = posts + 1L; id <= posts + (long) count; id++) {
      out.add(post(id));
    }
    return out;
  }

  /**
   * Delete victim {@code k}: a new user with {@value #VICTIM_CHILDREN} posts, each with {@code
   * commentsPerPost} comments, on keys above the data set (and above the bulk-insert keys). Its rows
   * reference nothing of the data set but categories, so deleting it and inserting it again
   * restores the data set exactly.
   */
  public Victim victim(int k, int commentsPerPost) {
    User user = new User(users + 1L + k, "victim" + k);
    long firstPost = posts + BULK_ROWS + 1L + (long) k * VICTIM_CHILDREN;
    long firstComment = comments() + 1L + (long) k * VICTIM_CHILDREN * commentsPerPost;
    List<Post> ps = new ArrayList<>();
    List<Comment> ms = new ArrayList<>();
    for (int i = 0; i < VICTIM_CHILDREN; i++) {
      Post p = post(firstPost + i, user.id());
      ps.add(p);
      for (int j = 0; j < commentsPerPost; j++) {
        long id = firstComment + (long) i * commentsPerPost + j;
        ms.add(comment(id, p.id(), rng(3, id)));
      }
    }
    return new Victim(user, new Rows(List.of(user), List.of(), ps, ms));
  }

  /** A user to delete with everything it reaches, and those rows to insert again. */
  public record Victim(User user, Rows rows) {
    public int deletedRows() {
      return rows.size();
    }
  }
}
