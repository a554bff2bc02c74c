package io.relstore.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A many-to-one reference: the component holds the target row's primary key, as a {@code long}
 * (required) or a {@code @Nullable Long} (null allowed). The store keeps the reverse index (target
 * → referencing rows) in step with every write.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ForeignKey {
  /** The target model (a record registered in the same store). */
  Class<? extends Record> to();

  /** The rule applied when the target row is deleted. */
  OnDelete onDelete();

  /**
   * The name of the reverse relation on the target ({@code "posts"} gives {@code User_.posts} and
   * {@code posts__title} in lookups); empty means Django's default ({@code post_set} as accessor,
   * {@code post} in lookups); {@code "+"} hides it.
   */
  String relatedName() default "";

  /**
   * False for a reference without a database constraint (Django's {@code db_constraint=False}): it
   * may point at a row that does not exist.
   */
  boolean dbConstraint() default true;
}
