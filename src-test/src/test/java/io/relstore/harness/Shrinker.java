package io.relstore.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Shrinks a failing run while it keeps failing the same way (same exception class): first removes
 * chunks of actions, halving the chunk size when no chunk can go (delta debugging, ddmin), then
 * replaces each action by the first of its {@link Action#shrink()} candidates that still fails, and
 * repeats both until neither makes progress or the run budget is spent. Every run is a fresh
 * replay, and a run that fails earlier than the last action is cut there, so the result is
 * deterministic for a given failing sequence.
 */
final class Shrinker<S, M> {
  private final Property<S, M> property;
  private final int budget;
  private int runs;

  Shrinker(Property<S, M> property, int budget) {
    this.property = property;
    this.budget = budget;
  }

  /** The runs spent so far. */
  int runs() {
    return runs;
  }

  Property.Run<S, M> shrink(Property.Run<S, M> failing) {
    Throwable kind = Objects.requireNonNull(failing.failure(), "not a failing run");
    Property.Run<S, M> best = failing;
    while (runs < budget) {
      int before = best.actions().size();
      List<Action<S, M>> actionsBefore = best.actions();
      best = removeChunks(best, kind);
      best = simplify(best, kind);
      if (best.actions().size() == before && best.actions().equals(actionsBefore)) {
        break;
      }
    }
    return best;
  }

  private Property.Run<S, M> removeChunks(Property.Run<S, M> failing, Throwable kind) {
    Property.Run<S, M> best = failing;
    int n = 2;
    while (best.actions().size() >= 2 && runs < budget) {
      List<Action<S, M>> current = best.actions();
      int size = current.size();
      int chunk = (size + n - 1) / n;
      Property.Run<S, M> smaller = null;
      for (int start = 0; start < size && smaller == null; start += chunk) {
        List<Action<S, M>> candidate = new ArrayList<>(current.subList(0, start));
        candidate.addAll(current.subList(Math.min(start + chunk, size), size));
        smaller = attempt(candidate, kind);
      }
      if (smaller != null) {
        best = smaller;
        n = Math.max(n - 1, 2);
      } else if (n >= size) {
        break;
      } else {
        n = Math.min(size, n * 2);
      }
    }
    return best;
  }

  private Property.Run<S, M> simplify(Property.Run<S, M> failing, Throwable kind) {
    Property.Run<S, M> best = failing;
    for (int i = 0; i < best.actions().size() && runs < budget; i++) {
      boolean again = true;
      while (again && i < best.actions().size() && runs < budget) {
        again = false;
        for (Action<S, M> candidate : best.actions().get(i).shrink()) {
          List<Action<S, M>> list = new ArrayList<>(best.actions());
          list.set(i, candidate);
          Property.Run<S, M> simpler = attempt(list, kind);
          if (simpler != null) {
            best = simpler;
            again = true;
            break;
          }
        }
      }
    }
    return best;
  }

  private Property.@Nullable Run<S, M> attempt(List<Action<S, M>> candidate, Throwable kind) {
    if (runs >= budget) {
      return null;
    }
    runs++;
    Property.Run<S, M> run = property.run(candidate);
    return run.failsLike(kind) ? run : null;
  }
}
