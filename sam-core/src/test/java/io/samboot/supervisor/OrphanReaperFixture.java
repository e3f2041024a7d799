package io.samboot.supervisor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.nativeaccess.NativeAccessException;

import static io.samboot.testsupport.FixtureMarks.check;
import static io.samboot.testsupport.FixtureMarks.fail;
import static io.samboot.testsupport.FixtureMarks.mark;

/**
 * A JVM that plays the supervisor for {@link OrphanReaperProcessTests}: it becomes a
 * child subreaper, starts an "instance" with {@link ProcessBuilder} (whose exit status
 * the JDK must still get), and has shells leave orphans behind, which are re-parented to
 * it. Prints {@code MARK ...} lines, and {@code FAIL ...} when something it checks is
 * wrong.
 *
 * <p>
 * Modes: {@code pid1} reaps as PID 1 would ({@code actAsInit}, after making itself a
 * subreaper so that orphans come to it); {@code subreaper} starts the reaper as the
 * supervisor does ({@link OrphanReaper#startIfNeeded(NativeAccess)}); {@code none} only
 * adopts the orphans (they stay zombies); {@code waitpid} checks
 * {@link NativeAccess#waitpidNoHang(long)}, {@link NativeAccess#endedChild()},
 * {@link NativeAccess#awaitEndedChild()}, {@link NativeAccess#awaitChildExit(long)} and
 * {@link NativeAccess#awaitChildExit(long, Duration)} itself.
 */
public final class OrphanReaperFixture {

	private static final NativeAccess OS = NativeAccess.get();

	private static final long SELF = OS.getpid();

	/**
	 * Orphans, each printed by its shell: one still running when adopted, one already a
	 * zombie when adopted (its parent, exec'ed into {@code sleep}, never reaps it), one
	 * killed by a signal. Each ends a little after its shell could have reaped it, so
	 * that only the adopter can.
	 */
	private static final String RUNNING_ORPHAN = "sleep 0.3 >/dev/null 2>&1 & echo $!";

	private static final String ZOMBIE_ORPHAN = "(sleep 0.1; exit 3) >/dev/null 2>&1 & echo $!; exec sleep 0.3";

	private static final String KILLED_ORPHAN = "sh -c 'sleep 0.2; kill -KILL $$' >/dev/null 2>&1 & echo $!";

	private static final List<String> ORPHAN_SCRIPTS = List.of(RUNNING_ORPHAN, ZOMBIE_ORPHAN, KILLED_ORPHAN);

	private OrphanReaperFixture() {
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		AtomicLong instancePid = new AtomicLong(-1);
		Optional<OrphanReaper> reaper = Optional.empty();
		switch (mode) {
			case "pid1" -> {
				check(OS.setChildSubreaper(), "setChildSubreaper() returned false");
				reaper = OrphanReaper.startIfNeeded(OS, pid -> pid == instancePid.get(), true);
				check(reaper.isPresent(), "no reaper acting as PID 1");
			}
			case "subreaper" -> {
				reaper = OrphanReaper.startIfNeeded(OS);
				check(reaper.isPresent(), "no reaper although this process can be a subreaper");
			}
			case "none" -> check(OS.setChildSubreaper(), "setChildSubreaper() returned false");
			case "waitpid" -> {
				waitpid();
				return;
			}
			default -> throw new IllegalArgumentException(mode);
		}
		Process instance = new ProcessBuilder("sh", "-c", "sleep 1; exit 7").start();
		instancePid.set(instance.pid());
		reaper.ifPresent(r -> r.instanceLaunched(1, instance.pid()));
		mark("instance pid=" + instance.pid());
		for (String script : ORPHAN_SCRIPTS) {
			mark("orphan pid=" + orphan(script));
		}
		mark("instance exit=" + instance.waitFor());
		mark("ready");
		Thread.sleep(60_000);
	}

	/**
	 * Runs the script in a shell that exits at once, leaving the process whose PID it
	 * prints.
	 */
	private static long orphan(String script) throws Exception {
		Process shell = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
		String line;
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(shell.getInputStream(), StandardCharsets.US_ASCII))) {
			line = reader.readLine();
		}
		check(shell.waitFor(10, TimeUnit.SECONDS), "the shell running '" + script + "' did not exit");
		return Long.parseLong(line.trim());
	}

	/**
	 * waitpid(WNOHANG) on adopted orphans: running, exited, killed, and not (or no
	 * longer) a child.
	 */
	private static void waitpid() throws Exception {
		check(OS.setChildSubreaper(), "setChildSubreaper() returned false");
		long running = orphan("sleep 30 >/dev/null 2>&1 & echo $!");
		awaitParentIsSelf(running);
		check(OS.waitpidNoHang(running).isEmpty(), "waitpidNoHang on a running child returned a status");
		check(OS.endedChild().isEmpty(), "endedChild() while no child has ended returned " + OS.endedChild());
		long exited = orphan(ZOMBIE_ORPHAN);
		check(awaitZombie(exited), "orphan " + exited + " did not become this process's zombie");
		OptionalLong ended = OS.endedChild();
		check(ended.equals(OptionalLong.of(exited)),
				"endedChild() with orphan " + exited + " a zombie returned " + ended);
		check(isZombieChild(exited), "endedChild() reaped orphan " + exited + ", which it must leave waitable");
		int awaitedStatus = OS.awaitChildExit(exited);
		check(awaitedStatus == 3, "awaitChildExit on an orphan that exited 3 returned " + awaitedStatus);
		check(isZombieChild(exited), "awaitChildExit reaped orphan " + exited + ", which it must leave waitable");
		OptionalInt timed = OS.awaitChildExit(exited, Duration.ofSeconds(10));
		check(timed.equals(OptionalInt.of(3)), "awaitChildExit(10s) on an orphan that exited 3 returned " + timed);
		check(isZombieChild(exited), "awaitChildExit(10s) reaped orphan " + exited + ", which it must leave waitable");
		OptionalInt status = OS.waitpidNoHang(exited);
		check(status.equals(OptionalInt.of(3)), "waitpidNoHang on an orphan that exited 3 returned " + status);
		check(!Files.exists(Path.of("/proc", Long.toString(exited))) || !isZombieChild(exited),
				"orphan " + exited + " still a zombie after waitpidNoHang");
		check(OS.waitpidNoHang(exited).isEmpty(), "waitpidNoHang on a reaped child (ECHILD) returned a status");
		try {
			OptionalInt afterReaping = OS.awaitChildExit(exited, Duration.ofMillis(50));
			fail("awaitChildExit(50ms) on a reaped child returned " + afterReaping);
		}
		catch (NativeAccessException expected) {
			check(expected.isNoSuchProcess(), "awaitChildExit(50ms) on a reaped child failed otherwise: " + expected);
		}
		long later = orphan("sleep 0.3 >/dev/null 2>&1 & echo $!");
		awaitParentIsSelf(later);
		OptionalLong awaited = OS.awaitEndedChild();
		check(awaited.equals(OptionalLong.of(later)),
				"awaitEndedChild() until orphan " + later + " ended returned " + awaited);
		check(isZombieChild(later), "awaitEndedChild() reaped orphan " + later + ", which it must leave waitable");
		check(OS.waitpidNoHang(later).equals(OptionalInt.of(0)), "orphan " + later + " did not exit 0");
		long killed = orphan("sleep 30 >/dev/null 2>&1 & echo $!");
		awaitParentIsSelf(killed);
		OptionalInt stillRunning = OS.awaitChildExit(killed, Duration.ofMillis(50));
		check(stillRunning.isEmpty(), "awaitChildExit(50ms) on a running orphan returned " + stillRunning);
		CompletableFuture<OptionalInt> killedTimed = CompletableFuture
			.supplyAsync(() -> OS.awaitChildExit(killed, Duration.ofSeconds(10)));
		CompletableFuture<Integer> killedStatus = CompletableFuture.supplyAsync(() -> OS.awaitChildExit(killed));
		check(!killedStatus.isDone(), "awaitChildExit returned for orphan " + killed + ", which still runs");
		OS.kill(killed, PosixSignal.KILL);
		int killedValue = killedStatus.get(10, TimeUnit.SECONDS);
		check(killedValue == 128 + 9, "awaitChildExit on an orphan killed by SIGKILL returned " + killedValue);
		OptionalInt killedTimedValue = killedTimed.get(10, TimeUnit.SECONDS);
		check(killedTimedValue.equals(OptionalInt.of(128 + 9)),
				"awaitChildExit(10s) on an orphan killed by SIGKILL returned " + killedTimedValue);
		check(OS.waitpidNoHang(killed).equals(OptionalInt.of(128 + 9)), "orphan " + killed + " not reaped as killed");
		OS.kill(running, PosixSignal.TERM);
		check(awaitZombie(running), "orphan " + running + " did not become a zombie after SIGTERM");
		status = OS.waitpidNoHang(running);
		check(status.equals(OptionalInt.of(128 + 15)),
				"waitpidNoHang on an orphan killed by SIGTERM returned " + status);
		check(OS.waitpidNoHang(OS.getppid()).isEmpty(), "waitpidNoHang on the parent (not a child) returned a status");
		try {
			OS.waitpidNoHang(0);
			fail("waitpidNoHang(0), which would wait for any child, was accepted");
		}
		catch (IllegalArgumentException expected) {
			// as it must
		}
		mark("waitpid ok");
	}

	private static void awaitParentIsSelf(long pid) throws InterruptedException {
		for (int i = 0; i < 500 && !isChild(pid); i++) {
			Thread.sleep(10);
		}
		check(isChild(pid), "orphan " + pid + " was not re-parented to this subreaper");
	}

	private static boolean awaitZombie(long pid) throws InterruptedException {
		for (int i = 0; i < 500; i++) {
			if (isZombieChild(pid)) {
				return true;
			}
			Thread.sleep(10);
		}
		return false;
	}

	private static boolean isChild(long pid) {
		ChildProcesses.Stat stat = stat(pid);
		return stat != null && stat.parentPid() == SELF;
	}

	private static boolean isZombieChild(long pid) {
		ChildProcesses.Stat stat = stat(pid);
		return stat != null && stat.parentPid() == SELF && stat.state() == 'Z';
	}

	private static ChildProcesses.Stat stat(long pid) {
		try {
			return ChildProcesses.parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
		}
		catch (IOException ex) {
			return null;
		}
	}

}
