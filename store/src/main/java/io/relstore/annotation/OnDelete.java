package io.relstore.annotation;

/**
 * What happens to a referencing row when the row it points to is deleted (Django's
 * {@code on_delete}). The full rules, including RESTRICT's cascade-path exemption, are in the
 * {@code Store.delete} documentation.
 */
public enum OnDelete {
  /** Delete the referencing rows too, recursively. */
  CASCADE,
  /** Refuse the whole delete with {@code ProtectedError}. */
  PROTECT,
  /** Refuse with {@code RestrictedError}, unless the referencing rows are deleted by the same operation through CASCADE. */
  RESTRICT,
  /** Set the foreign key to null; the field must be a nullable {@code Long}. */
  SET_NULL,
  /** Set the foreign key to the field's default ({@code @Default} or a builder default). */
  SET_DEFAULT,
  /** Set the foreign key to a value or a supplier's result, given through {@code Store.Builder}. */
  SET,
  /** Leave the referencing row alone; unless the same operation deals with it, the commit fails with {@code IntegrityError}. */
  DO_NOTHING
}
