package io.relstore.internal.schema;

import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** Where a default or a SET value comes from: a constant, or a function run in the writing transaction. */
public sealed interface ValueSource {

  /** The value; {@code api} is the store handle passed to a computed source. */
  @Nullable Object resolve(Object api);

  /** A fixed value, given by {@code @Default} or the builder. */
  record Const(@Nullable Object value) implements ValueSource {
    @Override
    public @Nullable Object resolve(Object api) {
      return value;
    }

    @Override
    public String toString() {
      return String.valueOf(value);
    }
  }

  /** A function of the store, run inside the transaction that needs the value. */
  record Computed(Function<Object, @Nullable Object> function) implements ValueSource {
    @Override
    public @Nullable Object resolve(Object api) {
      return function.apply(api);
    }

    @Override
    public String toString() {
      return "<computed>";
    }
  }
}
