/** Configuration of a log from YAML or properties files, validated with the key path in every message, and reloadable. */
package io.vigil.config;
