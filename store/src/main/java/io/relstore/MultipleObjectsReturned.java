package io.relstore;

/** More than one row matched a lookup that needs exactly one. */
public final class MultipleObjectsReturned extends StoreException {
  private static final long serialVersionUID = 1L;

  public MultipleObjectsReturned(String message) {
    super(message);
  }
}
