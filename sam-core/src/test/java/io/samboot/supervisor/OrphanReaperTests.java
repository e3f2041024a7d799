package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OrphanReaper}'s decisions with a fake {@code /proc} and fake {@code waitpid}:
 * which children it reaps, and when. {@link OrphanReaperProcessTests} proves the same
 * with real processes.
 */
class OrphanReaperTests {

	private static final long SELF = 1000;

	private static final long PERIOD = Duration.ofMillis(500).toNanos();

	private final AtomicLong now = new AtomicLong();

	private final List<ChildProcesses.Child> children = new ArrayList<>();

	private final ReapingNativeAccess os = new ReapingNativeAccess();

	private final OrphanReaper reaper = new OrphanReaper(this.os, pid -> pid == 77, parent -> {
		assertThat(parent).isEqualTo(SELF);
		return List.copyOf(this.children);
	}, this.now::get, Duration.ofNanos(PERIOD));

	@Test
	void reapsAZombieChildThatWasAlreadyAZombieOnePeriodEarlier() {
		this.children.add(new ChildProcesses.Child(10, 'Z', "sleep"));
		assertThat(this.reaper.scanOnce()).isZero();
		assertThat(this.os.waited).isEmpty();
		this.now.addAndGet(PERIOD);
		assertThat(this.reaper.scanOnce()).isEqualTo(1);
		assertThat(this.os.waited).containsExactly(10L);
		assertThat(this.reaper.reapedCount()).isEqualTo(1);
	}

	@Test
	void aPeriodScansOnlyWhenSomeChildHasEndedOrWhenPoked() {
		this.children.add(new ChildProcesses.Child(10, 'Z', "sleep"));
		this.reaper.turn(false);
		assertThat(this.reaper.scans()).as("no child ended").isZero();
		this.os.ended = OptionalLong.of(10);
		this.reaper.turn(false);
		this.now.addAndGet(PERIOD);
		this.reaper.turn(false);
		assertThat(this.reaper.scans()).isEqualTo(2);
		assertThat(this.os.waited).containsExactly(10L);
		this.os.ended = OptionalLong.empty();
		this.reaper.turn(true);
		assertThat(this.reaper.scans()).as("poked").isEqualTo(3);
	}

	@Test
	void aPeriodScansWhenItCannotTellWhetherAChildEnded() {
		this.os.endedFails = true;
		this.reaper.turn(false);
		assertThat(this.reaper.scans()).isEqualTo(1);
	}

	@Test
	void aZombieGoneBetweenScansIsForgottenWithoutAScan() {
		this.children.add(new ChildProcesses.Child(10, 'Z', "kill"));
		this.reaper.scanOnce();
		this.now.addAndGet(PERIOD);
		this.reaper.turn(false); // no child ended: the JDK reaped it
		this.os.ended = OptionalLong.of(10);
		this.now.addAndGet(PERIOD - 1);
		this.reaper.turn(false);
		assertThat(this.os.waited).as("seen first now, less than a period ago").isEmpty();
	}

	@Test
	void aZombieSeenTwiceWithinLessThanAPeriodIsLeftToWhoeverWaitsForIt() {
		this.children.add(new ChildProcesses.Child(10, 'Z', "kill"));
		this.reaper.scanOnce();
		this.now.addAndGet(PERIOD - 1);
		assertThat(this.reaper.scanOnce()).isZero();
		assertThat(this.os.waited).isEmpty();
		this.now.addAndGet(1);
		assertThat(this.reaper.scanOnce()).isEqualTo(1);
	}

	@Test
	void aZombieThatDisappearedMeanwhileStartsAgainIfItsPidComesBack() {
		this.children.add(new ChildProcesses.Child(10, 'Z', "kill"));
		this.reaper.scanOnce();
		this.children.clear();
		this.now.addAndGet(PERIOD);
		this.reaper.scanOnce();
		this.children.add(new ChildProcesses.Child(10, 'Z', "other"));
		this.now.addAndGet(PERIOD);
		assertThat(this.reaper.scanOnce()).isZero();
		assertThat(this.os.waited).isEmpty();
	}

	@Test
	void neverTouchesRunningChildren() {
		this.children.add(new ChildProcesses.Child(10, 'S', "sleep"));
		this.children.add(new ChildProcesses.Child(11, 'R', "yes"));
		this.reaper.scanOnce();
		this.now.addAndGet(PERIOD);
		this.reaper.scanOnce();
		assertThat(this.os.waited).isEmpty();
	}

	@Test
	void neverTouchesInstancesItWasToldAboutNorThoseThePredicateNames() {
		this.reaper.instanceLaunched(1, 42);
		this.children.add(new ChildProcesses.Child(42, 'Z', "java"));
		this.children.add(new ChildProcesses.Child(77, 'Z', "java"));
		this.children.add(new ChildProcesses.Child(10, 'Z', "sleep"));
		this.reaper.scanOnce();
		this.now.addAndGet(PERIOD);
		this.reaper.scanOnce();
		assertThat(this.os.waited).containsExactly(10L);
	}

	@Test
	void forgetsAnInstanceOnceItEnded() {
		this.reaper.instanceLaunched(1, 42);
		this.reaper
			.instanceEnded(new InstanceRecord(1, 42, Instant.EPOCH, Instant.EPOCH, EndCause.EXITED, 0, null, null));
		this.children.add(new ChildProcesses.Child(42, 'Z', "sleep"));
		this.reaper.scanOnce();
		this.now.addAndGet(PERIOD);
		this.reaper.scanOnce();
		assertThat(this.os.waited).containsExactly(42L);
	}

	@Test
	void aFailingWaitpidIsSurvived() {
		this.os.fail = true;
		this.children.add(new ChildProcesses.Child(10, 'Z', "sleep"));
		this.reaper.scanOnce();
		this.now.addAndGet(PERIOD);
		assertThat(this.reaper.scanOnce()).isZero();
		this.os.fail = false;
		this.now.addAndGet(PERIOD);
		assertThat(this.reaper.scanOnce()).isEqualTo(1);
	}

	@Test
	void aFailingProcScanIsSurvived() {
		OrphanReaper failing = new OrphanReaper(this.os, pid -> false, parent -> {
			throw new IOException("no /proc");
		}, this.now::get, Duration.ofNanos(PERIOD));
		assertThat(failing.scanOnce()).isZero();
	}

	@Test
	void parsesStatLinesWhoseCommandHoldsSpacesAndParentheses() {
		ChildProcesses.Stat stat = ChildProcesses.parseStat("4242 (my (odd) cmd) Z 1000 4242 1 0 -1 4194560 0");
		assertThat(stat).isEqualTo(new ChildProcesses.Stat(4242, "my (odd) cmd", 'Z', 1000));
		assertThat(ChildProcesses.parseStat("garbage")).isNull();
		assertThat(ChildProcesses.parseStat("12 (x)")).isNull();
	}

	@Test
	void readsChildrenFromEveryStatFileWithoutChildrenLists(@TempDir Path proc) throws IOException {
		stat(proc, 1000, "java", 'S', 1);
		stat(proc, 10, "sleep", 'Z', 1000);
		stat(proc, 11, "other", 'Z', 999);
		stat(proc, 12, "sh", 'S', 1000);
		Files.createDirectories(proc.resolve("1000/task/1000"));
		Files.createDirectories(proc.resolve("self"));
		assertThat(new ChildProcesses.Proc(proc).of(1000)).containsExactlyInAnyOrder(
				new ChildProcesses.Child(10, 'Z', "sleep"), new ChildProcesses.Child(12, 'S', "sh"));
	}

	@Test
	void readsChildrenFromTheThreadsChildrenListsWhereTheKernelHasThem(@TempDir Path proc) throws IOException {
		stat(proc, 1000, "java", 'S', 1);
		stat(proc, 10, "sleep", 'Z', 1000);
		stat(proc, 12, "sh", 'S', 1000);
		stat(proc, 13, "not listed", 'Z', 1000);
		Files.createDirectories(proc.resolve("1000/task/1000"));
		Files.createDirectories(proc.resolve("1000/task/1001"));
		Files.writeString(proc.resolve("1000/task/1000/children"), "10 ");
		Files.writeString(proc.resolve("1000/task/1001/children"), "12 ");
		assertThat(new ChildProcesses.Proc(proc).of(1000)).containsExactlyInAnyOrder(
				new ChildProcesses.Child(10, 'Z', "sleep"), new ChildProcesses.Child(12, 'S', "sh"));
	}

	private static void stat(Path proc, long pid, String command, char state, long parent) throws IOException {
		Files.createDirectories(proc.resolve(Long.toString(pid)));
		Files.writeString(proc.resolve(pid + "/stat"),
				pid + " (" + command + ") " + state + " " + parent + " 1 1 0 -1\n");
	}

	/** Records {@code waitpidNoHang}; every call reaps (status 0) unless told to fail. */
	static class ReapingNativeAccess implements NativeAccess {

		final List<Long> waited = new ArrayList<>();

		boolean fail;

		OptionalLong ended = OptionalLong.empty();

		boolean endedFails;

		@Override
		public OptionalLong endedChild() {
			if (this.endedFails) {
				throw new io.samboot.nativeaccess.NativeAccessException("waitid()", 22, "Invalid argument", "test");
			}
			return this.ended;
		}

		@Override
		public long getpid() {
			return SELF;
		}

		@Override
		public long getppid() {
			return 1;
		}

		@Override
		public boolean kill(long pid, PosixSignal signal) {
			throw new AssertionError("the reaper never signals");
		}

		@Override
		public boolean setParentDeathSignal(PosixSignal signal) {
			return false;
		}

		@Override
		public OptionalInt waitpidNoHang(long pid) {
			if (this.fail) {
				throw new io.samboot.nativeaccess.NativeAccessException("waitpid(pid=" + pid + ", WNOHANG)", 22,
						"Invalid argument", "test");
			}
			this.waited.add(pid);
			return OptionalInt.of(0);
		}

		@Override
		public boolean setChildSubreaper() {
			return false;
		}

		@Override
		public io.samboot.nativeaccess.ListeningSocket listenTcp(java.net.InetAddress address, int port, int backlog) {
			throw new io.samboot.nativeaccess.NativeAccessException("listen()", "the fake shares no sockets", "none");
		}

		@Override
		public void sendDescriptor(String socketPath, int descriptor) {
			throw new io.samboot.nativeaccess.NativeAccessException("sendmsg()", "the fake shares no sockets", "none");
		}

		@Override
		public int openDatagramSocket(String socketPath) {
			throw new io.samboot.nativeaccess.NativeAccessException("bind()", "the fake shares no sockets", "none");
		}

		@Override
		public int receiveDescriptor(int socket) {
			throw new io.samboot.nativeaccess.NativeAccessException("recvmsg()", "the fake shares no sockets", "none");
		}

		@Override
		public void moveDescriptor(int descriptor, int target) {
			throw new io.samboot.nativeaccess.NativeAccessException("dup2()", "the fake shares no sockets", "none");
		}

		@Override
		public void closeDescriptor(int descriptor) {
		}

		@Override
		public int duplicateDescriptor(int descriptor) {
			throw new io.samboot.nativeaccess.NativeAccessException("fcntl(F_DUPFD_CLOEXEC)",
					"the fake shares no sockets", "none");
		}

		@Override
		public void sendDatagram(String socketPath, byte[] message) {
			throw new io.samboot.nativeaccess.NativeAccessException("sendto(socket=" + socketPath + ")",
					"this fake sends no datagrams", "none");
		}

		@Override
		public void exec(String executable, List<String> argv, Map<String, String> environment) {
			throw new io.samboot.nativeaccess.NativeAccessException("execve(" + executable + ")",
					"this fake replaces no program", "none");
		}

		@Override
		public java.nio.channels.FileChannel openOwnedRegularFile(Path file, int ownerUid) {
			throw new AssertionError("the reaper opens no file");
		}

		@Override
		public boolean isNative() {
			return true;
		}

	}

}
