package io.relstore.harness;

import java.util.List;

/**
 * A property failed. The message gives the seed, the command that replays it and the shortest
 * failing sequence as Java; the cause is the failure of that shortest sequence.
 */
public final class PropertyFailure extends AssertionError {
  private static final long serialVersionUID = 1L;

  private final long seed;
  private final transient List<?> drawn;
  private final transient List<?> shrunk;

  PropertyFailure(String message, long seed, List<?> drawn, List<?> shrunk, Throwable cause) {
    super(message, cause);
    this.seed = seed;
    this.drawn = drawn;
    this.shrunk = shrunk;
  }

  /** The seed of the failing try: {@code -Drelstore.seed=<seed>} replays it. */
  public long seed() {
    return seed;
  }

  /** The sequence the seed drew. */
  public List<?> drawn() {
    return drawn;
  }

  /** The shortest failing sequence found, failing action last. */
  public List<?> shrunk() {
    return shrunk;
  }
}
