/**
 * jexecnet's API: gateways to other JVMs (and Python execnet interpreters), channels to the code they
 * run, groups of gateways, RSync, and execnet's serializer. Start at {@link org.jexecnet.Execnet}.
 *
 * <pre>{@code
 * try (Gateway gateway = Execnet.makeGateway("popen")) {
 *     Channel channel = gateway.remoteExec("channel.send(channel.receive(Integer.class) + 1);");
 *     channel.send(41);
 *     System.out.println(channel.receive(Duration.ofSeconds(10)));      // 42
 *     int answer = channel.receive(int.class, Duration.ofSeconds(10));  // the typed form
 * }
 * }</pre>
 *
 * <h2>Receiving: as loaded, or as a type</h2>
 * Every way of receiving or loading comes in two forms: one returns the value as the serializer loads
 * it ({@code Object}: {@code Integer}, {@code String}, {@code ArrayList}, {@code LinkedHashMap} ...),
 * the other takes the class the caller expects and returns that type, converting numbers where no
 * value is lost and dicts to records ({@link org.jexecnet.Execnet#convert(Object, Class)} has the
 * rules), or failing at once with a {@link org.jexecnet.ConversionException} that names the type
 * expected and what arrived.
 *
 * <h2>Timeouts</h2>
 * Every method that waits takes its limit as a {@link java.time.Duration}, with one rule throughout
 * (channels, multi-channels, gateways, groups):
 * <ul>
 *   <li>{@code null} is refused with a {@link NullPointerException} naming the parameter; where a
 *       wait without a limit makes sense there is a form without a timeout, such as
 *       {@link org.jexecnet.Channel#receive()} and {@link org.jexecnet.Channel#waitClose()};</li>
 *   <li>zero, or a negative duration, does not wait: a receive takes an item only if one is there;</li>
 *   <li>a century or more, such as {@code ChronoUnit.FOREVER.getDuration()} or
 *       {@code Duration.ofSeconds(Long.MAX_VALUE)}, means no limit.</li>
 * </ul>
 *
 * <h2>Named options</h2>
 * Options are values with names, never bare booleans: {@link org.jexecnet.StringCoercion} for
 * execnet's string coercion, {@link org.jexecnet.RSync.Extras} for what RSync does with files the
 * source lacks.
 *
 * <h2>Records and modules</h2>
 * A record is sent as a dict of its components and rebuilt by a typed receive. jexecnet reaches
 * records reflectively, from its module {@code org.jexecnet}: a record on the class path, or a public
 * record in an exported package, needs nothing; for any other record in a named module, that module
 * must open the record's package to jexecnet, {@code opens com.acme.model to org.jexecnet;}.
 */
package org.jexecnet;
