package io.relstore.testkit;

import java.lang.reflect.Constructor;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;
import org.junit.jupiter.params.support.ParameterDeclarations;
import org.junit.jupiter.params.support.AnnotationConsumer;

/** Provides the datasets of a {@link DatasetSource}, each named by its seed. */
public final class DatasetArguments implements ArgumentsProvider,
    AnnotationConsumer<DatasetSource> {
  private DatasetSource source;

  @Override
  public void accept(DatasetSource annotation) {
    this.source = annotation;
  }

  @Override
  public Stream<? extends Arguments> provideArguments(ParameterDeclarations parameters,
      ExtensionContext context) throws Exception {
    Constructor<? extends DatasetSchema> ctor = source.schema().getDeclaredConstructor();
    ctor.setAccessible(true);
    DatasetGenerator generator = ctor.newInstance().generator();
    int seeds = Integer.getInteger("relstore.tries", source.seeds());
    return LongStream.range(source.seed(), source.seed() + seeds)
        .mapToObj(seed -> Arguments.of(Named.of("seed " + seed, generator.generate(seed))));
  }
}
