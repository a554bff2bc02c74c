package io.relstore.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a model's table a bounded and/or expiring cache, with Caffeine's policy (W-TinyLFU
 * admission and eviction, a timer wheel for expiry). An eviction is a delete through the model's
 * on_delete rules; a row that PROTECT or RESTRICT children keep alive is pinned until they go.
 * A weigher, a loader and test clocks go through {@code Store.Builder}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Cached {
  /** The most rows the table keeps; -1 for no bound. */
  long maximumSize() default -1;

  /** How long a row lives after its last write, as an ISO-8601 duration ({@code "PT10M"}); empty for none. */
  String expireAfterWrite() default "";

  /** How long a row lives after its last read or write, as an ISO-8601 duration; empty for none. */
  String expireAfterAccess() default "";
}
