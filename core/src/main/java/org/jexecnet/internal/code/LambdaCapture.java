package org.jexecnet.internal.code;

import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.jexecnet.DumpException;
import org.jexecnet.internal.serial.Dumper;

/**
 * What a lambda or method reference is, as code that can run elsewhere: the static method that holds
 * its body, and the values it captured.
 *
 * <p>The compiler records this for lambdas of serializable interfaces, in the {@link SerializedLambda}
 * that their {@code writeReplace} returns. Only that description is read; no Java serialization
 * happens.
 *
 * @param implClass the class that holds the method
 * @param method the method's name
 * @param descriptor the method's JVM descriptor
 * @param captured the captured values, which come first among the method's parameters
 */
public record LambdaCapture(Class<?> implClass, String method, String descriptor, List<Object> captured) {

    /**
     * Describes a lambda or method reference.
     *
     * @throws IllegalArgumentException when it is not one, or captures what cannot travel
     */
    public static LambdaCapture of(Object code) {
        SerializedLambda lambda = serializedForm(code);
        String implClassName = lambda.getImplClass().replace('/', '.');
        Class<?> implClass;
        try {
            implClass = Class.forName(implClassName, false, code.getClass().getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("cannot find " + implClassName + ", which holds the lambda's code", e);
        }
        List<Object> captured = new ArrayList<>();
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
            captured.add(lambda.getCapturedArg(i));
        }
        String where = lambda.getImplMethodName().startsWith("lambda$")
                ? "the lambda in " + lambda.getCapturingClass().replace('/', '.')
                : "the method reference to " + implClassName + "::" + lambda.getImplMethodName();
        if (lambda.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic) {
            Object receiver = captured.isEmpty() ? null : captured.get(0);
            if (receiver != null && receiver.getClass().getName().equals(lambda.getCapturingClass().replace('/', '.'))) {
                throw new IllegalArgumentException(where + " captures `this` (a " + receiver.getClass().getName()
                        + "), which cannot travel to another JVM: make the lambda not use instance members, or move"
                        + " the code to a static method and pass what it needs as captured values or kwargs");
            }
            throw new IllegalArgumentException(where + " is bound to an object"
                    + (receiver == null ? "" : " (a " + receiver.getClass().getName() + ")")
                    + ", which cannot travel to another JVM: refer to a static method instead (Type::staticMethod)");
        }
        for (int i = 0; i < captured.size(); i++) {
            Object value = captured.get(i);
            try {
                Dumper.dumpPayload(value, null);
            } catch (DumpException e) {
                throw new IllegalArgumentException(where + " captures a value of type "
                        + (value == null ? "null" : value.getClass().getName()) + " (captured value #" + (i + 1)
                        + "), which cannot be sent: " + e.getMessage()
                        + ". Capture only values the serializer supports, or pass them as kwargs", e);
            }
        }
        return new LambdaCapture(implClass, lambda.getImplMethodName(), lambda.getImplMethodSignature(), captured);
    }

    private static SerializedLambda serializedForm(Object code) {
        Method writeReplace;
        try {
            writeReplace = code.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            if (writeReplace.invoke(code) instanceof SerializedLambda lambda) {
                return lambda;
            }
        } catch (NoSuchMethodException e) {
            // not a lambda: reported below
        } catch (InaccessibleObjectException e) {
            Module module = code.getClass().getModule();
            String pkg = code.getClass().getPackageName();
            throw new IllegalArgumentException("cannot ship the lambda or method reference " + code.getClass().getName()
                    + ": module " + module.getName() + " does not open package " + pkg + " to org.jexecnet; add \"opens "
                    + pkg + " to org.jexecnet;\" to that module's module-info.java", e);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read how the lambda " + code.getClass().getName() + " was made: " + e
                    + " (a lambda in a named module needs its package opened to org.jexecnet)", e);
        }
        throw new IllegalArgumentException(code.getClass().getName() + " is not a lambda or method reference: remoteExec"
                + " ships code, not objects; for a class, pass the class itself, with a static run(Channel) method");
    }
}
