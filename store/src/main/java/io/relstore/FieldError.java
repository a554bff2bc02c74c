package io.relstore;

/** A path names a field, relation or lookup that the model does not have; the message lists the choices. */
public final class FieldError extends StoreException {
  private static final long serialVersionUID = 1L;

  public FieldError(String message) {
    super(message);
  }
}
