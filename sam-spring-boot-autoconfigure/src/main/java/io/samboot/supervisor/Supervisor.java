package io.samboot.supervisor;

import io.samboot.SamSettings;
import io.samboot.nativeaccess.NativeAccess;

import java.io.IOException;
import java.time.Clock;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Turns the process the user started into the supervisor of its own application. Called once, on
 * the thread that will own the supervisor loop for the rest of the process's life (the main thread):
 * it never returns.
 */
public final class Supervisor {

    private Supervisor() {
    }

    /**
     * Launches this JVM's command line as the active instance and supervises it until the supervisor
     * exits, with the last instance's exit status.
     * @param initial the settings until the instance sends its own (they only matter before it
     *     registers: the shutdown timeout for a signal that arrives before then)
     * @param data data stored before registration, handed to every instance until replaced
     */
    public static void superviseThisProcess(SamSettings initial, byte[] data) {
        SupervisorLog log = SupervisorLog.get();
        NativeAccess os = NativeAccess.get();
        CommandLine commandLine;
        try {
            commandLine = CommandLine.current();
        }
        catch (RuntimeException ex) {
            log.error("cannot supervise: " + ex.getMessage() + "; run with -Dsam.enabled=false to start without SAM");
            System.exit(1);
            return;
        }
        boolean jmxReleased = JmxRemoteAgent.releaseIfRunning();
        JvmOptionPolicy.Result instanceCommand = JvmOptionPolicy.rewrite(commandLine.arguments(), jmxReleased);
        instanceCommand.notes().forEach(log::info);
        if (!os.isNative()) {
            log.warn("native access is unavailable: the supervisor can send only SIGTERM and SIGKILL, and an instance"
                    + " is not killed if the supervisor is (add net.java.dev.jna:jna)");
        }
        BlockingQueue<SupervisorEvent> events = new LinkedBlockingQueue<>();
        ControlServer server;
        try {
            server = ControlServer.open(events::add);
        }
        catch (IOException ex) {
            log.error("cannot open the control channel: " + ex + "; run with -Dsam.enabled=false to start without SAM");
            System.exit(1);
            return;
        }
        SignalTrap.install(signal -> events.add(new SupervisorEvent.SignalReceived(signal)));
        log.info("supervising pid " + os.getpid() + ": relaunching " + commandLine.executable()
                + " as the active instance");
        SupervisorLoop loop = new SupervisorLoop(events, initial, data,
                new ProcessInstanceLauncher(instanceCommand.arguments()), server, os, System::exit, System::nanoTime,
                Clock.systemUTC());
        loop.clusterServices(ServiceLoader.load(ClusterServices.class, Supervisor.class.getClassLoader()).findFirst()
            .orElse(ClusterServices.NONE));
        loop.pauseProbe(PauseProbe.forThisPlatform());
        SystemdNotifier.fromEnvironment(System.getenv(), os).ifPresent(loop::addListener);
        OrphanReaper.startIfNeeded(os).ifPresent(loop::addListener);
        loop.run();
        // The exit callback has been called; if it returned (System.exit blocked by a hook), wait for the end.
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
