/**
 * The health checks SAM runs in the instance for every event-driven check: the liveness
 * state, every {@link io.samboot.SamHealthCheck} method and the Actuator health
 * contributors named in {@code sam.health-check.include}. Created by the
 * auto-configuration; not auto-configuration themselves.
 */
package io.samboot.autoconfigure.healthcheck;
