/**
 * The supervisor's HTTP liveness check in a Spring Boot application
 * ({@code sam.health-check.http.enabled}): once a web server listens, the supervisor is
 * told the URL of the liveness endpoint it serves.
 */
package io.samboot.autoconfigure.httpcheck;
