package io.relstore.testing;

import io.relstore.Store;
import io.relstore.StoreInvariants;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs {@link StoreInvariants#check} after every test of the suite (auto-registered through
 * {@code META-INF/services} and {@code junit-platform.properties}) on every store the test used:
 * the {@link Store} fields of the test instance and every store registered with {@link #track}.
 */
public final class InvariantsExtension implements AfterEachCallback {
  private static final ThreadLocal<Set<Store>> TRACKED = ThreadLocal.withInitial(LinkedHashSet::new);

  /** Registers a store (held in a local variable, say) to be checked after the current test. */
  public static Store track(Store store) {
    TRACKED.get().add(store);
    return store;
  }

  @Override
  public void afterEach(ExtensionContext context) throws IllegalAccessException {
    Set<Store> stores = new LinkedHashSet<>(TRACKED.get());
    TRACKED.remove();
    Object instance = context.getTestInstance().orElse(null);
    for (Class<?> c = context.getRequiredTestClass(); c != null && c != Object.class;
        c = c.getSuperclass()) {
      for (Field f : c.getDeclaredFields()) {
        if (f.getType() == Store.class && (instance != null || Modifier.isStatic(f.getModifiers()))) {
          f.setAccessible(true);
          Object value = f.get(Modifier.isStatic(f.getModifiers()) ? null : instance);
          if (value != null) {
            stores.add((Store) value);
          }
        }
      }
    }
    for (Store store : stores) {
      StoreInvariants.check(store);
    }
  }
}
