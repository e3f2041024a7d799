package io.samboot.supervisor;

import io.samboot.EndCause;
import io.samboot.PosixSignal;
import io.samboot.protocol.Message.HealthCheckResult;

import java.time.Instant;

/**
 * What the supervisor knows of one active instance, from launch to exit. Only the loop thread
 * touches it.
 */
final class SupervisedInstance {

    /** What follows once an instance has been told to go. */
    enum Next {
        /** Apply the recovery policy: restart or quit. */
        RECOVER,
        /** Quit whatever the policy (shutdown, mark-failed). */
        QUIT,
        /** Start a new instance whatever the policy (a restart the user asked for). */
        RESTART
    }

    /** The decision taken about this instance's end; once taken, nothing the instance does changes it. */
    record Ending(EndCause cause, Next next, String detail) {
    }

    final int id;

    final long pid;

    final Instant startedAt;

    final long launchedNanos;

    boolean registered;

    boolean started;

    boolean everStarted;

    boolean eventDriven;

    /** start() arrived but waits, unanswered, until the cluster is quorate. */
    boolean waitingForQuorum;

    boolean finalized;

    /** Re-armed by every message but a failed health check: the time interval counts from here. */
    long lastAliveNanos;

    /** The last failed health-check answer since the last good one, or {@code null}. */
    HealthCheckResult lastFailure;

    long nextRequestNanos;

    /** While a stop-the-world pause holds the instance: when the extension began, 0 when none. */
    long pauseGraceSinceNanos;

    /** The health-check deadline extended for a pause; 0 when not extended. */
    long pauseGraceUntilNanos;

    long requestSequence;

    Ending ending;

    /** When SIGKILL follows the warning or graceful-stop signal; 0 when none is due. */
    long killAtNanos;

    boolean killed;

    /** The last signal the supervisor sent it, for the log. */
    PosixSignal lastSignal;

    long lastSignalNanos;

    SupervisedInstance(int id, long pid, Instant startedAt, long launchedNanos) {
        this.id = id;
        this.pid = pid;
        this.startedAt = startedAt;
        this.launchedNanos = launchedNanos;
        this.lastAliveNanos = launchedNanos;
    }

    @Override
    public String toString() {
        return "instance " + this.id + " (pid " + this.pid + ")";
    }
}
