package io.relstore.differential;

import io.relstore.Store;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jspecify.annotations.Nullable;

/**
 * Compiles generated record sources in memory with the JDK's compiler (test scope only: the
 * library does no run-time code generation) and loads them in a class loader whose parent is the
 * test's, so relstore reads their annotations as its own. The annotation processor does not run
 * ({@code -proc:none}): the differential test needs no metamodel.
 */
final class RecordCompiler {
  private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

  private RecordCompiler() {
  }

  /**
   * Compiles one compilation unit and loads every class it declares.
   *
   * @param className the binary name of its top-level class ({@code gen.Gen})
   * @return the loaded classes by simple name (nested records included)
   * @throws IllegalStateException with the compiler's diagnostics if it does not compile
   */
  static Map<String, Class<?>> compile(String className, String source) {
    if (JAVAC == null) {
      throw new IllegalStateException("no system Java compiler: run the tests on a JDK");
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager standard = JAVAC.getStandardFileManager(diagnostics, null,
        StandardCharsets.UTF_8);
    Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
    try (InMemory files = new InMemory(standard, classes)) {
      List<String> options = List.of("-proc:none", "--release", "17", "-classpath", classpath(),
          "-Xlint:all", "-Werror");
      StringWriter out = new StringWriter();
      Boolean ok = JAVAC.getTask(out, files, diagnostics, options, null,
          List.of(new Source(className, source))).call();
      if (!Boolean.TRUE.equals(ok)) {
        throw new IllegalStateException("generated records do not compile: "
            + diagnostics.getDiagnostics() + out + "\n" + source);
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    Map<String, byte[]> bytes = new HashMap<>();
    classes.forEach((name, b) -> bytes.put(name, b.toByteArray()));
    Loader loader = new Loader(bytes, RecordCompiler.class.getClassLoader());
    Map<String, Class<?>> out = new LinkedHashMap<>();
    for (String name : classes.keySet()) {
      try {
        Class<?> c = loader.loadClass(name);
        out.put(c.getSimpleName(), c);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }

  /** Where relstore's and jspecify's classes are (surefire's class path may be one manifest jar). */
  private static String classpath() {
    List<String> entries = new ArrayList<>();
    for (Class<?> c : List.of(Store.class, Nullable.class)) {
      try {
        entries.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(String className, String code) {
      super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension),
          Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }

  private static final class InMemory extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Map<String, ByteArrayOutputStream> classes;

    InMemory(StandardJavaFileManager standard, Map<String, ByteArrayOutputStream> classes) {
      super(standard);
      this.classes = classes;
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className,
        JavaFileObject.Kind kind, FileObject sibling) {
      return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/')
          + kind.extension), kind) {
        @Override
        public OutputStream openOutputStream() {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          classes.put(className, b);
          return b;
        }
      };
    }
  }

  private static final class Loader extends ClassLoader {
    private final Map<String, byte[]> bytes;

    Loader(Map<String, byte[]> bytes, ClassLoader parent) {
      super(parent);
      this.bytes = bytes;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] b = bytes.get(name);
      if (b == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, b, 0, b.length);
    }
  }
}
