/**
 * jexecnet: execnet's model of ad-hoc distributed deployment and communication, for the JVM.
 *
 * <p>Only {@code org.jexecnet} is exported; everything under {@code org.jexecnet.internal} is
 * implementation and may change in any release.
 */
module org.jexecnet {
    exports org.jexecnet;

    // remoteExec(String) compiles on the master; workers and JRE-only masters run without it.
    requires static java.compiler;
    // TCP keepalive times for socket gateways, so a vanished peer is noticed in seconds.
    requires jdk.net;
}
