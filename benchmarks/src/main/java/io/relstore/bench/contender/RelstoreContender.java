package io.relstore.bench.contender;

import io.relstore.Param;
import io.relstore.QuerySet;
import io.relstore.Store;
import io.relstore.bench.model.Category;
import io.relstore.bench.model.Comment;
import io.relstore.bench.model.Post;
import io.relstore.bench.model.Post_;
import io.relstore.bench.model.Rows;
import io.relstore.bench.model.User;
import io.relstore.bench.model.User_;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * relstore as its user writes it: the blog models are annotated records (the foreign keys get
 * reverse indexes, {@code @Unique} a unique index, {@code @Indexed(sorted = true)} the sorted index
 * on {@code published}); gets, follows and reverse relations through the typed metamodel; queries
 * as QuerySets prepared once with {@link Param} placeholders and bound per call (relstore's
 * prepared statement); deletes cascade by the models' {@code on_delete}.
 */
final class RelstoreContender implements Contender {
  private final Store store = Store.builder()
      .add(User.class, Category.class, Post.class, Comment.class)
      .build();
  private final QuerySet<Post> publishedRated = store.objects(Post.class)
      .filter("author", Param.of("author"))
      .filter("status", Post.PUBLISHED)
      .filter("rating__gte", Param.of("minRating"));
  private final QuerySet<Post> latest = store.objects(Post.class).orderBy("-published");
  private final QuerySet<Post> inCategory = store.objects(Post.class)
      .filter("category", Param.of("category"));

  @Override
  public void insert(Rows rows) {
    List<Record> all = new ArrayList<>(rows.size());
    all.addAll(rows.users());
    all.addAll(rows.categories());
    all.addAll(rows.posts());
    all.addAll(rows.comments());
    store.bulkCreate(all);
  }

  @Override
  public @Nullable Post post(long id) {
    return store.getOrNull(Post.class, id);
  }

  @Override
  public @Nullable User author(Post post) {
    return store.follow(post, Post_.author);
  }

  @Override
  public long postsChecksum(User author) {
    long sum = 0;
    for (Post p : store.related(author, User_.posts)) {
      sum += Contender.checksum(p);
    }
    return sum;
  }

  @Override
  public List<Post> publishedRated(long author, int minRating) {
    return publishedRated.bind(Map.of("author", author, "minRating", minRating)).list();
  }

  @Override
  public List<Post> publishedRatedScan(long author, int minRating) {
    return store.objects(Post.class).stream()
        .filter(p -> p.author() == author && Post.PUBLISHED.equals(p.status())
            && p.rating() >= minRating)
        .toList();
  }

  @Override
  public List<Post> latest(int k) {
    return latest.limit(k).list();
  }

  @Override
  public List<Post> latestFullSort(int k) {
    return store.objects(Post.class).stream().sorted(LATEST_FIRST).limit(k).toList();
  }

  @Override
  public long countInCategory(long category) {
    return inCategory.bind("category", category).count();
  }

  @Override
  public int deleteUser(User user) {
    return store.delete(user).total();
  }

  @Override
  public void deletePosts(List<Post> posts) {
    long[] keys = new long[posts.size()];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = posts.get(i).id();
    }
    store.deleteAll(Post.class, keys);
  }

  @Override
  public long rowCount() {
    return (long) store.count(User.class) + store.count(Category.class) + store.count(Post.class)
        + store.count(Comment.class);
  }
}
