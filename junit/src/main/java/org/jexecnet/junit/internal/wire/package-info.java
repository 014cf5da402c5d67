/**
 * The messages between the master and the runner on a worker, as plain values of jexecnet's serializer:
 * no JUnit type crosses, so each side keeps its own JUnit Platform (the worker the test class path's,
 * the master its own) and neither needs the other's classes. Every message is a record that encodes and
 * decodes itself, and decoding treats the bytes as a peer's: a malformed message is refused with the
 * reason, never half read.
 */
package org.jexecnet.junit.internal.wire;
