/** Generators for the project's reference documents, so that the documents cannot drift from the code. */
package io.vigil.internal.docs;
