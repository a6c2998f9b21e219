/** The Logback bridge: log events carrying an audit marker become Vigil audit events. */
package io.vigil.logback;
