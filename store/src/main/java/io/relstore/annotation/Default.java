package io.relstore.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A constant default, written as text and parsed for the component's type when the store is built
 * ({@code "42"}, {@code "true"}, {@code "2024-01-31"}, an enum constant's name, a UUID...). On create,
 * a null in a field with a default takes the default; {@code SET_DEFAULT} writes it. A default
 * computed at run time goes through {@code Store.Builder}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
  String value();
}
