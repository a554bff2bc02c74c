package io.relstore.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Optional model options. {@code app} gives Django's label prefix ({@code "blog"} makes the label
 * {@code "blog.Post"}, used in delete counts); {@code name} overrides the record's simple name.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Model {
  String app() default "";

  String name() default "";
}
