package org.jexecnet;

/**
 * A complex number: Python's {@code complex}, which Java lacks.
 *
 * <p>Equality compares both parts as {@link Double#compare} does, so {@code NaN} equals itself and
 * {@code 0.0} differs from {@code -0.0}, matching the serialized bytes.
 *
 * @param real the real part
 * @param imag the imaginary part
 */
public record Complex(double real, double imag) {

    /**
     * Python's notation: {@code (1+2j)}.
     */
    @Override
    public String toString() {
        String sign = imag < 0 || (imag == 0 && 1 / imag < 0) ? "-" : "+";
        return "(" + real + sign + Math.abs(imag) + "j)";
    }
}
