package org.jexecnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** execnet's test_xspec.py checklist, with clear errors where execnet raises IndexError or overwrites. */
class XSpecTest {

    @Test
    void keysValuesAndFlagsParseAsExecnetParsesThem() {
        XSpec spec = XSpec.parse("socket=192.168.102.2:8888//python=c:/this/python3.8//chdir=d:\\hello");
        assertEquals("socket", spec.type());
        assertEquals("192.168.102.2:8888", spec.get("socket"));
        assertEquals("c:/this/python3.8", spec.get("python"));
        assertEquals("d:\\hello", spec.chdir());
        assertNull(spec.get("nice"));
        assertNull(spec.id());
        assertFalse(spec.has("popen"));

        XSpec popen = XSpec.parse("popen//nice=3//id=w1");
        assertEquals("popen", popen.type());
        assertTrue(popen.has("popen"));
        assertEquals("", popen.get("popen"), "a flag's value is empty");
        assertEquals(3, popen.nice());
        assertEquals("w1", popen.id());
    }

    @Test
    void theValueIsEverythingAfterTheFirstEquals() {
        assertEquals("b=c", XSpec.parse("popen//x-a=b=c").get("x-a"));
        assertEquals("", XSpec.parse("popen//x-x=").get("x-x"));
        assertEquals("-p 22100 user@host", XSpec.parse("ssh=-p 22100 user@host").get("ssh"));
        assertEquals("user@host.example/path", XSpec.parse("ssh=user@host.example/path").get("ssh"));
    }

    @Test
    void envKeysFillTheEnvironmentAndApplicationKeysAreKept() {
        XSpec spec = XSpec.parse("popen//env:NAME=value1//env:OTHER=2//env:EMPTY=//x-hello=3");
        assertEquals(Map.of("NAME", "value1", "OTHER", "2", "EMPTY", ""), spec.env());
        assertEquals("3", spec.get("x-hello"));
    }

    @Test
    void anUnknownKeyIsRefusedNamingTheClosestKnownOne() {
        assertMessage("popen//chidr=/tmp", "unknown key 'chidr' in gateway spec 'popen//chidr=/tmp' \u2014 did you mean 'chdir'?");
        assertMessage("popen//pyhton=python3", "did you mean 'python'?");
        assertMessage("popen//installvai=gw0", "did you mean 'installvia'?");
        IllegalArgumentException far = assertThrows(IllegalArgumentException.class, () -> XSpec.parse("popen//foo=bar"));
        assertTrue(far.getMessage().startsWith("unknown key 'foo' in gateway spec 'popen//foo=bar' Known keys: popen, ssh, socket,"),
                far.getMessage());
        assertTrue(far.getMessage().contains("keys of an application's own start with x-"), far.getMessage());
        assertMessage("hello=3", "unknown key 'hello'");
    }

    @Test
    void aKeyWithoutTheValueItNeedsOrAFlagWithOneIsRefused() {
        assertMessage("popen//chdir", "chdir needs a value, as in chdir=/tmp/work");
        assertMessage("popen//chdir=", "chdir needs a value");
        assertMessage("popen//id= ", "id needs a value");
        assertMessage("ssh", "ssh needs a value, as in ssh=user@host");
        assertMessage("popen//env:A", "env:A needs a value, as in env:A=value");
        assertMessage("popen//dont_write_bytecode=1", "dont_write_bytecode is a flag and takes no value");
        assertEquals("", XSpec.parse("socket//installvia=gw0").get("socket"), "socket may stand alone with installvia=");
        assertTrue(XSpec.parse("popen//python=python3//dont_write_bytecode").has("dont_write_bytecode"));
    }

    @Test
    void commandsSplitAsAPosixShellSplitsThem() {
        assertEquals(List.of("-Dtitle=a b", "-Xmx64m", "-Dq=it's"),
                XSpec.parse("popen//jvmargs=-Dtitle=\"a b\" -Xmx64m -Dq=it\\'s").jvmArgs());
        assertMessage("popen//python=\"/opt/my env/python", "python=\"/opt/my env/python: '\"/opt/my env/python' has a double quote that"
                + " is not closed");
        assertMessage("popen//java=/opt/jdk\\", "ends in a backslash that escapes nothing");
    }

    @Test
    void typedOptionsParse() {
        XSpec spec = XSpec.parse("popen//java=/opt/jdk/bin/java//jvmargs=-Xmx64m  -Dk=v//execmodel=main_thread_only//via=gw0");
        assertEquals("/opt/jdk/bin/java", spec.java());
        assertEquals(List.of("-Xmx64m", "-Dk=v"), spec.jvmArgs());
        assertEquals(ExecModel.MAIN_THREAD_ONLY, spec.execModel());
        assertEquals("gw0", spec.via());
        assertEquals(List.of(), XSpec.parse("popen").jvmArgs());
    }

    @Test
    void typePrecedenceIsExecnets() {
        assertEquals("popen", XSpec.parse("socket=h:1//popen").type());
        assertEquals("ssh", XSpec.parse("vagrant_ssh=default//ssh=h").type());
        assertEquals("vagrant_ssh", XSpec.parse("vagrant_ssh=default").type());
        assertNull(XSpec.parse("id=w1").type());
    }

    @Test
    void malformedSpecsAreRefusedWithTheReason() {
        assertMessage("", "empty gateway spec");
        assertMessage("popen//", "empty segment in segment 2 of gateway spec 'popen//'");
        assertMessage("//popen", "empty segment in segment 1");
        assertMessage("=x", "empty key in segment 1");
        assertMessage("popen//_x=1", "'_x' is not a valid spec key");
        assertMessage("popen//popen", "duplicate key 'popen'");
        assertMessage("popen//popen=123", "duplicate key 'popen'");
        assertMessage("popen//env=1", "'env' needs a variable name, as in env:NAME=value");
        assertMessage("popen//env:A=1//env:A=2", "env:A is given twice");
        assertMessage("popen//env:=3", "env: key without a variable name");
        assertMessage("popen//nice=high", "nice=high is not an integer");
        assertMessage("popen//execmodel=eventlet", "unknown execmodel 'eventlet'");
    }

    private static void assertMessage(String spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> XSpec.parse(spec));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void specsAreEqualByTheirTextWhichToStringGives() {
        assertEquals(XSpec.parse("popen//id=a"), XSpec.parse("popen//id=a"));
        assertEquals(XSpec.parse("popen//id=a").hashCode(), XSpec.parse("popen//id=a").hashCode());
        assertNotEquals(XSpec.parse("popen//id=a"), XSpec.parse("popen//id=b"));
        assertEquals("popen//id=a", XSpec.parse("popen//id=a").toString());
    }
}
