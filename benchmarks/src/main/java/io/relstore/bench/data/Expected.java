package io.relstore.bench.data;

import io.relstore.bench.contender.Contender;
import io.relstore.bench.model.Post;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.eclipse.collections.impl.list.mutable.primitive.LongArrayList;
import org.eclipse.collections.impl.set.mutable.primitive.LongHashSet;

/**
 * The right answers, computed from the generator alone by plain loops over the rows (no index, no
 * contender): every benchmark checks its contender against these in {@code @Setup}, so all
 * contenders give the same answer and a wrong one cannot look fast.
 */
public final class Expected {
  /** The reverse-relation and filter benchmarks use authors with this many posts, give or take 2. */
  public static final int ABOUT = 10;

  private final Blog blog;
  private final int[] postsPerUser;
  private final long[] checksumPerUser;
  private final long[] postsPerCategory;
  private final List<Post> latest;

  private Expected(Blog blog) {
    this.blog = blog;
    this.postsPerUser = new int[blog.users() + 1];
    this.checksumPerUser = new long[blog.users() + 1];
    this.postsPerCategory = new long[Blog.CATEGORIES + 1];
    PriorityQueue<Post> top = new PriorityQueue<>(Contender.LATEST_FIRST.reversed());
    for (long id = 1; id <= blog.posts(); id++) {
      Post p = blog.post(id);
      postsPerUser[(int) p.author()]++;
      checksumPerUser[(int) p.author()] += Contender.checksum(p);
      postsPerCategory[p.category() == null ? 0 : p.category().intValue()]++;
      top.add(p);
      if (top.size() > 10) {
        top.poll();
      }
    }
    List<Post> l = new ArrayList<>(top);
    l.sort(Contender.LATEST_FIRST);
    this.latest = List.copyOf(l);
  }

  public static Expected of(Blog blog) {
    return new Expected(blog);
  }

  /** Keys of the users with {@value #ABOUT} ± 2 posts, in a seeded random order. */
  public long[] usersWithAboutTenPosts() {
    LongArrayList keys = new LongArrayList();
    for (int u = 1; u < postsPerUser.length; u++) {
      if (Math.abs(postsPerUser[u] - ABOUT) <= 2) {
        keys.add(u);
      }
    }
    long[] out = keys.toArray();
    SplittableRandom r = new SplittableRandom(Blog.SEED);
    for (int i = out.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      long t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    if (out.length < 8) {
      throw new IllegalStateException("too few users with about " + ABOUT + " posts: " + out.length);
    }
    return out;
  }

  public int postsOf(long user) {
    return postsPerUser[(int) user];
  }

  /** Sum of {@link Contender#checksum(Post)} over the posts of {@code user}. */
  public long checksumOf(long user) {
    return checksumPerUser[(int) user];
  }

  public long postsInCategory(long category) {
    return postsPerCategory[(int) category];
  }

  /** The {@code k <= 10} latest posts, latest first. */
  public List<Post> latest(int k) {
    return latest.subList(0, k);
  }

  /**
   * The published posts of each author with a rating of at least {@code minRating}, in key order
   * (one pass over the posts).
   */
  public Map<Long, List<Post>> publishedRated(long[] authors, int minRating) {
    LongHashSet wanted = LongHashSet.newSetWith(authors);
    Map<Long, List<Post>> out = new HashMap<>();
    for (long a : authors) {
      out.put(a, new ArrayList<>());
    }
    for (long id = 1; id <= blog.posts(); id++) {
      Post p = blog.post(id);
      if (wanted.contains(p.author()) && Post.PUBLISHED.equals(p.status())
          && p.rating() >= minRating) {
        out.get(p.author()).add(p);
      }
    }
    return out;
  }

  /** Sorted by key, for comparing results of contenders that return another order. */
  public static List<Post> byKey(List<Post> posts) {
    List<Post> l = new ArrayList<>(posts);
    l.sort(Comparator.comparingLong(Post::id));
    return l;
  }
}
