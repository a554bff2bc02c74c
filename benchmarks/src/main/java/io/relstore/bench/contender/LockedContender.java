package io.relstore.bench.contender;

import io.relstore.bench.model.Post;
import io.relstore.bench.model.Rows;
import io.relstore.bench.model.User;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * The baseline made shareable the way its author would: one read-write lock, readers share it, a
 * writer (a whole cascade or insert) holds it alone.
 */
final class LockedContender implements Contender {
  private final Contender inner;
  private final Lock read;
  private final Lock write;

  LockedContender(Contender inner) {
    this.inner = inner;
    ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    this.read = lock.readLock();
    this.write = lock.writeLock();
  }

  @Override
  public void insert(Rows rows) {
    write.lock();
    try {
      inner.insert(rows);
    } finally {
      write.unlock();
    }
  }

  @Override
  public @Nullable Post post(long id) {
    read.lock();
    try {
      return inner.post(id);
    } finally {
      read.unlock();
    }
  }

  @Override
  public @Nullable User author(Post post) {
    read.lock();
    try {
      return inner.author(post);
    } finally {
      read.unlock();
    }
  }

  @Override
  public long postsChecksum(User author) {
    read.lock();
    try {
      return inner.postsChecksum(author);
    } finally {
      read.unlock();
    }
  }

  @Override
  public List<Post> publishedRated(long author, int minRating) {
    read.lock();
    try {
      return inner.publishedRated(author, minRating);
    } finally {
      read.unlock();
    }
  }

  @Override
  public List<Post> publishedRatedScan(long author, int minRating) {
    read.lock();
    try {
      return inner.publishedRatedScan(author, minRating);
    } finally {
      read.unlock();
    }
  }

  @Override
  public List<Post> latest(int k) {
    read.lock();
    try {
      return inner.latest(k);
    } finally {
      read.unlock();
    }
  }

  @Override
  public List<Post> latestFullSort(int k) {
    read.lock();
    try {
      return inner.latestFullSort(k);
    } finally {
      read.unlock();
    }
  }

  @Override
  public long countInCategory(long category) {
    read.lock();
    try {
      return inner.countInCategory(category);
    } finally {
      read.unlock();
    }
  }

  @Override
  public int deleteUser(User user) {
    write.lock();
    try {
      return inner.deleteUser(user);
    } finally {
      write.unlock();
    }
  }

  @Override
  public void deletePosts(List<Post> posts) {
    write.lock();
    try {
      inner.deletePosts(posts);
    } finally {
      write.unlock();
    }
  }

  @Override
  public long rowCount() {
    read.lock();
    try {
      return inner.rowCount();
    } finally {
      read.unlock();
    }
  }
}
