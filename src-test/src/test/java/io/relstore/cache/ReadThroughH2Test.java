package io.relstore.cache;

import static io.relstore.annotation.OnDelete.CASCADE;
import static io.relstore.annotation.OnDelete.DO_NOTHING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.relstore.CacheStats;
import io.relstore.Store;
import io.relstore.StoreException;
import io.relstore.StoreInvariants;
import io.relstore.ValidationError;
import io.relstore.annotation.Char;
import io.relstore.annotation.ForeignKey;
import io.relstore.annotation.Id;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relational cache in front of a database: an H2 in-memory database holds users, posts and
 * comments; relstore models read them through per-model loaders ({@code loader} for users and
 * comments, {@code bulkLoader} for posts) issuing JDBC queries, which the test counts. A miss on a
 * get by key or on a forward follow loads the row and the parents it lacks, parents first, in one
 * transaction; later reads are hits that issue no query; a bounded or expiring table evicts and
 * reloads transparently; a loader that fails, or returns another row than the one asked for, is a
 * {@link StoreException} that changes nothing.
 */
class ReadThroughH2Test {
  record User(@Id long id, @Char(maxLength = 30) String username) {
  }

  record Post(@Id long id,
      @ForeignKey(to = User.class, onDelete = CASCADE, relatedName = "posts") long author,
      @Char(maxLength = 200) String title) {
  }

  /** The post owns its comments; the commenting user does not (an unconstrained reference). */
  record Comment(@Id long id,
      @ForeignKey(to = Post.class, onDelete = CASCADE, relatedName = "comments") long post,
      @ForeignKey(to = User.class, onDelete = DO_NOTHING, dbConstraint = false,
          relatedName = "comments") long author,
      @Char(maxLength = 200) String body) {
  }

  /** Local only, not in the database: a bookmark of a comment, which loads when followed. */
  record Bookmark(@Id long id,
      @ForeignKey(to = Comment.class, onDelete = DO_NOTHING, dbConstraint = false,
          relatedName = "bookmarks") long comment) {
  }

  static final AtomicInteger DATABASES = new AtomicInteger();
  static final int FIRST_POST = 10;
  static final int POSTS = 20;

  /** The database side: JDBC queries, counted per table. */
  static final class Database implements AutoCloseable {
    final Connection c;
    final Map<String, Integer> queries = new LinkedHashMap<>();

    Database() throws SQLException {
      c = DriverManager.getConnection("jdbc:h2:mem:readthrough" + DATABASES.incrementAndGet());
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE users (id BIGINT PRIMARY KEY, username VARCHAR(30) NOT NULL)");
        s.execute("CREATE TABLE posts (id BIGINT PRIMARY KEY,"
            + " author_id BIGINT NOT NULL REFERENCES users(id), title VARCHAR(200) NOT NULL)");
        s.execute("CREATE TABLE comments (id BIGINT PRIMARY KEY,"
            + " post_id BIGINT NOT NULL REFERENCES posts(id),"
            + " author_id BIGINT NOT NULL REFERENCES users(id), body VARCHAR(1000) NOT NULL)");
        s.execute("INSERT INTO users VALUES (1, 'alice'), (2, 'bob'), (3, 'carol'), (4, 'dave')");
        for (int p = FIRST_POST; p < FIRST_POST + POSTS; p++) {
          s.execute("INSERT INTO posts VALUES (" + p + ", " + (p % 2 == 0 ? 1 : 2) + ", 'post "
              + p + "')");
        }
        s.execute("INSERT INTO comments VALUES (100, 10, 2, 'bob on alice''s post'),"
            + " (101, 10, 3, 'carol on alice''s post'), (102, 11, 1, 'alice on bob''s post'),"
            + " (103, 12, 4, '" + "x".repeat(300) + "')");
      }
    }

    int count(String table) {
      return queries.getOrDefault(table, 0);
    }

    int total() {
      int n = 0;
      for (int q : queries.values()) {
        n += q;
      }
      return n;
    }

    private ResultSet query(String table, String sql, Object... params) throws SQLException {
      queries.merge(table, 1, Integer::sum);
      PreparedStatement s = c.prepareStatement(sql);
      for (int i = 0; i < params.length; i++) {
        s.setObject(i + 1, params[i]);
      }
      s.closeOnCompletion();
      return s.executeQuery();
    }

    Optional<User> user(long id) {
      try (ResultSet r = query("users", "SELECT id, username FROM users WHERE id = ?", id)) {
        return r.next() ? Optional.of(new User(r.getLong(1), r.getString(2))) : Optional.empty();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    Map<Long, Post> posts(Collection<Long> ids) {
      Map<Long, Post> out = new LinkedHashMap<>();
      try (ResultSet r = query("posts", "SELECT id, author_id, title FROM posts"
          + " WHERE id = ANY(?) ORDER BY id", (Object) ids.toArray(new Long[0]))) {
        while (r.next()) {
          out.put(r.getLong(1), new Post(r.getLong(1), r.getLong(2), r.getString(3)));
        }
        return out;
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    Optional<Comment> comment(long id) {
      try (ResultSet r = query("comments",
          "SELECT id, post_id, author_id, body FROM comments WHERE id = ?", id)) {
        return r.next()
            ? Optional.of(new Comment(r.getLong(1), r.getLong(2), r.getLong(3), r.getString(4)))
            : Optional.empty();
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    void execute(String sql) throws SQLException {
      try (Statement s = c.createStatement()) {
        s.execute(sql);
      }
    }

    @Override
    public void close() throws SQLException {
      c.close();
    }
  }

  final ManualTicker ticker = new ManualTicker();
  Database db;
  Store store;

  @BeforeEach
  void openDatabase() throws SQLException {
    db = new Database();
  }

  @AfterEach
  void closeDatabase() throws SQLException {
    db.close();
  }

  /** Users, posts and comments read through from the database; posts configured by the test. */
  private Store cache(UnaryOperator<io.relstore.ModelConfig<Post>> posts) {
    store = Store.builder().ticker(ticker).cacheExecutor(Runnable::run)
        .add(User.class, m -> m.loader(db::user))
        .add(Post.class, m -> posts.apply(m.bulkLoader(db::posts)))
        .add(Comment.class, m -> m.loader(db::comment))
        .add(Bookmark.class)
        .build();
    return store;
  }

  private Store cache() {
    return cache(m -> m);
  }

  /** Every row of every model: compared with equals to show that nothing changed. */
  private Map<Class<?>, List<?>> snapshot() {
    Map<Class<?>, List<?>> out = new LinkedHashMap<>();
    out.put(User.class, store.all(User.class));
    out.put(Post.class, store.all(Post.class));
    out.put(Comment.class, store.all(Comment.class));
    out.put(Bookmark.class, store.all(Bookmark.class));
    return out;
  }

  // ------------------------------------------------------------------ loading with missing parents

  @Test
  void aGetByKeyLoadsTheRowAndItsMissingParentsAndLaterReadsAreHits() {
    cache();
    Comment c = store.get(Comment.class, 100);
    assertEquals(new Comment(100, 10, 2, "bob on alice's post"), c);
    assertEquals(List.of(new User(1, "alice"), new User(2, "bob")), store.all(User.class),
        "the post's author and the comment's author, loaded as parents");
    assertEquals(List.of(new Post(10, 1, "post 10")), store.all(Post.class));
    assertEquals(Map.of("comments", 1, "posts", 1, "users", 2), db.queries);
    StoreInvariants.check(store);

    assertEquals(c, store.get(Comment.class, 100));
    Post post = store.follow(c, ReadThroughH2Test_Comment_.post);
    assertEquals(new Post(10, 1, "post 10"), post);
    assertEquals(new User(1, "alice"), store.follow(post, ReadThroughH2Test_Post_.author));
    assertEquals(new User(2, "bob"), store.follow(c, ReadThroughH2Test_Comment_.author));
    assertEquals(4, db.total(), "reads of loaded rows are hits: no query");

    assertEquals(new CacheStats(1, 1, 1, 0, 0, 0, 0, 0), store.cacheStats(Comment.class));
    assertEquals(new CacheStats(1, 0, 1, 0, 0, 0, 0, 0), store.cacheStats(Post.class));
    assertEquals(new CacheStats(2, 0, 2, 0, 0, 0, 0, 0), store.cacheStats(User.class));
  }

  @Test
  void aForwardFollowOnAMissLoadsTheRowAndItsMissingParents() {
    cache();
    store.get(Post.class, 10);
    assertEquals(Map.of("posts", 1, "users", 1), db.queries);
    Bookmark mark = store.create(new Bookmark(0, 101));
    assertEquals(0, store.count(Comment.class), "a bookmark does not load what it points at");
    Comment c = store.follow(mark, ReadThroughH2Test_Bookmark_.comment);
    assertEquals(new Comment(101, 10, 3, "carol on alice's post"), c);
    assertEquals(List.of(new User(1, "alice"), new User(3, "carol")), store.all(User.class),
        "only the missing parent was loaded: carol; the post and alice were there");
    assertEquals(Map.of("posts", 1, "users", 2, "comments", 1), db.queries);
    assertEquals(c, store.follow(mark, "comment"));
    assertEquals(new User(3, "carol"), store.follow(c, "author"));
    assertEquals(4, db.total());
    StoreInvariants.check(store);

    Bookmark other = store.create(new Bookmark(0, 102));
    Comment onBobsPost = (Comment) store.follow(other, "comment");
    assertEquals(new Comment(102, 11, 1, "alice on bob's post"), onBobsPost);
    assertEquals(List.of(new Post(10, 1, "post 10"), new Post(11, 2, "post 11")),
        store.all(Post.class), "comment -> post 11 -> bob, parents first");
    assertEquals(new User(2, "bob"), store.getOrNull(User.class, 2));
    assertEquals(Map.of("posts", 2, "users", 3, "comments", 2), db.queries);
  }

  @Test
  void aLoadIsOneTransactionTheParentsAreNotKeptWhenTheRowIsRefused() {
    cache();
    Map<Class<?>, List<?>> before = snapshot();
    ValidationError e = assertThrows(ValidationError.class,
        () -> store.get(Comment.class, 103));
    assertTrue(e.getMessage().contains("body"), e.getMessage());
    assertEquals(Map.of("comments", 1, "posts", 1, "users", 2), db.queries,
        "the comment, its post, the post's author and the comment's author were read");
    assertEquals(before, snapshot(), "post 12, alice and dave were not kept without the comment");
    StoreInvariants.check(store);
  }

  @Test
  void aMissTheDatabaseCannotFillIsNull() {
    cache();
    assertNull(store.getOrNull(User.class, 99));
    assertNull(store.getOrNull(Comment.class, 999));
    assertEquals(Map.of("users", 1, "comments", 1), db.queries);
    assertEquals(new CacheStats(0, 1, 0, 0, 0, 0, 0, 0), store.cacheStats(User.class));
  }

  // ------------------------------------------------------------------ bounded and expiring

  @Test
  void aBoundedTableEvictsAndReloadsFromTheDatabaseTransparently() {
    cache(m -> m.maximumSize(3));
    int gets = 0;
    for (int round = 0; round < 3; round++) {
      for (int p = FIRST_POST; p < FIRST_POST + POSTS; p++) {
        int before = db.count("posts");
        CacheStats was = store.cacheStats(Post.class);
        assertEquals(new Post(p, p % 2 == 0 ? 1 : 2, "post " + p), store.get(Post.class, p));
        gets++;
        CacheStats now = store.cacheStats(Post.class);
        assertEquals(now.misses() - was.misses(), db.count("posts") - before,
            "one query per miss, none per hit");
        StoreInvariants.check(store);
      }
      store.cleanUp();
      assertTrue(store.count(Post.class) <= 3, store.count(Post.class) + " posts cached");
    }
    CacheStats s = store.cacheStats(Post.class);
    assertEquals(gets, s.hits() + s.misses());
    assertEquals(s.misses(), s.loads(), "every miss loaded its row");
    assertEquals(s.loads() - store.count(Post.class), s.evictionsBySize());
    assertTrue(s.misses() >= 3 * POSTS - 3 * 3, "a table of 3 cannot hold 20 posts: " + s);
    assertEquals(2, store.count(User.class), "the authors, each loaded once");
    assertEquals(2, db.count("users"));
  }

  @Test
  void anExpiredPostIsReloadedWithTheDatabasesCurrentValuesAndItsCommentsWithIt()
      throws SQLException {
    cache(m -> m.expireAfterWrite(Duration.ofMinutes(1)));
    store.get(Comment.class, 100);
    store.get(Comment.class, 101);
    db.execute("UPDATE posts SET title = 'edited' WHERE id = 10");
    ticker.advance(Duration.ofSeconds(30));
    assertEquals("post 10", store.get(Post.class, 10).title(), "a hit, stale until it expires");
    ticker.advance(Duration.ofSeconds(40));
    store.cleanUp();
    StoreInvariants.check(store);
    assertEquals(0, store.count(Post.class));
    assertEquals(0, store.count(Comment.class), "the comments went with their post");
    assertEquals(3, store.count(User.class), "users are not bounded");
    int before = db.total();
    assertEquals(new Comment(100, 10, 2, "bob on alice's post"), store.get(Comment.class, 100));
    assertEquals(new Post(10, 1, "edited"), store.getOrNull(Post.class, 10));
    assertEquals(before + 2, db.total(), "the comment and its post; the authors were there");
    assertEquals(1, store.cacheStats(Post.class).evictionsByExpiry());
  }

  // ------------------------------------------------------------------ broken loaders

  @Test
  void aLoaderThatThrowsIsAStoreExceptionNamingTheModelAndTheKey() throws SQLException {
    cache();
    store.get(User.class, 4);
    db.execute("ALTER TABLE posts RENAME TO posts_archive");
    Map<Class<?>, List<?>> before = snapshot();

    StoreException direct = assertThrows(StoreException.class, () -> store.get(Post.class, 12));
    assertTrue(direct.getMessage().contains("Post") && direct.getMessage().contains("12"),
        direct.getMessage());
    assertInstanceOf(IllegalStateException.class, direct.getCause());
    assertEquals(before, snapshot());

    StoreException viaChild = assertThrows(StoreException.class,
        () -> store.get(Comment.class, 103));
    assertTrue(viaChild.getMessage().contains("Post") && viaChild.getMessage().contains("12"),
        "the failing load is the parent's: " + viaChild.getMessage());
    assertEquals(before, snapshot(), "neither the comment nor anything else was kept");
    assertEquals(2, store.cacheStats(Post.class).loadFailures());
    assertEquals(0, store.cacheStats(Comment.class).loadFailures());
    StoreInvariants.check(store);
  }

  @Test
  void aLoaderThatReturnsAnotherRowIsRefused() {
    store = Store.builder().ticker(ticker).cacheExecutor(Runnable::run)
        .add(User.class, m -> m.loader(db::user))
        .add(Post.class, m -> m.bulkLoader(keys -> Map.of(keys.iterator().next(),
            db.posts(List.of(10L)).get(10L))))
        .add(Comment.class, m -> m.loader(key -> db.comment(100)))
        .add(Bookmark.class)
        .build();
    Map<Class<?>, List<?>> before = snapshot();
    StoreException one = assertThrows(StoreException.class, () -> store.get(Comment.class, 101));
    assertTrue(one.getMessage().contains("Comment") && one.getMessage().contains("101"),
        one.getMessage());
    assertEquals(before, snapshot());
    StoreException bulk = assertThrows(StoreException.class, () -> store.get(Post.class, 11));
    assertTrue(bulk.getMessage().contains("Post") && bulk.getMessage().contains("11"),
        bulk.getMessage());
    assertEquals(before, snapshot());
    assertEquals(new Post(10, 1, "post 10"), store.get(Post.class, 10), "the right key loads");
    StoreInvariants.check(store);
  }

  @Test
  void aKeyReadOnASnapshotDoesNotLoad() {
    cache();
    store.get(Post.class, 10);
    Store fixed = store.snapshot();
    int before = db.total();
    assertEquals(new Post(10, 1, "post 10"), fixed.get(Post.class, 10));
    assertNull(fixed.getOrNull(Post.class, 11),
        "a snapshot reads its own fixed state: a read, not a write that throws");
    assertEquals(1, store.count(Post.class));
    assertTrue(db.total() - before <= 1, "at most the lookup");
  }
}
