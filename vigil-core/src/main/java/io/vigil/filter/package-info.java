/** Which events are kept: by category, outcome, severity and type, for a whole log or for one sink. */
package io.vigil.filter;
