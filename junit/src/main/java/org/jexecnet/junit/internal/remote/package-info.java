/**
 * What runs first on a worker, with nothing but jexecnet and the JDK: the test class loader over the
 * class path the master named, the loader that gives the runner's own classes that class path's JUnit
 * Platform, and the location of the host's class path cache. Its classes reach the worker through
 * jexecnet's on-demand loading, as any remote code's do.
 */
package org.jexecnet.junit.internal.remote;
