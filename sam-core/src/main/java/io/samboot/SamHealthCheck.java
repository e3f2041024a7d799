package io.samboot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a method of a Spring bean part of every event-driven SAM health check.
 *
 * <p>
 * The method must be public, take no arguments and return {@code boolean} ({@code false}
 * means unhealthy), a Spring Boot {@code Health} (anything but {@code UP} means
 * unhealthy), or {@code void} (throwing means unhealthy). It runs on SAM's health-check
 * thread within {@code sam.health-check.timeout}; a method that runs longer counts as a
 * timeout. A method with another signature stops the application at start-up with a
 * message that says why.
 *
 * <pre>{@code
 * &#64;SamHealthCheck
 * public boolean queueConsumerAlive() {
 *     return this.consumer.isRunning();
 * }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface SamHealthCheck {

}
