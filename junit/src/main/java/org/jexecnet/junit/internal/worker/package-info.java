/**
 * The runner on a worker: drives the JUnit Platform launcher of the test class path and reports what
 * happens as wire messages. Defined by the worker's runner loader inside the test class loader's world
 * (see the {@code remote} package), never loaded by the master's tests or the master's JUnit.
 */
package org.jexecnet.junit.internal.worker;
