/** Implementation of the pipeline and its helpers; not an API, may change in any release. */
package io.vigil.internal;
