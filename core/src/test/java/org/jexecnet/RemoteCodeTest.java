package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.commons.lang3.StringUtils;
import org.jexecnet.internal.gateway.MasterGateway;
import org.jexecnet.remote.EchoModule;
import org.jexecnet.remote.LibraryUser;
import org.jexecnet.remote.Tasks;
import org.jexecnet.testing.Javac;
import org.jexecnet.testing.NoLeftoverWorkers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** remoteExec of lambdas, method references and classes, with classes loaded from the master on demand. */
@ExtendWith(NoLeftoverWorkers.class)
class RemoteCodeTest {
    static final Duration T = Duration.ofSeconds(60);

    private static Group group;

    private final String field = "instance state";

    @BeforeAll
    static void start() {
        group = new Group();
    }

    @AfterAll
    static void stop() {
        group.terminate(Duration.ofSeconds(5));
    }

    @Test
    void aLambdaRunsOnTheWorker() {
        Gateway gw = group.makeGateway();
        Channel channel = gw.remoteExec(ch -> ch.send(ch.receive(Integer.class) + 1));
        channel.send(41);
        assertEquals(42, (Integer) channel.receive(T));
        Channel pid = gw.remoteExec(ch -> ch.send(ProcessHandle.current().pid()));
        assertEquals(gw.remoteInfo(T).pid(), ((Number) pid.receive(T)).longValue(), "it ran in the worker's process");
    }

    @Test
    void capturedValuesTravelByValueAsTheirDeclaredTypes() {
        Gateway gw = group.makeGateway();
        int factor = 3;
        long big = 5L;
        double half = 0.5;
        String label = "x";
        List<Integer> list = List.of(1, 2);
        Channel channel = gw.remoteExec(ch -> {
            long widened = big * 2;
            ch.send(label + (factor * ch.receive(Integer.class)) + widened + half + list.size());
        });
        channel.send(7);
        assertEquals("x21100.52", channel.receive(T));
    }

    @Test
    void aMethodReferenceRunsAStaticMethodOfAMasterOnlyClass() {
        Gateway gw = group.makeGateway();
        Channel channel = gw.remoteExec(Tasks::serve);
        channel.send(21);
        assertEquals(42, (Integer) channel.receive(T));
        channel.close();
    }

    @Test
    void functionsTakeKeywordArguments() {
        Gateway gw = group.makeGateway();
        List<Object> counted = new ArrayList<>();
        gw.remoteExec(Tasks::countTo, Map.of("n", 3)).forEach(counted::add);
        assertEquals(List.of(1, 2, 3), counted);
        Channel lambda = gw.remoteExec((ch, kwargs) -> ch.send(kwargs.get("greeting") + "!"), Map.of("greeting", "hi"));
        assertEquals("hi!", lambda.receive(T));
    }

    @Test
    void aClassRunsAsAModuleWithItsNestedClassesWithAndWithoutKwargs() {
        Gateway gw = group.makeGateway();
        Channel plain = gw.remoteExec(EchoModule.class);
        plain.send("hello");
        assertEquals("echo: hello", plain.receive(T));
        Channel withKwargs = gw.remoteExec(EchoModule.class, Map.of("greeting", "good day"));
        withKwargs.send("world");
        assertEquals("good day, world", withKwargs.receive(T));
    }

    /** A module that takes no keyword arguments. */
    static final class PlainModule {
        static void run(Channel channel) {
            channel.send("plain");
        }
    }

    @Test
    void kwargsForAModuleThatTakesNoneAreRefused() {
        Gateway gw = group.makeGateway();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gw.remoteExec(PlainModule.class, Map.of("k", 1)));
        assertTrue(e.getMessage().startsWith("can't pass kwargs to " + PlainModule.class.getName() + ": it has run(Channel) only"),
                e.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> gw.remoteExec(RemoteCodeTest.class));
        assertTrue(none.getMessage().contains("has no static run(Channel) or run(Channel, Map<String, Object>)"), none.getMessage());
        assertEquals("plain", gw.remoteExec(PlainModule.class, Map.of()).receive(T), "no kwargs is fine");
    }

    @Test
    void aLibraryOnlyTheMasterHasLoadsOnTheWorkerAsOneJar() {
        Gateway gw = group.makeGateway();
        MasterGateway master = (MasterGateway) gw;
        Channel channel = gw.remoteExec(LibraryUser.class);
        channel.send("jexecnet");
        assertEquals(List.of("tencexej", "Jexecnet", "{1,2}"), channel.receive(T));
        String location = channel.receive(String.class, T);
        assertTrue(location.contains("/jars/") && location.endsWith(".jar"), "from the worker's jar cache: " + location);
        assertFalse(location.contains(".m2"), location);
        assertEquals(1, master.classRequests(), "three classes of commons-lang3 cost one round trip: the jar");
    }

    @Test
    void eightConcurrentExecutionsLoadOverlappingClasses() throws Exception {
        Gateway gw = group.makeGateway();
        List<CompletableFuture<Object>> answers = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            channels.add(gw.remoteExec(ch -> ch.send(StringUtils.repeat('a', n) + org.apache.commons.lang3.ArrayUtils.getLength(new int[n]))));
        }
        for (Channel channel : channels) {
            answers.add(CompletableFuture.supplyAsync(() -> channel.receive(T)));
        }
        for (int i = 0; i < 8; i++) {
            assertEquals("a".repeat(i) + i, answers.get(i).get());
        }
        assertTrue(((MasterGateway) gw).classRequests() <= 8, "no more than one request per execution");
    }

    @Test
    void aWorkerOnTheOtherJdkRunsLambdas() {
        Gateway gw = group.makeGateway("popen//java=" + GatewayTest.OTHER_JDK);
        Channel channel = gw.remoteExec(ch -> ch.send(Runtime.version().feature() + ":" + StringUtils.capitalize("yes")));
        assertEquals("25:Yes", channel.receive(T));
    }

    @Test
    void remoteStackTracesNameTheUsersClassAndLine() {
        Gateway gw = group.makeGateway();
        Channel channel = gw.remoteExec(ch -> {
            throw new IllegalStateException("thrown remotely");
        });
        RemoteException e = assertThrows(RemoteException.class, () -> channel.waitClose(T));
        // The worker's frames name the class loader, and so the gateway: "jexecnet-gw3-worker//org.jexecnet...".
        assertTrue(e.remoteTrace().contains("-worker//org.jexecnet.RemoteCodeTest.lambda$remoteStackTracesNameTheUsersClassAndLine$"),
                e.remoteTrace());
        assertTrue(e.remoteTrace().contains("(RemoteCodeTest.java:"), e.remoteTrace());
    }

    @Test
    void aLambdaCapturingThisIsRefusedWithAHint() {
        Gateway gw = group.makeGateway();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gw.remoteExec(ch -> ch.send(field)));
        assertTrue(e.getMessage().contains("captures `this` (a org.jexecnet.RemoteCodeTest)"), e.getMessage());
        assertTrue(e.getMessage().contains("kwargs"), e.getMessage());
    }

    @Test
    void anUnsupportedCapturedValueIsRefusedNamingItsType() {
        Gateway gw = group.makeGateway();
        Thread thread = Thread.currentThread();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gw.remoteExec(ch -> ch.send(thread.getName())));
        assertTrue(e.getMessage().contains("captures a value of type java.lang.Thread (captured value #1)"), e.getMessage());
    }

    @Test
    void boundReferencesAndObjectsAreRefused() {
        Gateway gw = group.makeGateway();
        StringBuilder target = new StringBuilder();
        RemoteCode bound = target::append;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> gw.remoteExec(bound)).getMessage()
                .contains("is bound to an object (a java.lang.StringBuilder)"));
        RemoteCode anonymous = new RemoteCode() {
            private static final long serialVersionUID = 1L;

            @Override
            public void run(Channel channel) {
                channel.send(1);
            }
        };
        assertTrue(assertThrows(IllegalArgumentException.class, () -> gw.remoteExec(anonymous)).getMessage()
                .contains("is not a lambda or method reference"));
        assertTrue(assertThrows(DumpException.class, () -> gw.remoteExec(Tasks::countTo, Map.of("n", new Object())))
                .getMessage().startsWith("value[\"n\"]: cannot serialize java.lang.Object"));
    }

    /**
     * Callbacks run off the receiver thread (issue 15), so a callback can wait for the master's class
     * server: the class it needs arrives on the receiver thread meanwhile. (Before, the callback ran on
     * the receiver thread itself, and the fetch was refused to avoid a deadlock.)
     */
    @Test
    void aCallbackThatNeedsANewClassGetsItFromTheMaster() {
        Gateway gw = group.makeGateway();
        Channel channel = gw.remoteExec(ch -> {
            Channel watched = ch.gateway().newChannel();
            watched.setCallback(item -> ch.send(org.apache.commons.lang3.BooleanUtils.toStringYesNo(true)));
            ch.send(watched);
            ch.receive();
        });
        Channel watched = channel.receive(Channel.class, T);
        watched.send("trigger");
        assertEquals("yes", channel.receive(String.class, T));
        channel.send("done");
        channel.waitClose(T);
    }

    @Test
    void theWorkersOwnClassPathWinsOverTheMastersVersionOfAClass(@TempDir Path temp) throws Exception {
        Path masterDir = temp.resolve("master");
        Path workerDir = temp.resolve("worker");
        Javac.compile(masterDir, "versioned/Version.java", "package versioned; public class Version { public static String which() { return \"master\"; } }");
        Javac.compile(masterDir, "versioned/Entry.java", "package versioned; public class Entry { public static void run(org.jexecnet.Channel ch) { ch.send(Version.which()); } }");
        Javac.compile(workerDir, "versioned/Version.java", "package versioned; public class Version { public static String which() { return \"worker\"; } }");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {masterDir.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> entry = loader.loadClass("versioned.Entry");
            Gateway plain = group.makeGateway();
            assertEquals("master", plain.remoteExec(entry).receive(T), "what the worker lacks comes from the master");
            Gateway withOwn = group.makeGateway("popen//classpath=" + workerDir);
            assertEquals("worker", withOwn.remoteExec(entry).receive(T), "the worker's own class path wins");
        }
    }
}
