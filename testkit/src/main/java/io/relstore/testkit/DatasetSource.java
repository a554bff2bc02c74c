package io.relstore.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Datasets as arguments of a {@code @ParameterizedTest}: {@code seeds} datasets of the schema,
 * from seeds {@code seed}, {@code seed + 1}, ... (so a failing argument names its seed). The
 * system property {@code relstore.tries}, when set, replaces {@code seeds}.
 *
 * <pre>{@code
 * @ParameterizedTest
 * @DatasetSource(schema = BlogSchema.class, seeds = 50)
 * void everyPostHasAnAuthor(Dataset data) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ArgumentsSource(DatasetArguments.class)
public @interface DatasetSource {
  Class<? extends DatasetSchema> schema();

  int seeds() default 20;

  long seed() default 0;
}
