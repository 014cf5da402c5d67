import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The floor for a JVM master and a child JVM worker over the child's stdin and stdout, with no protocol:
 * what jexecnet's popen gateway is measured against. The parent modes start a child of the same
 * {@code java} running this class in a child mode; {@code -Dchild.opts="..."} adds options to the child.
 *
 * <pre>
 * java JvmPipes spawn REPS         ProcessBuilder.start() to the child's first byte; closing its stdin to reaped
 * java JvmPipes tput MIB REPS      the child writes MIB MiB in 1 MiB writes, the parent reads 1 MiB at a time
 * java JvmPipes pingpong N REPS    N 8-byte round trips through the child
 * </pre>
 *
 * The first repetition of each is an unmeasured warm-up. Each result is one line in the reference scripts' form,
 * {@code NAME: MEDIAN UNIT  [min A, max B, n=N, spread S%]}, named after the Java version (and the child's options).
 */
public class JvmPipes {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "spawn" -> spawn(Integer.parseInt(args[1]));
            case "tput" -> throughput(Long.parseLong(args[1]), Integer.parseInt(args[2]));
            case "pingpong" -> roundTrips(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "child-ready" -> childReady();
            case "child-write" -> childWrite(Long.parseLong(args[1]));
            case "child-echo" -> childEcho();
            default -> throw new IllegalArgumentException("unknown mode " + args[0] + ": see the class comment");
        }
    }

    private static String prefix() {
        String options = System.getProperty("child.opts", "").trim();
        return "java" + Runtime.version().feature() + (options.isEmpty() ? "" : "[" + options.replace(' ', ',') + "]");
    }

    private static Process child(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java", "-Xshare:auto"));
        String options = System.getProperty("child.opts", "").trim();
        if (!options.isEmpty()) {
            command.addAll(Arrays.asList(options.split("\\s+")));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "JvmPipes"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void spawn(int reps) throws Exception {
        List<Double> firstByte = new ArrayList<>();
        List<Double> reaped = new ArrayList<>();
        for (int rep = 0; rep <= reps; rep++) {
            long start = System.nanoTime();
            Process process = child("child-ready");
            if (process.getInputStream().read() != '!') {
                throw new IllegalStateException("the child did not say it was ready");
            }
            long ready = System.nanoTime();
            process.getOutputStream().close();
            process.waitFor();
            long end = System.nanoTime();
            if (rep > 0) {
                firstByte.add((ready - start) / 1e6);
                reaped.add((end - ready) / 1e6);
            }
        }
        report(prefix() + ".spawn_child_jvm_to_first_byte", firstByte, "ms");
        report(prefix() + ".child_jvm_close_stdin_to_reaped", reaped, "ms");
    }

    private static void throughput(long mib, int reps) throws Exception {
        List<Double> rates = new ArrayList<>();
        byte[] buffer = new byte[1 << 20];
        for (int rep = 0; rep <= reps; rep++) {
            Process process = child("child-write", Long.toString(mib));
            InputStream in = process.getInputStream();
            long received = in.read() < 0 ? 0 : 1; // timed from the first byte: the child is up
            long start = System.nanoTime();
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                received += n;
            }
            long end = System.nanoTime();
            process.waitFor();
            if (received != mib << 20) {
                throw new IllegalStateException("received " + received + " of " + (mib << 20) + " bytes");
            }
            if (rep > 0) {
                rates.add(received / 1e6 / ((end - start) / 1e9));
            }
        }
        report(prefix() + ".pipe_child_jvm_to_parent_1MiB_writes", rates, "MB/s");
    }

    private static void roundTrips(int count, int reps) throws Exception {
        Process process = child("child-echo");
        InputStream in = process.getInputStream();
        OutputStream out = process.getOutputStream();
        byte[] message = new byte[8];
        List<Double> micros = new ArrayList<>();
        for (int rep = 0; rep <= reps; rep++) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                out.write(message);
                out.flush();
                readFully(in, message);
            }
            long end = System.nanoTime();
            if (rep > 0) {
                micros.add((end - start) / 1e3 / count);
            }
        }
        out.close();
        process.waitFor();
        report(prefix() + ".pipe_pingpong_child_jvm_8B", micros, "us");
    }

    private static void childReady() throws IOException {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        out.write('!');
        out.flush();
        InputStream in = new FileInputStream(FileDescriptor.in);
        while (in.read(new byte[4096]) >= 0) {
            // until the parent closes our stdin
        }
    }

    private static void childWrite(long mib) throws IOException {
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        byte[] chunk = new byte[1 << 20];
        for (long i = 0; i < mib; i++) {
            out.write(chunk);
        }
        out.flush();
    }

    private static void childEcho() throws IOException {
        InputStream in = new FileInputStream(FileDescriptor.in);
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        byte[] message = new byte[8];
        while (readFully(in, message)) {
            out.write(message);
            out.flush();
        }
    }

    /** Fills the array; false at the end of the stream before the first byte. */
    private static boolean readFully(InputStream in, byte[] into) throws IOException {
        int filled = 0;
        while (filled < into.length) {
            int n = in.read(into, filled, into.length - filled);
            if (n < 0) {
                if (filled == 0) {
                    return false;
                }
                throw new IOException("the stream ended inside a message");
            }
            filled += n;
        }
        return true;
    }

    private static void report(String name, List<Double> values, String unit) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        double low = sorted[0];
        double high = sorted[sorted.length - 1];
        System.out.printf(Locale.ROOT, "%s: %.2f %s  [min %.2f, max %.2f, n=%d, spread %.0f%%]%n",
                name, median, unit, low, high, sorted.length, (high - low) / median * 100);
    }
}
