/**
 * SAM, corosync's Simple Availability Manager, for the JVM: the plain-Java API
 * ({@link io.samboot.Sam}, {@link io.samboot.SamClient}) and the process model behind it.
 * This page is the one description of that model; the code follows it.
 *
 * <h2>Who is who</h2>
 * <ul>
 * <li>The process the user starts is the <b>supervisor</b>. When it registers (the plain
 * API's {@code Sam.register()}, or Spring Boot's {@code ApplicationStartingEvent}), it
 * re-launches its own exact command line, read from {@code /proc/self/cmdline}, as the
 * <b>active instance</b>, and from then on only supervises: its PID never changes and it
 * exits with the last instance's exit status (128 + N when the instance died of signal
 * N). {@link io.samboot.supervisor.SupervisionDecision} decides who is who;
 * {@link io.samboot.supervisor.Supervisor} is the entry point,
 * {@link io.samboot.supervisor.SupervisorLoop} the loop, {@code ProcessInstanceLauncher}
 * the launcher and {@code JvmOptionPolicy} what happens to JVM options two JVMs cannot
 * share. Having launched instance 1, the supervisor re-executes itself ({@code execve},
 * same PID) as a lean Spring-free JVM ({@code SupervisorReexec}, {@code SupervisorMain})
 * that takes instance 1 over; SAM's optional executable-jar launcher
 * ({@code io.samboot.launcher.SamJarLauncher}) makes the same decision before Spring Boot
 * loads ({@link io.samboot.supervisor.EarlySupervision}).</li>
 * <li>The <b>instance</b> runs the application. It finds the supervisor through
 * environment variables ({@link io.samboot.protocol.Handoff}): the socket path, the
 * supervisor's PID, its instance id and a secret made for this launch only. Its first act
 * is {@code prctl(PR_SET_PDEATHSIG, SIGKILL)} and a check that its parent is still the
 * supervisor, so it never outlives the supervisor, even a SIGKILLed one
 * ({@link io.samboot.nativeaccess}). Instance ids start at 1 and grow by one per
 * launch.</li>
 * </ul>
 * Nothing in the model assumes the supervisor has one child: instances are known by id,
 * the channel accepts the instance it expects, and the loop keeps the current one apart
 * from those that ended.
 *
 * <h2>What travels on the channel</h2> A Unix socket in a fresh directory only the user
 * can enter ({@code ControlDirectory}, {@code ControlServer}); frames of a 4-byte length
 * and a message ({@link io.samboot.protocol.MessageCodec}), bounded by
 * {@code sam.data-store.max-size} plus 64 KiB (64 KiB before the handshake). The instance
 * checks that its peer runs as its own user, challenges it to prove the secret
 * ({@link io.samboot.protocol.HandshakeProofs}) and only then sends a hello with its own
 * proof, its PID and its settings (the supervisor cannot read {@code application.yml});
 * the secret never crosses the socket. Anything else that connects, a second connection,
 * a wrong proof, garbage, a truncated or oversized frame, is refused and logged
 * ({@code ControlHandshake}), and supervision goes on. Then: commands from the instance
 * ({@code start}, {@code stop}, {@code warnSignalSet}, {@code dataStore},
 * {@code markFailed}, {@code close}, status and restart requests), each answered once;
 * one-way heartbeats ({@code hcSend}) and health-check results; and health-check requests
 * from the supervisor.
 *
 * <h2>States and transitions of an instance, in the supervisor</h2> <pre>
 *  launched --hello--&gt; registered --start--&gt; started --stop/close--&gt; registered
 *                              (no limit)        |  time interval re-armed by every message
 *                                                |  (event-driven: by a passed check only)
 *                                                v
 *       interval passes without a sign of life: the recovery is decided (cause recorded)
 *                    --&gt; warning signal --kill-delay--&gt; SIGKILL
 *  instance ends:  started or recovery decided --&gt; recovery policy: RESTART launches the next,
 *                                                    QUIT exits (state failed)
 *                  not started                 --&gt; the supervisor exits with its status
 * </pre> Once the warning signal is sent, nothing the instance does while it shuts down
 * (a JVM runs its shutdown hooks on SIGTERM, and Spring stops SAM there) changes the
 * decision. SIGTERM or SIGINT to the supervisor stops the instance (SIGTERM, then SIGKILL
 * after {@code sam.shutdown-timeout}) and exits without restart; SIGHUP, or a restart
 * request, restarts it gracefully. {@code markFailed()} kills the instance at once and
 * ends supervision in state {@code failed}. The supervisor keeps a record of every ended
 * instance (the last {@value io.samboot.SamStatus#HISTORY_LIMIT}) with its cause,
 * readable from the instance as {@link io.samboot.SamStatus}.
 *
 * <h2>Where we differ from corosync on purpose</h2>
 * <ul>
 * <li>Exit status: corosync's server exits with {@code WEXITSTATUS}, 0 for a killed
 * child; we exit with 128 + N, as a shell reports it.</li>
 * <li>After the warning signal corosync forgives nothing but still lets heartbeats
 * postpone the SIGKILL; we send SIGKILL after {@code kill-delay} whatever comes.</li>
 * <li>Event-driven checks: corosync's instance sends heartbeats and stops when its
 * callback fails; here the supervisor requests each check and the instance answers with
 * the check's name and reason, so "failed" and "timed out" are told apart. Only a passed
 * check re-arms the interval.</li>
 * <li>{@code markFailed()} works without the CMAP flag; a warning signal that would stop
 * or crash a JVM (STOP, USR2, ...) is refused with INVALID_PARAM; the data store has a
 * size limit (TOO_BIG).</li>
 * </ul>
 */
package io.samboot;
