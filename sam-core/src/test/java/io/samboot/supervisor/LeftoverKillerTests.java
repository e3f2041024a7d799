package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;

import io.samboot.PosixSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LeftoverKiller}'s decisions over a fake process tree whose processes die when
 * killed: which leftovers it kills after an instance ended and when the supervisor exits,
 * and which it keeps. {@code DescendantsProcessTests} proves it with real processes.
 */
class LeftoverKillerTests {

	private static final long SELF = FakeNativeAccess.PID;

	/** Parent PID to its children, in order. */
	private final Map<Long, List<Long>> tree = new HashMap<>();

	private final Map<Long, Character> states = new HashMap<>();

	private final Map<Long, Integer> marks = new HashMap<>();

	private final AtomicLong now = new AtomicLong();

	private final CapturedLog log = new CapturedLog();

	private final FakeNativeAccess os = new FakeNativeAccess() {

		@Override
		public boolean kill(long pid, PosixSignal signal) {
			super.kill(pid, signal);
			LeftoverKillerTests.this.states.put(pid, 'Z');
			return true;
		}

	};

	private final LeftoverKiller killer = new LeftoverKiller(this.os, this::children,
			pid -> this.marks.containsKey(pid) ? OptionalInt.of(this.marks.get(pid)) : OptionalInt.empty(),
			this.log.log, this.now::get);

	@Test
	void killsWhatTheEndedInstanceLeftAndEverythingBelowIt() {
		process(SELF, 20, 1);
		process(20, 21, 1);
		process(21, 22, 1);
		this.killer.instanceEnded(1, Map.of());
		assertThat(killed()).containsExactly(20L, 21L, 22L);
		assertThat(this.log.lines()).containsExactly(
				"WARN instance 1 left 3 processes running: killed 20 (p20), 21 (p21), 22 (p22) (SIGKILL); an"
						+ " application should stop what it starts when it stops");
	}

	@Test
	void keepsTheRunningInstancesAndWhatIsTheirs() {
		process(SELF, 30, 2); // instance 2, launched already
		process(30, 31, 2); // its child
		process(SELF, 40, 3); // the standby
		process(SELF, 41, 3); // a daemon the standby double-forked
		process(SELF, 20, 1); // what instance 1 left
		this.killer.instanceEnded(1, running(30, 2, 40, 3));
		assertThat(killed()).containsExactly(20L);
	}

	@Test
	void leavesZombiesToTheReaper() {
		process(SELF, 20, 1);
		this.states.put(20L, 'Z');
		this.killer.instanceEnded(1, Map.of());
		assertThat(killed()).isEmpty();
		assertThat(this.log.lines()).isEmpty();
	}

	@Test
	void anUnmarkedProcessIsKilledOnlyWhenNoOtherInstanceCouldOwnIt() {
		process(SELF, 20, 0);
		this.killer.instanceEnded(1, running(40, 3));
		assertThat(killed()).isEmpty();
		this.killer.instanceEnded(3, Map.of());
		assertThat(killed()).containsExactly(20L);
	}

	@Test
	void whenTheSupervisorExitsEverythingBelowItGoesButTheInstancesThemselves() {
		process(SELF, 40, 3); // the standby, still stopping
		process(40, 41, 3); // its child
		process(SELF, 20, 0); // unmarked
		this.killer.supervisorExiting(running(40, 3));
		assertThat(killed()).containsExactlyInAnyOrder(41L, 20L);
	}

	@Test
	void whatAKilledProcessForkedMeanwhileIsKilledToo() {
		process(SELF, 20, 1);
		FakeNativeAccess forking = new FakeNativeAccess() {

			@Override
			public boolean kill(long pid, PosixSignal signal) {
				super.kill(pid, signal);
				LeftoverKillerTests.this.states.put(pid, 'Z');
				if (pid == 20) {
					// It forked before it died: the child is re-parented to the
					// supervisor.
					process(SELF, 50, 1);
				}
				return true;
			}

		};
		new LeftoverKiller(forking, this::children, pid -> OptionalInt.of(1), this.log.log, this.now::get)
			.instanceEnded(1, Map.of());
		assertThat(forking.kills).extracting(FakeNativeAccess.Kill::pid).containsExactly(20L, 50L);
	}

	@Test
	void aProcessThatDoesNotDieIsReportedAfterTheSettleTime() {
		process(SELF, 20, 1);
		FakeNativeAccess stuck = new FakeNativeAccess() {

			@Override
			public boolean kill(long pid, PosixSignal signal) {
				super.kill(pid, signal);
				LeftoverKillerTests.this.now.addAndGet(LeftoverKiller.SETTLE.toNanos() / 2);
				return true;
			}

		};
		new LeftoverKiller(stuck, this::children, pid -> OptionalInt.of(1), this.log.log, this.now::get)
			.instanceEnded(1, Map.of());
		assertThat(this.log.lines()).anyMatch(line -> line
			.startsWith("WARN instance 1 left processes that are still running after SIGKILL: 20 (p20)"));
	}

	@Test
	void theMarkIsTheInstanceIdInheritedFromThisSupervisor(@TempDir Path proc) throws IOException {
		environ(proc, 5, "PATH=/bin\0SAM_SUPERVISOR_PID=1000\0SAM_INSTANCE_ID=7\0");
		environ(proc, 6, "SAM_SUPERVISOR_PID=999\0SAM_INSTANCE_ID=7\0");
		environ(proc, 7, "PATH=/bin\0");
		environ(proc, 8, "SAM_SUPERVISOR_PID=1000\0SAM_INSTANCE_ID=x\0");
		assertThat(LeftoverKiller.instanceMark(proc, 5, 1000)).hasValue(7);
		assertThat(LeftoverKiller.instanceMark(proc, 6, 1000)).isEmpty();
		assertThat(LeftoverKiller.instanceMark(proc, 7, 1000)).isEmpty();
		assertThat(LeftoverKiller.instanceMark(proc, 8, 1000)).isEmpty();
		assertThat(LeftoverKiller.instanceMark(proc, 9, 1000)).isEmpty();
	}

	private static void environ(Path proc, long pid, String variables) throws IOException {
		Files.createDirectories(proc.resolve(Long.toString(pid)));
		Files.writeString(proc.resolve(Long.toString(pid)).resolve("environ"), variables);
	}

	/** A live process under {@code parent}, marked with an instance id unless 0. */
	private void process(long parent, long pid, int instanceId) {
		this.tree.computeIfAbsent(parent, key -> new ArrayList<>()).add(pid);
		this.states.put(pid, 'S');
		if (instanceId != 0) {
			this.marks.put(pid, instanceId);
		}
	}

	private List<ChildProcesses.Child> children(long parent) {
		List<ChildProcesses.Child> children = new ArrayList<>();
		for (long pid : this.tree.getOrDefault(parent, List.of())) {
			children.add(new ChildProcesses.Child(pid, this.states.get(pid), "p" + pid));
		}
		return children;
	}

	private static Map<Long, Integer> running(long... pidsAndIds) {
		Map<Long, Integer> running = new LinkedHashMap<>();
		for (int i = 0; i < pidsAndIds.length; i += 2) {
			running.put(pidsAndIds[i], (int) pidsAndIds[i + 1]);
		}
		return running;
	}

	private List<Long> killed() {
		return this.os.kills.stream().map(FakeNativeAccess.Kill::pid).distinct().toList();
	}

}
