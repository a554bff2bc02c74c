package io.relstore.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Set to the store clock's current time when the row is created (Django's {@code auto_now_add}); an
 * update keeps the stored value unless it passes a new non-null one. Instant, LocalDate or
 * LocalDateTime.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface AutoNowAdd {
}
