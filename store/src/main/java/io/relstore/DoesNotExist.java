package io.relstore;

/** No row matched a lookup that needs exactly one; the message names the model and the lookup. */
public final class DoesNotExist extends StoreException {
  private static final long serialVersionUID = 1L;

  public DoesNotExist(String message) {
    super(message);
  }
}
