/** How the Logback bridge matches markers, maps a logging event to an audit event and holds events until bound. */
package io.vigil.logback.internal;
