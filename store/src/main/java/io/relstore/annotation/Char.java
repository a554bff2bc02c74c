package io.relstore.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A bounded string (Django's {@code CharField}): every write checks {@code length() <= maxLength}. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Char {
  /** The largest allowed length in UTF-16 code units; must be positive. */
  int maxLength();
}
