package org.jexecnet;

/**
 * Facts about the process on the other side of a gateway, as execnet's {@code _rinfo()}.
 *
 * @param runtime the runtime and its version, e.g. {@code "Java 17.0.15 (Debian)"} or {@code "Python 3.11.2"}
 * @param executable the path of the running executable
 * @param cwd the working directory
 * @param pid the process id
 * @param platform the operating system and architecture, e.g. {@code "Linux amd64"}
 * @param library the library that serves the gateway there and its version: jexecnet's for a JVM worker, e.g.
 *        {@code "jexecnet 0.1.0"}, execnet's for a Python worker, e.g. {@code "execnet 1.9.0"}
 */
public record RemoteInfo(String runtime, String executable, String cwd, long pid, String platform, String library) {}
