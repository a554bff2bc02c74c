package io.relstore.internal.schema;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import org.jspecify.annotations.Nullable;

/** Method handles for record accessors and constructors, made once when the store is built. */
final class Reflection {
  private static final MethodHandle UNBOX_KEY;

  static {
    try {
      UNBOX_KEY = MethodHandles.lookup().findStatic(Reflection.class, "unboxKey",
          MethodType.methodType(long.class, Long.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Reflection() {
  }

  @SuppressWarnings("unused")
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

  static MethodHandle getter(RecordComponent component) throws IllegalAccessException {
    Method accessor = component.getAccessor();
    MethodHandle h = unreflect(component.getDeclaringRecord(), accessor);
    return h.asType(MethodType.methodType(Object.class, Object.class));
  }

  /** A {@code (Object)long} handle for a long or Long component, null read as 0. */
  static MethodHandle longGetter(RecordComponent component) throws IllegalAccessException {
    MethodHandle h = unreflect(component.getDeclaringRecord(), component.getAccessor());
    if (component.getType() == Long.class) {
      h = MethodHandles.filterReturnValue(h, UNBOX_KEY);
    }
    return h.asType(MethodType.methodType(long.class, Object.class));
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
