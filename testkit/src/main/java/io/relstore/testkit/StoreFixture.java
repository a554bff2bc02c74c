package io.relstore.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static method of a test class that builds the fixture store ({@code static Store
 * fixture()}); {@link StoreExtension} builds it once per class and gives each test its own copy.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StoreFixture {
}
