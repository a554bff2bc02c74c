package io.relstore;

/** The models given to {@link Store.Builder} break a schema rule; thrown by {@code build()}. */
public final class SchemaException extends StoreException {
  private static final long serialVersionUID = 1L;

  public SchemaException(String message) {
    super(message);
  }

  public SchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
