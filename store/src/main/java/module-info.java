import org.jspecify.annotations.NullMarked;

/**
 * relstore: an embedded, in-memory object store for Java records with Django's relational
 * semantics. Only {@code io.relstore} and {@code io.relstore.annotation} are exported; the metamodel
 * processor in {@code io.relstore.processor} is found on the processor path through
 * {@code META-INF/services} and needs {@code java.compiler} only at compile time.
 */
@NullMarked
module io.relstore {
  requires transitive org.jspecify;
  requires org.eclipse.collections.api;
  requires org.eclipse.collections.impl;
  requires transitive com.github.benmanes.caffeine;
  requires static java.compiler;

  exports io.relstore;
  exports io.relstore.annotation;
}
