package org.jexecnet.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test once per gateway kind, with a {@link Gw} parameter: execnet's {@code gw} fixture and its
 * parametrization (conftest.py's {@code pytest_generate_tests}). Each run is named {@code [kind]}. A test
 * that makes its own gateways of the kind's worker language takes a {@link Kind} instead.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(Gateways.class)
public @interface EachGateway {
    /**
     * The kinds to run on; all five unless a test is about some (execnet's {@code gwtype}).
     *
     * @return the kinds
     */
    Kind[] value() default {Kind.POPEN, Kind.SOCKET, Kind.VIA, Kind.SSH, Kind.PYTHON};
}
