package io.relstore.internal.schema;

import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/** Accessors and constructors of records, made once when the store is built. */
final class Reflection {
  private Reflection() {
  }

  private static long unboxKey(@Nullable Long value) {
    return value == null ? 0L : value;
  }

  static RuntimeException rethrow(Throwable t) {
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error e) {
      throw e;
    }
    return new IllegalStateException(t);
  }

  private static MethodHandles.Lookup lookupFor(Class<?> type) throws IllegalAccessException {
    Reflection.class.getModule().addReads(type.getModule());
    return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
  }

  /**
   * The component's accessor as a function. Where the record's class lets us, it is a lambda
   * spun by {@link LambdaMetafactory} (a real class the JIT inlines, as fast as a direct call);
   * otherwise (a record in a module that does not open its package to us) a method handle behind
   * the same interface, which costs an un-inlined handle call per read.
   */
  static Function<Object, @Nullable Object> getter(RecordComponent component)
      throws IllegalAccessException {
    Class<?> owner = component.getDeclaringRecord();
    MethodHandle h = unreflect(owner, component.getAccessor());
    Function<Object, @Nullable Object> spun = spin(owner, h, Function.class, "apply",
        MethodType.methodType(Object.class, Object.class));
    if (spun != null) {
      return spun;
    }
    MethodHandle generic = h.asType(MethodType.methodType(Object.class, Object.class));
    return record -> {
      try {
        return (Object) generic.invokeExact(record);
      } catch (Throwable t) {
        throw rethrow(t);
      }
    };
  }

  /** The accessor of a long or Long component as a function, null read as 0. */
  static ToLongFunction<Object> longGetter(RecordComponent component)
      throws IllegalAccessException {
    if (component.getType() == Long.class) {
      Function<Object, @Nullable Object> boxed = getter(component);
      return record -> unboxKey((Long) boxed.apply(record));
    }
    Class<?> owner = component.getDeclaringRecord();
    MethodHandle h = unreflect(owner, component.getAccessor());
    ToLongFunction<Object> spun = spin(owner, h, ToLongFunction.class, "applyAsLong",
        MethodType.methodType(long.class, Object.class));
    if (spun != null) {
      return spun;
    }
    MethodHandle generic = h.asType(MethodType.methodType(long.class, Object.class));
    return record -> {
      try {
        return (long) generic.invokeExact(record);
      } catch (Throwable t) {
        throw rethrow(t);
      }
    };
  }

  /**
   * An instance of {@code type} whose single method {@code name} (of erased type {@code erased})
   * calls {@code accessor}; null when the metafactory may not define a class for this record.
   */
  @SuppressWarnings("unchecked")
  private static <T> @Nullable T spin(Class<?> owner, MethodHandle accessor, Class<?> type,
      String name, MethodType erased) {
    try {
      MethodType instantiated = erased.returnType() == Object.class
          ? accessor.type().wrap() : accessor.type();
      CallSite site = LambdaMetafactory.metafactory(lookupFor(owner), name,
          MethodType.methodType(type), erased, accessor, instantiated);
      return (T) site.getTarget().invoke();
    } catch (Throwable e) {
      return null;
    }
  }

  /** A {@code (Object[])Object} handle for the canonical constructor. */
  static MethodHandle constructor(Class<?> record) throws ReflectiveOperationException {
    RecordComponent[] components = record.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    Constructor<?> ctor = record.getDeclaredConstructor(types);
    MethodHandle h;
    try {
      h = lookupFor(record).unreflectConstructor(ctor);
    } catch (IllegalAccessException e) {
      ctor.setAccessible(true);
      h = MethodHandles.lookup().unreflectConstructor(ctor);
    }
    return h.asType(MethodType.genericMethodType(components.length))
        .asSpreader(Object[].class, components.length);
  }

  private static MethodHandle unreflect(Class<?> owner, Method accessor)
      throws IllegalAccessException {
    try {
      return lookupFor(owner).unreflect(accessor);
    } catch (IllegalAccessException e) {
      accessor.setAccessible(true);
      return MethodHandles.lookup().unreflect(accessor);
    }
  }
}
