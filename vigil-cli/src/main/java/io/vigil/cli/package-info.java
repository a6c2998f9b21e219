/** The {@code vigil} command line: demo ledgers, keys, offline verification, proofs, queries and tailing. */
package io.vigil.cli;
