package io.relstore.tx;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A body running on its own named thread, awaited with a bound: a thread that does not finish in
 * time fails the test with a dump of every thread (and the deadlocks the JVM sees) instead of
 * hanging the build.
 *
 * @param <T> the body's result
 */
final class Async<T> {
  private final String name;
  private final FutureTask<T> task;
  private final Thread thread;

  private Async(String name, Callable<T> body) {
    this.name = name;
    this.task = new FutureTask<>(body);
    this.thread = new Thread(task, name);
    thread.setDaemon(true);
  }

  /** Starts {@code body} on a new daemon thread called {@code name}. */
  static <T> Async<T> start(String name, Callable<T> body) {
    Async<T> a = new Async<>(name, body);
    a.thread.start();
    return a;
  }

  /** {@link #start} for a body without a result. */
  static Async<Void> run(String name, Runnable body) {
    return start(name, () -> {
      body.run();
      return null;
    });
  }

  /** Runs {@code body} on another thread and waits for it: its result, or its exception rethrown. */
  static <T> T call(String name, Duration bound, Callable<T> body) {
    return start(name, body).await(bound);
  }

  boolean isDone() {
    return task.isDone();
  }

  Thread thread() {
    return thread;
  }

  /**
   * The body's result; its exception rethrown as is (a checked one wrapped); a test failure with
   * a thread dump if it does not finish within {@code bound}.
   */
  T await(Duration bound) {
    try {
      return task.get(bound.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      String dump = dump();
      thread.interrupt();
      return fail("thread '" + name + "' did not finish within " + bound.toMillis() + " ms\n"
          + dump);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while waiting for thread '" + name + "'", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("thread '" + name + "' threw " + cause, cause);
    }
  }

  /** Waits for {@code latch}; fails the test if it is not released within {@code bound}. */
  static void awaitLatch(CountDownLatch latch, Duration bound, String what) {
    try {
      if (!latch.await(bound.toNanos(), TimeUnit.NANOSECONDS)) {
        fail(what + ": not within " + bound.toMillis() + " ms\n" + dump());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while waiting: " + what, e);
    }
  }

  /** Every live thread's full stack, preceded by the deadlocked threads the JVM detects, if any. */
  static String dump() {
    StringBuilder sb = new StringBuilder();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long[] deadlocked = mx.findDeadlockedThreads();
    if (deadlocked != null) {
      sb.append("DEADLOCKED THREADS:\n");
      for (ThreadInfo info : mx.getThreadInfo(deadlocked, true, true)) {
        sb.append(info);
      }
    }
    sb.append("THREAD DUMP:\n");
    for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
      Thread t = e.getKey();
      sb.append('"').append(t.getName()).append("\" ").append(t.getState()).append('\n');
      for (StackTraceElement frame : e.getValue()) {
        sb.append("    at ").append(frame).append('\n');
      }
    }
    return sb.toString();
  }
}
