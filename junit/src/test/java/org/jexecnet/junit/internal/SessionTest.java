package org.jexecnet.junit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** How a lost connection's message reads in a crash report. */
class SessionTest {
    @Test
    void aLostWorkersMessageIsShortenedToItsExitStatusAndLastWords() {
        assertEquals("exit status 3, last stderr: bye / now", Session.describe("connection to gw1 lost: EOF without prior gateway termination"
                + " message; its stderr ends: bye / now; worker JVM gw1 (/usr/bin/java) exited with status 3"));
        assertEquals("exit status 137, nothing on stderr", Session.describe("connection to gw1 lost: Stream closed; worker JVM gw1 (java)"
                + " exited with status 137"));
        assertEquals("no sign of life from gw1 for 8 s", Session.describe("no sign of life from gw1 for 8 s"));
    }
}
