package org.jexecnet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jexecnet.Channel;
import org.jexecnet.Gateway;
import org.jexecnet.Group;

/**
 * ssh gateways to first item, jexecnet against Python execnet, over one private OpenSSH server on a
 * loopback port, in the same run: jexecnet at first contact (a fresh remote cache, so the bootstrap
 * ships the core jar) and cached (the jar is there, only its hash is checked), execnet's
 * {@code ssh=...//python=/usr/bin/python3}, and the machine's floor: {@code ssh host true} and
 * {@code ssh host java -version}. Rounds alternate the sides, so the drift of this shared machine
 * weighs on all alike. Medians of every repetition.
 *
 * <p>Usage (root, as the sshd recipe needs a private /run): {@code java -cp jexecnet.jar:jexecnet-bench.jar
 * org.jexecnet.bench.SshComparison [ROUNDS]}; {@code bench/run-ssh.sh} builds and runs it.
 */
public final class SshComparison {
    private static final int PER_ROUND = 3;
    private static final Duration RECEIVE = Duration.ofSeconds(60);

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Path dir = Files.createTempDirectory("jexecnet-ssh-bench");
        Process sshd = null;
        try {
            int port = freePort();
            sshd = startSshd(dir, port);
            String options = "-F /dev/null -p " + port + " -i " + dir.resolve("client") + " -o IdentitiesOnly=yes -o BatchMode=yes"
                    + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR";
            String target = options + " " + System.getProperty("user.name") + "@127.0.0.1";
            Map<String, List<Double>> results = new LinkedHashMap<>();
            for (String name : List.of("ssh host true", "ssh host java -version", "execnet ssh//python", "jexecnet ssh, first contact",
                    "jexecnet ssh, cached")) {
                results.put(name, new ArrayList<>());
            }
            List<String> ssh = new ArrayList<>(List.of("ssh"));
            ssh.addAll(List.of(target.split(" ")));
            try (Group group = new Group()) {
                firstItem(group, target, dir.resolve("cache-warm")); // warms this JVM and fills the cached side's cache
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < PER_ROUND; i++) {
                        results.get("ssh host true").add(command(ssh, "true"));
                        results.get("ssh host java -version").add(command(ssh, "java -Xshare:auto -XX:-UsePerfData -version"));
                    }
                    results.get("execnet ssh//python").addAll(python(target));
                    for (int i = 0; i < PER_ROUND; i++) {
                        results.get("jexecnet ssh, first contact").add(firstItem(group, target, dir.resolve("cache-" + round + "-" + i)));
                        results.get("jexecnet ssh, cached").add(firstItem(group, target, dir.resolve("cache-warm")));
                    }
                    System.err.println("round " + (round + 1) + " of " + rounds + " done");
                }
            }
            double execnet = Figures.median(results.get("execnet ssh//python"));
            double floor = Figures.median(results.get("ssh host java -version"));
            System.out.printf("%-30s %12s %6s %14s %14s%n", "ssh gateway to first item", "median ms", "n", "/ execnet", "/ ssh+java");
            results.forEach((name, values) -> {
                double median = Figures.median(values);
                System.out.printf("%-30s %12s %6d %14s %14s%n", name, Figures.format(median), values.size(),
                        Figures.format(median / execnet) + "x", Figures.format(median / floor) + "x");
            });
        } finally {
            if (sshd != null) {
                sshd.descendants().forEach(ProcessHandle::destroyForcibly);
                sshd.destroyForcibly();
                sshd.waitFor(10, TimeUnit.SECONDS);
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Milliseconds from makeGateway to the first item of remote code, then closes the gateway. */
    private static double firstItem(Group group, String target, Path cache) {
        long start = System.nanoTime();
        Gateway gw = group.makeGateway("ssh=" + target + "//env:JEXECNET_CACHE=" + cache);
        Channel channel = gw.remoteExec(ch -> ch.send(1));
        if ((Integer) channel.receive(RECEIVE) != 1) {
            throw new AssertionError("wrong item");
        }
        double millis = (System.nanoTime() - start) / 1e6;
        gw.close();
        return millis;
    }

    private static List<Double> python(String target) throws IOException, InterruptedException {
        Process process = ReferenceScripts.command("ssh_first_item.py", "ssh=" + target + "//python=" + ReferenceScripts.python(),
                String.valueOf(PER_ROUND)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<Double> values = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("first_item_ms ")) {
                    values.add(Double.parseDouble(line.substring(14)));
                }
            }
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0 || values.size() != PER_ROUND) {
            process.destroyForcibly();
            throw new IllegalStateException("execnet's ssh benchmark failed: " + values);
        }
        return values;
    }

    private static double command(List<String> ssh, String remote) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(ssh);
        command.add(remote);
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    /** A private sshd, as core's tests start one: fresh keys, a private /run as root. */
    private static Process startSshd(Path dir, int port) throws Exception {
        for (String key : List.of("host", "client")) {
            Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", dir.resolve(key).toString())
                    .redirectErrorStream(true).start();
            if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
                throw new IllegalStateException("ssh-keygen failed");
            }
        }
        Files.copy(dir.resolve("client.pub"), dir.resolve("authorized_keys"));
        List<String> command = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount -t tmpfs -o mode=755 tmpfs /run && mkdir -m 755 /run/sshd && exec /usr/sbin/sshd \"$@\"", "sshd"));
        command.addAll(List.of("-D", "-e", "-f", "/dev/null", "-p", String.valueOf(port), "-h", dir.resolve("host").toString(),
                "-o", "ListenAddress=127.0.0.1", "-o", "PidFile=none", "-o", "StrictModes=no", "-o", "MaxStartups=200",
                "-o", "AuthorizedKeysFile=" + dir.resolve("authorized_keys")));
        Process sshd = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Boolean> listening = new CompletableFuture<>();
        Thread pump = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(sshd.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("Server listening")) {
                        listening.complete(true);
                    }
                }
            } catch (IOException e) {
                // sshd ended
            }
            listening.complete(false);
        }, "sshd-log");
        pump.setDaemon(true);
        pump.start();
        if (!listening.get(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("sshd did not start (root is needed for its private /run)");
        }
        return sshd;
    }
}
