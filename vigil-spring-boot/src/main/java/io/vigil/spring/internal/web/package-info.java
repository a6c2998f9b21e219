/** The request's audit context: a servlet filter that gives every event recorded during a request its request id, trace id, client address, session and tenant. */
package io.vigil.spring.internal.web;
