/**
 * A distributed JUnit Platform runner on jexecnet, as pytest-xdist is on execnet: a suite spread over
 * the gateways of a {@link org.jexecnet.Group} (local child JVMs, ssh hosts, JVMs of other versions),
 * with the reports of the Console Launcher. Start with {@link org.jexecnet.junit.DistributedTests}.
 */
package org.jexecnet.junit;
