/** The least a JVM can do: start, print a line, exit. limits.sh times it from outside. */
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello");
    }
}
