package io.vigil.spring.internal.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** {@code vigil.integration.failures}: what the Spring integration could not audit (each also logged, rate-limited). */
public final class IntegrationFailureMeter implements MeterBinder {
    private final IntegrationFailures failures;

    public IntegrationFailureMeter(IntegrationFailures failures) {
        this.failures = failures;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("vigil.integration.failures", failures, IntegrationFailures::count)
                .description("failures of Vigil's listeners, request filter and resolvers; the request went on")
                .register(registry);
    }
}
