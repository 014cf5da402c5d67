/**
 * The master's side of a distributed test run: the test plan rebuilt from a worker's discovery, the
 * units of work and their order, the workers and their crashes, the class path each worker gets, and
 * the reports, all fed by one event loop.
 */
package org.jexecnet.junit.internal;
