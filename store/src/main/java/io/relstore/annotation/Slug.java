package io.relstore.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A slug (Django's {@code SlugField}): letters, digits, underscores and hyphens only
 * ({@code [-a-zA-Z0-9_]+}), at most {@code maxLength} characters. Combine with {@link Unique} for a
 * unique slug.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Slug {
  /** The largest allowed length; Django's default is 50. */
  int maxLength() default 50;
}
