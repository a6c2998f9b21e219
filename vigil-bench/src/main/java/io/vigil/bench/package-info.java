/** Benchmarks of Vigil's caller cost, caller latency and end-to-end JSONL throughput against Log4j2 and Logback. */
package io.vigil.bench;
