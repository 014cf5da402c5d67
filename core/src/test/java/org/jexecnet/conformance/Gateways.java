package org.jexecnet.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.jexecnet.Group;
import org.jexecnet.internal.transport.PythonPopen;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * execnet's conftest.py fixtures for JUnit. {@link EachGateway} tests get a {@link Gw} of each kind,
 * from a {@link Fleet} started on first use and shared by every test of the top-level test class (one
 * file of execnet's suite), as execnet's session-scoped {@code group} shares them. A {@link Group}
 * parameter is execnet's {@code makegateway} fixture: a group of the test's own, terminated after it.
 *
 * <p>After the top-level class, the fleet is terminated and no worker may be left: neither a JVM
 * ({@link NoLeftoverWorkers}) nor a Python one. Register it on the top-level class, which its nested
 * classes inherit, in place of {@code NoLeftoverWorkers}.
 */
public final class Gateways implements TestTemplateInvocationContextProvider, ParameterResolver, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Gateways.class);

    /** The fleet of a top-level class, or why it could not start. */
    private record Started(Fleet fleet, Throwable failure) {}

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getRequiredTestMethod().isAnnotationPresent(EachGateway.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Kind[] kinds = context.getRequiredTestMethod().getAnnotation(EachGateway.class).value();
        return Arrays.stream(kinds).map(kind -> new TestTemplateInvocationContext() {
            @Override
            public String getDisplayName(int invocationIndex) {
                return "[" + kind + "]";
            }

            @Override
            public List<Extension> getAdditionalExtensions() {
                return List.of(new GwResolver(kind));
            }
        });
    }

    /** Resolves the {@link Gw} of one kind, starting the class's fleet on first use. */
    private static final class GwResolver implements ParameterResolver {
        private final Kind kind;

        GwResolver(Kind kind) {
            this.kind = kind;
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == Gw.class || parameter.getParameter().getType() == Kind.class;
        }

        /** A {@link Kind} parameter is the kind alone, for a test that makes its own gateways: no fleet is started for it. */
        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            if (parameter.getParameter().getType() == Kind.class) {
                return kind;
            }
            Started started = topLevel(context).getStore(NAMESPACE).getOrComputeIfAbsent(Started.class, key -> {
                try {
                    return new Started(Fleet.start(), null);
                } catch (Exception | Error e) {
                    return new Started(null, e);
                }
            }, Started.class);
            if (started.failure() != null) {
                throw new IllegalStateException("the gateways of " + topLevel(context).getDisplayName() + " did not start", started.failure());
            }
            return started.fleet().get(kind);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Group.class;
    }

    /** A group of the test's own: closed (terminated) when the test ends, as execnet's {@code group.terminate(0.5)}. */
    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        OwnGroup own = context.getStore(NAMESPACE).getOrComputeIfAbsent(OwnGroup.class, key -> new OwnGroup(new Group()), OwnGroup.class);
        return own.group();
    }

    /** Terminates a test's own group when the test's context closes. */
    private record OwnGroup(Group group) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            group.terminate(Duration.ofSeconds(1));
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (context.getRequiredTestClass().getEnclosingClass() != null) {
            return; // a nested class: the fleet lives until the top-level class ends
        }
        Started started = context.getStore(NAMESPACE).remove(Started.class, Started.class);
        if (started != null && started.fleet() != null) {
            started.fleet().close();
        }
        new NoLeftoverWorkers().afterAll(context);
        List<ProcessHandle> python = ProcessHandle.current().descendants()
                .filter(p -> p.info().arguments().map(args -> List.of(args).contains(PythonPopen.BOOTLINE)).orElse(false)).toList();
        if (!python.isEmpty()) {
            python.forEach(ProcessHandle::destroyForcibly);
            fail(context.getDisplayName() + " left Python workers running: " + python.stream().map(ProcessHandle::pid).toList());
        }
    }

    /** The context of the top-level test class, whose store holds the fleet. */
    private static ExtensionContext topLevel(ExtensionContext context) {
        ExtensionContext at = context;
        while (at.getTestClass().map(c -> c.getEnclosingClass() != null).orElse(true) || at.getTestMethod().isPresent()) {
            at = at.getParent().orElseThrow();
        }
        return at;
    }
}
