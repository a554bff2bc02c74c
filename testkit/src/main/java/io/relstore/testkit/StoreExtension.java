package io.relstore.testkit;

import io.relstore.Store;
import io.relstore.StoreInvariants;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test a fresh store and checks it afterwards: a {@link Store} parameter gets a copy of
 * the class's {@link StoreFixture} store, made in O(1) from the fixture's state (persistent tables:
 * nothing is copied until the test writes); after the test, {@link StoreInvariants#check} runs on
 * every store handed out.
 */
public final class StoreExtension implements ParameterResolver, AfterEachCallback {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(StoreExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Store.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Store fixture = context.getRoot().getStore(NS).getOrComputeIfAbsent(
        context.getRequiredTestClass(), k -> fixture(context.getRequiredTestClass()), Store.class);
    Store fresh = fixture.copy();
    handedOut(context).add(fresh);
    return fresh;
  }

  @SuppressWarnings("unchecked")
  private static List<Store> handedOut(ExtensionContext context) {
    return context.getStore(NS).getOrComputeIfAbsent("stores", k -> new ArrayList<Store>(),
        List.class);
  }

  private static Store fixture(Class<?> testClass) {
    for (Method m : testClass.getDeclaredMethods()) {
      if (m.isAnnotationPresent(StoreFixture.class)) {
        if (!Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0
            || m.getReturnType() != Store.class) {
          throw new ParameterResolutionException("@StoreFixture " + m.getName()
              + " must be a static no-argument method returning Store");
        }
        try {
          m.setAccessible(true);
          return ((Store) m.invoke(null)).snapshot().copy();
        } catch (ReflectiveOperationException e) {
          throw new ParameterResolutionException("@StoreFixture " + m.getName() + " failed", e);
        }
      }
    }
    throw new ParameterResolutionException(testClass.getName()
        + " has no static @StoreFixture method returning the fixture Store");
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (Store s : handedOut(context)) {
      StoreInvariants.check(s);
    }
  }
}
