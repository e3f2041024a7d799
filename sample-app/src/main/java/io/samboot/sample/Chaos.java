package io.samboot.sample;

import java.util.concurrent.CountDownLatch;

import io.samboot.SamHealthCheck;

import org.springframework.boot.health.contributor.Health;
import org.springframework.stereotype.Component;

/**
 * The faults the demo endpoints switch on, seen by SAM's event-driven health check through
 * {@link SamHealthCheck @SamHealthCheck} methods.
 */
@Component
public class Chaos {

    private final CountDownLatch never = new CountDownLatch(1);

    private volatile boolean hanging;

    private volatile boolean unhealthy;

    /** From now on every health check blocks forever: the supervisor sees no answer. */
    public void hang() {
        this.hanging = true;
    }

    /** From now on every health check answers "unhealthy". */
    public void makeUnhealthy() {
        this.unhealthy = true;
    }

    /** Blocks forever once {@link #hang()} was called. */
    @SamHealthCheck
    public void responsive() throws InterruptedException {
        if (this.hanging) {
            this.never.await();
        }
    }

    /** DOWN, with the reason, once {@link #makeUnhealthy()} was called. */
    @SamHealthCheck
    public Health healthy() {
        if (this.unhealthy) {
            return Health.down().withDetail("reason", "POST /chaos/unhealthy was called").build();
        }
        return Health.up().build();
    }
}
