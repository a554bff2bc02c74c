package io.relstore;

/**
 * A QuerySet used in a way Django refuses (its {@code TypeError} / {@code ValueError}): None with an
 * ordering lookup, negative indexing, {@code delete()} after slicing or {@code values()}, both
 * nulls-first and nulls-last; nothing was evaluated or changed.
 */
public final class QueryError extends StoreException {
  private static final long serialVersionUID = 1L;

  public QueryError(String message) {
    super(message);
  }
}
