package io.relstore.harness;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One step of a model-based property: applied to the system under test and to the reference model,
 * which must then agree. Implement it as a record whose {@code toString()} is one line of runnable
 * Java (a statement against the system, e.g. {@code list.add(3);}): the failure report prints the
 * shortest failing sequence as those lines.
 *
 * <p>An action must not hold identities of rows or objects created by earlier steps; it refers to
 * them through the state it is applied to ("the k-th live row of model M, k mod count"), so that
 * removing earlier actions while shrinking leaves it meaningful. It returns {@link #SKIP} when
 * there is nothing to act on.
 *
 * <p>Each side returns an outcome (any value with a meaningful {@code equals}) or throws a
 * {@link RuntimeException}; the harness compares the two, mapping exceptions through the property's
 * {@linkplain Property#errorView error view}. An {@link AssertionError} (or any other {@link Error})
 * thrown by either side fails the property at once: use it for checks an action makes on the
 * system alone.
 *
 * @param <S> the system under test
 * @param <M> the reference model
 */
public interface Action<S, M> {

  /** The outcome of a step that found nothing to act on; both sides must agree on it. */
  Object SKIP = new Object() {
    @Override
    public String toString() {
      return "skipped";
    }
  };

  /** Applies the step to the system under test and returns what it observed. */
  @Nullable Object onSystem(S system);

  /** Applies the step to the reference model and returns what the system should have observed. */
  @Nullable Object onModel(M model);

  /**
   * Simpler variants of this action, simplest first (smaller numbers, shorter strings, fewer
   * elements); the shrinker keeps the first one that still fails. Each must be strictly simpler so
   * that shrinking ends. None by default.
   */
  default List<? extends Action<S, M>> shrink() {
    return List.of();
  }
}
