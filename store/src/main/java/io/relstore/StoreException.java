package io.relstore;

/**
 * The root of every error the store raises. Each message names the model, the field or path, the
 * offending value and the rule; an operation that throws changes nothing.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
