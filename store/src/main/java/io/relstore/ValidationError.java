package io.relstore;

/**
 * A value breaks a field rule (null in a non-null field, too long, not a slug, wrong type, bad
 * primary key); nothing was written.
 */
public final class ValidationError extends StoreException {
  private static final long serialVersionUID = 1L;

  public ValidationError(String message) {
    super(message);
  }

  public ValidationError(String message, Throwable cause) {
    super(message, cause);
  }
}
