package io.relstore;

/**
 * A write would break a constraint between rows: a duplicate primary key or unique value, or a
 * foreign key that points at no row when the operation commits. The operation was rolled back.
 */
public final class IntegrityError extends StoreException {
  private static final long serialVersionUID = 1L;

  public IntegrityError(String message) {
    super(message);
  }
}
