package io.relstore.processor;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;
import org.jspecify.annotations.Nullable;

/**
 * Writes the typed metamodel of every model record at compile time, as JPA's and ObjectBox's
 * processors do: for {@code record Post(@Id long id, String title, @ForeignKey(to = User.class,
 * relatedName = "posts", ...) long author)} it writes {@code Post_} with {@code Post_.id},
 * {@code Post_.title} and {@code Post_.author} (a {@code ForeignKeyAttribute<Post, User>}), and adds
 * {@code User_.posts} (a {@code Relation<User, Post>}) to the target's metamodel. A nested record
 * {@code Outer.Post} gets {@code Outer_Post_}. Private records are skipped. Reverse relations are
 * known for foreign keys compiled in the same compilation.
 */
public final class MetamodelProcessor extends AbstractProcessor {
  private static final String ANN = "io.relstore.annotation.";

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return Set.of(ANN + "*");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    List<TypeElement> models = new ArrayList<>();
    for (Element root : round.getRootElements()) {
      findModels(root, models);
    }
    Map<String, List<String>> reverse = reverseRelations(models);
    for (TypeElement model : models) {
      write(model, reverse.getOrDefault(model.getQualifiedName().toString(), List.of()));
    }
    return true;
  }

  private static void findModels(Element element, List<TypeElement> out) {
    if (element.getKind() == ElementKind.RECORD && isModel((TypeElement) element)
        && visible(element)) {
      out.add((TypeElement) element);
    }
    for (Element inner : element.getEnclosedElements()) {
      if (inner.getKind().isClass() || inner.getKind().isInterface()) {
        findModels(inner, out);
      }
    }
  }

  private static boolean isModel(TypeElement record) {
    for (RecordComponentElement c : record.getRecordComponents()) {
      if (annotation(c, "Id") != null) {
        return true;
      }
    }
    return false;
  }

  private static boolean visible(Element e) {
    for (Element x = e; x != null && x.getKind() != ElementKind.PACKAGE; x = x.getEnclosingElement()) {
      if (x.getModifiers().contains(Modifier.PRIVATE)) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable AnnotationMirror annotation(Element e, String simpleName) {
    for (AnnotationMirror m : e.getAnnotationMirrors()) {
      TypeElement type = (TypeElement) m.getAnnotationType().asElement();
      if (type.getQualifiedName().contentEquals(ANN + simpleName)) {
        return m;
      }
    }
    return null;
  }

  private static @Nullable Object value(AnnotationMirror m, String name) {
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
        : m.getElementValues().entrySet()) {
      if (e.getKey().getSimpleName().contentEquals(name)) {
        return e.getValue().getValue();
      }
    }
    return null;
  }

  /** Target qualified name → field declarations of its reverse relations. */
  private Map<String, List<String>> reverseRelations(List<TypeElement> models) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (TypeElement child : models) {
      for (RecordComponentElement c : child.getRecordComponents()) {
        AnnotationMirror fk = annotation(c, "ForeignKey");
        if (fk == null || !(value(fk, "to") instanceof DeclaredType target)) {
          continue;
        }
        Object related = value(fk, "relatedName");
        String name = related instanceof String s && !s.isEmpty() ? s
            : modelName(child).toLowerCase(Locale.ROOT) + "_set";
        if (name.startsWith("+") || name.endsWith("+") || !SourceVersion.isName(name)) {
          continue;
        }
        TypeElement targetType = (TypeElement) target.asElement();
        String parent = targetType.getQualifiedName().toString();
        out.computeIfAbsent(parent, k -> new ArrayList<>()).add(
            "  public static final Relation<" + parent + ", " + child.getQualifiedName() + "> "
                + name + " =\n      Relation.of(" + parent + ".class, \"" + name + "\", "
                + child.getQualifiedName() + ".class);\n");
      }
    }
    return out;
  }

  private void write(TypeElement model, List<String> reverse) {
    String pkg = packageOf(model);
    String simple = metamodelName(model);
    String qualified = pkg.isEmpty() ? simple : pkg + "." + simple;
    String type = model.getQualifiedName().toString();
    StringBuilder src = new StringBuilder();
    if (!pkg.isEmpty()) {
      src.append("package ").append(pkg).append(";\n\n");
    }
    src.append("import io.relstore.Attribute;\nimport io.relstore.ForeignKeyAttribute;\n")
        .append("import io.relstore.Relation;\n\n")
        .append("/** Typed metamodel of {@link ").append(type).append("}, written by relstore's")
        .append(" MetamodelProcessor. */\n")
        .append("public final class ").append(simple).append(" {\n");
    Set<String> names = new LinkedHashSet<>();
    for (RecordComponentElement c : model.getRecordComponents()) {
      names.add(c.getSimpleName().toString());
      src.append(attribute(type, c));
    }
    for (String r : reverse) {
      String name = r.substring(r.indexOf("> ") + 2, r.indexOf(" =")).trim();
      if (names.add(name)) {
        src.append(r);
      } else {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.NOTE, "relstore: reverse"
            + " relation '" + name + "' clashes with a field or another relation of " + type
            + "; not generated (the store refuses this schema when built)");
      }
    }
    src.append("\n  private ").append(simple).append("() {\n  }\n}\n");
    try (Writer w = processingEnv.getFiler().createSourceFile(qualified, model).openWriter()) {
      w.write(src.toString());
    } catch (IOException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR,
          "relstore: cannot write " + qualified + ": " + e.getMessage(), model);
    }
  }

  private String attribute(String type, RecordComponentElement c) {
    String name = c.getSimpleName().toString();
    AnnotationMirror fk = annotation(c, "ForeignKey");
    if (fk != null && value(fk, "to") instanceof DeclaredType target) {
      String parent = ((TypeElement) target.asElement()).getQualifiedName().toString();
      return "  public static final ForeignKeyAttribute<" + type + ", " + parent + "> " + name
          + " =\n      Attribute.foreignKey(" + type + ".class, \"" + name + "\", " + parent
          + ".class);\n";
    }
    String valueType = boxed(c.asType());
    return "  public static final Attribute<" + type + ", " + valueType + "> " + name
        + " =\n      Attribute.of(" + type + ".class, \"" + name + "\", " + valueType
        + ".class);\n";
  }

  private String boxed(TypeMirror t) {
    if (t.getKind().isPrimitive()) {
      return processingEnv.getTypeUtils().boxedClass((javax.lang.model.type.PrimitiveType) t)
          .getQualifiedName().toString();
    }
    if (t.getKind() == TypeKind.DECLARED) {
      return ((TypeElement) ((DeclaredType) t).asElement()).getQualifiedName().toString();
    }
    return "java.lang.Object";
  }

  /** The model's name: {@code @Model(name = ...)} if given, else the record's simple name. */
  private static String modelName(TypeElement e) {
    AnnotationMirror model = annotation(e, "Model");
    Object name = model == null ? null : value(model, "name");
    return name instanceof String s && !s.isEmpty() ? s : e.getSimpleName().toString();
  }

  private static String packageOf(TypeElement e) {
    Element x = e;
    while (!(x instanceof PackageElement)) {
      x = x.getEnclosingElement();
    }
    return ((PackageElement) x).getQualifiedName().toString();
  }

  /** {@code Post_} for a top-level record, {@code Outer_Post_} for a nested one. */
  private static String metamodelName(TypeElement e) {
    StringBuilder sb = new StringBuilder(e.getSimpleName());
    for (Element x = e.getEnclosingElement(); !(x instanceof PackageElement);
        x = x.getEnclosingElement()) {
      sb.insert(0, x.getSimpleName() + "_");
    }
    return sb.append('_').toString();
  }
}
