package io.relstore.bench.contender;

import io.relstore.bench.model.Category;
import io.relstore.bench.model.Comment;
import io.relstore.bench.model.Post;
import io.relstore.bench.model.Rows;
import io.relstore.bench.model.User;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * H2 in memory ({@code jdbc:h2:mem:}, MVStore, tracing off, no reuse of a previous query's
 * result) as its user writes it: Django's tables
 * with real foreign-key constraints ({@code ON DELETE CASCADE}, {@code ON DELETE SET NULL}), an index
 * on every foreign-key column and on {@code published}, unique constraints; every operation a
 * prepared statement, one connection per thread, auto-commit (a transaction per operation) except
 * inserts, which run in one transaction. The scan variant forbids the indexes with H2's {@code USE
 * INDEX ()}; the full-sort variant orders by an expression of {@code published} that H2 cannot match
 * to the index (it then keeps the top k of a table scan).
 */
final class H2Contender implements Contender {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static final String POST_COLUMNS =
      "id, author_id, category_id, title, status, rating, published";
  private static final String[] SCHEMA = {
      "CREATE TABLE auth_user (id BIGINT PRIMARY KEY, username VARCHAR(150) NOT NULL UNIQUE)",
      "CREATE TABLE blog_category (id BIGINT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
          + " slug VARCHAR(50) NOT NULL UNIQUE)",
      "CREATE TABLE blog_post (id BIGINT PRIMARY KEY,"
          + " author_id BIGINT NOT NULL REFERENCES auth_user (id) ON DELETE CASCADE,"
          + " category_id BIGINT REFERENCES blog_category (id) ON DELETE SET NULL,"
          + " title VARCHAR(200) NOT NULL, status VARCHAR(10) NOT NULL, rating INT NOT NULL,"
          + " published TIMESTAMP WITH TIME ZONE NOT NULL)",
      "CREATE INDEX blog_post_author_id ON blog_post (author_id)",
      "CREATE INDEX blog_post_category_id ON blog_post (category_id)",
      "CREATE INDEX blog_post_published ON blog_post (published)",
      "CREATE TABLE blog_comment (id BIGINT PRIMARY KEY,"
          + " post_id BIGINT NOT NULL REFERENCES blog_post (id) ON DELETE CASCADE,"
          + " name VARCHAR(80) NOT NULL, body VARCHAR(1000000) NOT NULL)",
      "CREATE INDEX blog_comment_post_id ON blog_comment (post_id)",
  };

  // OPTIMIZE_REUSE_RESULTS off: H2 would otherwise answer a query repeated with the same
  // parameters on unchanged tables from its last result (latest-10 and the full sort, every call)
  private final String url = "jdbc:h2:mem:blog" + DATABASES.incrementAndGet()
      + ";DB_CLOSE_DELAY=-1;TRACE_LEVEL_FILE=0;TRACE_LEVEL_SYSTEM_OUT=0"
      + ";OPTIMIZE_REUSE_RESULTS=FALSE";
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Session> session = ThreadLocal.withInitial(this::open);

  H2Contender() {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      for (String ddl : SCHEMA) {
        s.execute(ddl);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One connection and its prepared statements, used by one thread. */
  private static final class Session {
    final Connection connection;
    final PreparedStatement post;
    final PreparedStatement user;
    final PreparedStatement postsOf;
    final PreparedStatement publishedRated;
    final PreparedStatement publishedRatedScan;
    final PreparedStatement latest;
    final PreparedStatement latestFullSort;
    final PreparedStatement countInCategory;
    final PreparedStatement deleteUser;
    final PreparedStatement deletePost;
    final PreparedStatement insertUser;
    final PreparedStatement insertCategory;
    final PreparedStatement insertPost;
    final PreparedStatement insertComment;

    Session(Connection c) throws SQLException {
      connection = c;
      String select = "SELECT " + POST_COLUMNS + " FROM blog_post";
      post = c.prepareStatement(select + " WHERE id = ?");
      user = c.prepareStatement("SELECT id, username FROM auth_user WHERE id = ?");
      postsOf = c.prepareStatement(select + " WHERE author_id = ?");
      String rated = " WHERE author_id = ? AND status = '" + Post.PUBLISHED + "' AND rating >= ?";
      publishedRated = c.prepareStatement(select + rated);
      publishedRatedScan = c.prepareStatement(select + " USE INDEX ()" + rated);
      latest = c.prepareStatement(select + " ORDER BY published DESC LIMIT ?");
      // H2 serves ORDER BY published from the index even under USE INDEX (): an expression it
      // cannot match to the index makes it sort
      latestFullSort = c.prepareStatement(select
          + " ORDER BY published + INTERVAL '0' SECOND DESC LIMIT ?");
      countInCategory = c.prepareStatement("SELECT COUNT(*) FROM blog_post WHERE category_id = ?");
      deleteUser = c.prepareStatement("DELETE FROM auth_user WHERE id = ?");
      deletePost = c.prepareStatement("DELETE FROM blog_post WHERE id = ?");
      insertUser = c.prepareStatement("INSERT INTO auth_user (id, username) VALUES (?, ?)");
      insertCategory = c.prepareStatement(
          "INSERT INTO blog_category (id, name, slug) VALUES (?, ?, ?)");
      insertPost = c.prepareStatement("INSERT INTO blog_post (" + POST_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?)");
      insertComment = c.prepareStatement(
          "INSERT INTO blog_comment (id, post_id, name, body) VALUES (?, ?, ?, ?)");
    }
  }

  private Session open() {
    try {
      Session s = new Session(DriverManager.getConnection(url));
      sessions.add(s);
      return s;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Post readPost(ResultSet rs) throws SQLException {
    long category = rs.getLong(3);
    Long nullable = rs.wasNull() ? null : Long.valueOf(category);
    return new Post(rs.getLong(1), rs.getLong(2), nullable, rs.getString(4), rs.getString(5), rs.getInt(6), rs.getObject(7, Instant.class));
  }

  private static List<Post> readPosts(PreparedStatement ps) throws SQLException {
    List<Post> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(readPost(rs));
      }
    }
    return out;
  }

  private static IllegalStateException failure(SQLException e) {
    return new IllegalStateException(e.getMessage(), e);
  }

  @Override
  public void insert(Rows rows) {
    Session s = session.get();
    try {
      s.connection.setAutoCommit(false);
      try {
        insertAll(s, rows);
        s.connection.commit();
      } catch (SQLException | RuntimeException e) {
        s.connection.rollback();
        throw e;
      } finally {
        s.connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private static void insertAll(Session s, Rows rows) throws SQLException {
    for (User u : rows.users()) {
      s.insertUser.setLong(1, u.id());
      s.insertUser.setString(2, u.username());
      s.insertUser.addBatch();
    }
    s.insertUser.executeBatch();
    for (Category c : rows.categories()) {
      s.insertCategory.setLong(1, c.id());
      s.insertCategory.setString(2, c.name());
      s.insertCategory.setString(3, c.slug());
      s.insertCategory.addBatch();
    }
    s.insertCategory.executeBatch();
    for (Post p : rows.posts()) {
      PreparedStatement ps = s.insertPost;
      ps.setLong(1, p.id());
      ps.setLong(2, p.author());
      if (p.category() == null) {
        ps.setNull(3, Types.BIGINT);
      } else {
        ps.setLong(3, p.category());
      }
      ps.setString(4, p.title());
      ps.setString(5, p.status());
      ps.setInt(6, p.rating());
      ps.setObject(7, p.published());
      ps.addBatch();
    }
    s.insertPost.executeBatch();
    for (Comment c : rows.comments()) {
      s.insertComment.setLong(1, c.id());
      s.insertComment.setLong(2, c.post());
      s.insertComment.setString(3, c.name());
      s.insertComment.setString(4, c.body());
      s.insertComment.addBatch();
    }
    s.insertComment.executeBatch();
  }

  @Override
  public @Nullable Post post(long id) {
    PreparedStatement ps = session.get().post;
    try {
      ps.setLong(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? readPost(rs) : null;
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public @Nullable User author(Post post) {
    PreparedStatement ps = session.get().user;
    try {
      ps.setLong(1, post.author());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new User(rs.getLong(1), rs.getString(2)) : null;
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public long postsChecksum(User author) {
    PreparedStatement ps = session.get().postsOf;
    try {
      ps.setLong(1, author.id());
      long sum = 0;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sum += Contender.checksum(readPost(rs));
        }
      }
      return sum;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public List<Post> publishedRated(long author, int minRating) {
    return rated(session.get().publishedRated, author, minRating);
  }

  @Override
  public List<Post> publishedRatedScan(long author, int minRating) {
    return rated(session.get().publishedRatedScan, author, minRating);
  }

  private static List<Post> rated(PreparedStatement ps, long author, int minRating) {
    try {
      ps.setLong(1, author);
      ps.setInt(2, minRating);
      return readPosts(ps);
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public List<Post> latest(int k) {
    return limited(session.get().latest, k);
  }

  @Override
  public List<Post> latestFullSort(int k) {
    return limited(session.get().latestFullSort, k);
  }

  private static List<Post> limited(PreparedStatement ps, int k) {
    try {
      ps.setInt(1, k);
      return readPosts(ps);
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public long countInCategory(long category) {
    PreparedStatement ps = session.get().countInCategory;
    try {
      ps.setLong(1, category);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** The constraints cascade; H2 reports only the rows of the statement's own table. */
  @Override
  public int deleteUser(User user) {
    PreparedStatement ps = session.get().deleteUser;
    try {
      ps.setLong(1, user.id());
      ps.executeUpdate();
      return -1;
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public void deletePosts(List<Post> posts) {
    Session s = session.get();
    try {
      s.connection.setAutoCommit(false);
      for (Post p : posts) {
        s.deletePost.setLong(1, p.id());
        s.deletePost.addBatch();
      }
      s.deletePost.executeBatch();
      s.connection.commit();
      s.connection.setAutoCommit(true);
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public long rowCount() {
    try (Statement st = session.get().connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT (SELECT COUNT(*) FROM auth_user)"
            + " + (SELECT COUNT(*) FROM blog_category) + (SELECT COUNT(*) FROM blog_post)"
            + " + (SELECT COUNT(*) FROM blog_comment)")) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  @Override
  public void close() {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("SHUTDOWN");
    } catch (SQLException e) {
      throw failure(e);
    }
    for (Session s : sessions) {
      try {
        s.connection.close();
      } catch (SQLException e) {
        // already closed by the shutdown
      }
    }
    sessions.clear();
    // a thread's map would keep this thread's session, and with it the database, until it
    // happens to expunge the stale entry
    session.remove();
  }
}
