package org.jexecnet.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jexecnet.Channel;
import org.jexecnet.ConversionException;
import org.jexecnet.Execnet;
import org.jexecnet.Gateway;
import org.jexecnet.Group;
import org.jexecnet.MultiChannel;
import org.jexecnet.Received;
import org.jexecnet.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Receiving as a user writes it, through the exported API only: untyped receives that print, typed
 * ones that convert numbers without loss and rebuild records, and refusals that say what was expected
 * and what came.
 */
@Timeout(120)
class TypedReceiveTest {
    private static final Duration T = Duration.ofSeconds(30);
    private static Group group;
    private static Gateway gw;

    enum Color { RED, GREEN }

    record Point(int x, int y) {}

    record Line(Point from, Point to, List<Point> via, Map<String, Point> named, Color color) {}

    record Box(Object content) {}

    record Sized(long bytes, double ratio, BigInteger big) {}

    @BeforeAll
    static void start() {
        group = new Group("popen//id=typed");
        gw = group.get(0);
    }

    @AfterAll
    static void stop() {
        group.close();
    }

    @Test
    void anUntypedReceivePrintsAsAnyObject() {
        Channel channel = gw.remoteExec("channel.send(42); channel.send(\"text\");");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        out.println(channel.receive(Duration.ofSeconds(10))); // println(Object): no "reference to println is ambiguous"
        out.println(channel.receive());
        assertEquals("42\ntext\n", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aMistypedReceiveFailsAtOnceNamingTheTypeExpectedAndWhatCame() {
        Channel channel = gw.remoteExec("channel.send(\"abc\"); channel.send(5);");
        ConversionException e = assertThrows(ConversionException.class, () -> channel.receive(Integer.class, T));
        assertTrue(e.getMessage().startsWith("cannot receive an Integer on <Channel id="), e.getMessage());
        assertTrue(e.getMessage().endsWith(": value: expected Integer, got String \"abc\", which does not convert"), e.getMessage());
        assertEquals("value", e.path());
        assertEquals(5, channel.receive(int.class, T), "the channel goes on with the next item");
        assertThrows(NullPointerException.class, () -> channel.receive((Class<?>) null, T));
    }

    @Test
    void aLongSentSmallArrivesAsTheLongAskedFor() {
        Channel channel = gw.remoteExec(ch -> {
            ch.send(7L);
            ch.send(3_000_000_000L);
            ch.send(2.5);
        });
        long seven = channel.receive(long.class, T);
        assertEquals(7L, seven);
        ConversionException tooBig = assertThrows(ConversionException.class, () -> channel.receive(int.class, T));
        assertTrue(tooBig.getMessage().contains("expected int, got Long 3000000000, which int cannot hold"), tooBig.getMessage());
        ConversionException fraction = assertThrows(ConversionException.class, () -> channel.receive(Long.class, T));
        assertTrue(fraction.getMessage().contains("expected Long, got Double 2.5, which is not a whole number"), fraction.getMessage());
    }

    @Test
    void numbersConvertExactlyOrNotAtAll() {
        assertEquals(7L, Execnet.convert(7, Long.class));
        assertEquals(7, Execnet.convert(7L, Integer.class));
        assertEquals(7.0, Execnet.convert(7, Double.class));
        assertEquals(3, Execnet.convert(3.0, int.class));
        assertEquals(1L << 40, Execnet.convert(BigInteger.ONE.shiftLeft(40), Long.class));
        assertEquals(BigInteger.valueOf(5), Execnet.convert(5, BigInteger.class));
        assertEquals(new BigDecimal("0.5"), Execnet.convert(0.5, BigDecimal.class));
        assertEquals((short) -3, Execnet.convert(-3L, Short.class));
        assertEquals(0.5f, Execnet.convert(0.5, Float.class));
        assertEquals(Double.NaN, Execnet.convert(Float.NaN, Double.class));
        assertEquals(42, Execnet.convert(42, Number.class));

        assertRefused(BigInteger.ONE.shiftLeft(63), Long.class, "which Long cannot hold");
        assertRefused((1L << 53) + 1, Double.class, "which Double cannot hold exactly");
        assertRefused(0.1, Float.class, "which Float cannot hold exactly");
        assertRefused(Double.NaN, Long.class, "which is not a finite number");
        assertRefused(300, Byte.class, "which Byte cannot hold");
        assertRefused(1, Boolean.class, "expected Boolean, got Integer 1");
        assertRefused(null, long.class, "expected long, got null");
    }

    private static void assertRefused(Object value, Class<?> type, String reason) {
        ConversionException e = assertThrows(ConversionException.class, () -> Execnet.convert(value, type));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void recordsTravelAsDictsAndAreRebuiltByComponentName() {
        Channel channel = gw.remoteExec(ch -> {
            Line line = ch.receive(Line.class); // rebuilt on the worker from the dict that travelled
            ch.send(line.via().size());
            ch.send(new Line(line.to(), line.from(), List.of(new Point(0, 0)), Map.of("origin", new Point(0, 0)), Color.GREEN));
        });
        Line sent = new Line(new Point(1, 2), new Point(3, 4), List.of(new Point(5, 6), new Point(7, 8)), Map.of("mid", new Point(2, 3)),
                Color.RED);
        channel.send(sent);
        assertEquals(2, channel.receive(int.class, T));
        Line back = channel.receive(Line.class, T);
        assertEquals(new Line(new Point(3, 4), new Point(1, 2), List.of(new Point(0, 0)), Map.of("origin", new Point(0, 0)), Color.GREEN), back);
    }

    @Test
    void aRecordIsADictOfItsComponentsWhenNoRecordIsAskedFor() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("x", 1);
        expected.put("y", 2);
        assertEquals(expected, Execnet.loads(Execnet.dumps(new Point(1, 2))));
        assertEquals(new Point(1, 2), Execnet.loads(Execnet.dumps(new Point(1, 2)), Point.class));
        assertEquals("RED", Execnet.loads(Execnet.dumps(Color.RED)));
        assertEquals(Color.RED, Execnet.loads(Execnet.dumps(Color.RED), Color.class));
    }

    @Test
    void capturedRecordsReachALambdaAsRecords() {
        Point point = new Point(3, 4);
        Channel channel = gw.remoteExec(ch -> ch.send(point.x() * point.y()));
        assertEquals(12, channel.receive(int.class, T));
    }

    @Test
    void pythonReadsARecordAsADictAndSendsOneBack() {
        try (Group python = new Group("popen//python=" + System.getProperty("execnet.python", "/usr/bin/python3"))) {
            Channel channel = python.get(0).remoteExec("""
                    point = channel.receive()
                    channel.send(type(point).__name__)
                    channel.send({'x': point['y'], 'y': point['x']})
                    """);
            channel.send(new Point(1, 2));
            assertEquals("dict", channel.receive(String.class, T));
            assertEquals(new Point(2, 1), channel.receive(Point.class, T));
        }
    }

    @Test
    void aMissingOrUnknownComponentIsNamed() {
        ConversionException missing = assertThrows(ConversionException.class, () -> Execnet.convert(Map.of("x", 1), Point.class));
        assertTrue(missing.getMessage().contains("no value for Point's component \"y\" (the dict has keys x)"), missing.getMessage());
        Map<String, Object> extra = new LinkedHashMap<>(Map.of("x", 1, "y", 2));
        extra.put("z", 3);
        ConversionException unknown = assertThrows(ConversionException.class, () -> Execnet.convert(extra, Point.class));
        assertTrue(unknown.getMessage().contains("Point has no component \"z\" (its components: x, y)"), unknown.getMessage());

        Map<String, Object> line = new LinkedHashMap<>();
        line.put("from", Map.of("x", 1, "y", 2));
        line.put("to", Map.of("x", 1, "y", 2));
        line.put("via", List.of(Map.of("x", 1, "y", 2), Map.of("x", 1, "y", "two")));
        line.put("named", Map.of());
        line.put("color", "PURPLE");
        ConversionException deep = assertThrows(ConversionException.class, () -> Execnet.convert(line, Line.class));
        assertEquals("value.via[1].y", deep.path());
        assertTrue(deep.getMessage().contains("expected int, got String \"two\""), deep.getMessage());
        line.put("via", List.of());
        ConversionException color = assertThrows(ConversionException.class, () -> Execnet.convert(line, Line.class));
        assertEquals("value.color", color.path());
        assertTrue(color.getMessage().contains("Color has no constant \"PURPLE\" (its constants: RED, GREEN)"), color.getMessage());
    }

    @Test
    void nothingInTheValueChoosesAClass() {
        Map<String, Object> hostile = new LinkedHashMap<>();
        hostile.put("@class", "java.lang.ProcessBuilder");
        hostile.put("command", List.of("touch", "/tmp/pwned"));
        Channel channel = gw.remoteExec(ch -> {
            ch.send(ch.receive());
            ch.send(ch.receive());
            ch.send(ch.receive());
        });
        channel.send(hostile);
        channel.send(hostile);
        channel.send(Map.of("content", hostile));
        assertInstanceOf(LinkedHashMap.class, channel.receive(Object.class, T), "a dict stays a dict");
        ConversionException e = assertThrows(ConversionException.class, () -> channel.receive(Point.class, T));
        assertTrue(e.getMessage().contains("Point has no component \"@class\""), e.getMessage());
        Box box = channel.receive(Box.class, T);
        assertEquals(hostile, box.content(), "a component declared Object gets the dict as it loaded");
    }

    @Test
    void componentsOfWiderTypesTakeTheNarrowNumbersThatArrive() {
        Channel channel = gw.remoteExec(ch -> ch.send(Map.of("bytes", 5, "ratio", 1, "big", 3_000_000_000L)));
        assertEquals(new Sized(5L, 1.0, BigInteger.valueOf(3_000_000_000L)), channel.receive(Sized.class, T));
    }

    @Test
    void receiveQueuesAndMultiChannelsAskForTypesToo() throws InterruptedException {
        try (Group two = new Group("popen//id=a", "popen//id=b")) {
            MultiChannel versions = two.remoteExec(ch -> ch.send((long) Runtime.version().feature()));
            List<Long> features = versions.receiveEach(Long.class, T);
            assertEquals(2, features.size());
            assertInstanceOf(Long.class, features.get(0));

            MultiChannel points = two.remoteExec(ch -> ch.send(new Point(1, ch.gateway().id().length())));
            BlockingQueue<Received> queue = points.makeReceiveQueue();
            for (int i = 0; i < 2; i++) {
                Received received = queue.poll(30, TimeUnit.SECONDS);
                assertEquals(new Point(1, 1), received.item(Point.class));
                assertThrows(ConversionException.class, () -> received.item(Tuple.class));
            }
        }
    }

    @Test
    void listsSetsAndMapsOfRecordsAreRebuiltForTheirDeclaredTypes() {
        record Shapes(List<Point> points, Set<Color> colors, Map<Color, List<Point>> byColor) {}
        Shapes shapes = new Shapes(List.of(new Point(1, 1)), Set.of(Color.GREEN), Map.of(Color.RED, List.of(new Point(2, 2))));
        assertEquals(shapes, Execnet.loads(Execnet.dumps(shapes), Shapes.class));
    }
}
