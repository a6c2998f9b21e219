/** The server's API: starting and stopping it, its options, and the API keys that let clients in. */
package io.vigil.server;
