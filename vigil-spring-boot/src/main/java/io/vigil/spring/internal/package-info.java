/** The starter's implementation; nothing here is API, and other modules do not use it. */
package io.vigil.spring.internal;
