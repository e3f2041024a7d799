/**
 * The supervisor: who this process is, launching the active instance, the loop that
 * watches it, and the control channel to it.
 *
 * <h2>Who is who, and how the supervisor starts</h2>
 * {@link io.samboot.supervisor.SupervisionDecision} decides whether this process
 * supervises, is an instance, or runs unsupervised;
 * {@link io.samboot.supervisor.EarlySupervision} is the entry of the early launcher.
 * {@link io.samboot.supervisor.Supervisor} launches instance 1 ({@code CommandLine},
 * {@code JvmOptionPolicy}, {@code JmxRemoteAgent}, {@code ProcessInstanceLauncher}), then
 * {@code SupervisorReexec} re-executes the JVM as the lean supervisor
 * ({@link io.samboot.supervisor.SupervisorMain}, reading a {@code SupervisorHandover},
 * with the class path of {@code SupervisorClassPath}). The supervisor's lines go to
 * {@link io.samboot.supervisor.SupervisorConsole}.
 *
 * <h2>The loop</h2> {@code SupervisorLoop} holds every decision and runs on one thread,
 * fed by {@code SupervisorEvent}s from the {@code SupervisorInbox}: the channel's
 * messages, which the loop's thread reads itself while it waits in a selector, and the
 * events other threads post (the instance's end, signals from {@code SignalTrap}, quorum
 * changes). Its parts keep the bookkeeping: {@code Deadlines} (what is due now, and when
 * the next thing is), {@code Launches} and {@code Registrations} (an instance's
 * beginning), {@code HealthChecks} and {@code PauseGrace} (its signs of life, and the
 * grace of a garbage-collection pause that {@code PauseProbe}/{@code HotSpotPauseProbe}
 * reads in HotSpot's performance counters: {@code HsPerfDataFiles} finds and maps their
 * file, {@code HsPerfData} reads it), {@code InstanceStopper} (warning signal, SIGKILL,
 * graceful stop), {@code Restarts} (the recovery policy and {@code RestartBackoff}),
 * {@code InstanceHistory}, {@code SupervisorDataStore} (the data store, which the channel
 * fills as it reads), {@code ClusterLink} (quorum and CMAP through
 * {@link io.samboot.supervisor.ClusterServices}) and {@code Supervision} (the
 * supervisor's own stage and its exit). Observers ({@code SystemdNotifier},
 * {@code OrphanReaper}, the cluster plug-in's CMAP publisher) are
 * {@link io.samboot.supervisor.SupervisorListener}s.
 *
 * <h2>States</h2> The supervisor is supervising, shutting down (SIGTERM or SIGINT: the
 * instance stops and none follows), or has exited, with the last instance's status or
 * having given up (state {@code failed}). An instance is not started (the startup timeout
 * applies), waiting for quorum ({@code start()} arrived while the cluster is inquorate),
 * started (the time interval is enforced) or stopped ({@code stop()}: no time limit).
 * Once the loop decides an instance ends, the decision (cause, and whether the policy, a
 * quit or a restart follows) is kept, whatever the instance does next.
 *
 * <h2>The control channel</h2> {@code ControlServer} listens on a Unix socket in the
 * private directory of {@code ControlDirectory}; {@code ControlHandshake} admits only the
 * instance the loop expects ({@code ExpectedInstance}: id, secret, PID);
 * {@code PeerConnection} reads its frames on the loop's thread, a piece at a time
 * ({@link io.samboot.protocol.FrameReader}), and writes them (a writer thread only for
 * what the socket does not take at once). The loop sees it as a {@code ControlChannel};
 * {@link io.samboot.supervisor.EmbeddedControlServer} lets a caller that plays the loop
 * (the benchmarks) use the real server.
 */
package io.samboot.supervisor;
