/** The {@code vigil} command line: demo now, verification, proofs, queries and the server in later releases. */
package io.vigil.cli;
