/** Child-JVM writers used by the throughput comparison: one logging stack per process, so they cannot interfere. */
package io.vigil.bench.child;
