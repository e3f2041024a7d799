package io.samboot.supervisor;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/** Starts an active instance. Behind an interface so the loop's decisions can be tested without processes. */
interface InstanceLauncher {

    /**
     * Starts the instance described by the ticket.
     * @return the running instance
     * @throws IOException if the process could not be started
     */
    LaunchedInstance launch(LaunchTicket ticket) throws IOException;

    /** What an instance needs to find and prove itself to the supervisor. */
    record LaunchTicket(int instanceId, byte[] secret, String socketPath, long supervisorPid) {
    }

    /** A started instance: its PID and a future completed with its exit value when it ends. */
    record LaunchedInstance(long pid, CompletableFuture<Integer> exit) {
    }
}
