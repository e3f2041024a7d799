package io.samboot.nativeaccess;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.samboot.PosixSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link LinuxNativeAccess} (with what it shares from {@link PosixNativeAccess}) over a
 * {@link FakeLibc}: which calls it makes with which arguments, and what each
 * {@code errno} turns into, without JNA and without touching a process.
 */
class LinuxNativeAccessTests {

	private static final int SOCK_DGRAM_CLOEXEC = Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC;

	private static final int DONTWAIT_NOSIGNAL = Libc.MSG_DONTWAIT | Libc.MSG_NOSIGNAL;

	@TempDir
	Path descriptors;

	private final FakeLibc libc = new FakeLibc();

	private LinuxNativeAccess access() {
		return new LinuxNativeAccess(this.libc, this.descriptors.toFile());
	}

	@Test
	void getpidIsTheLibrarys() {
		assertThat(access().getpid()).isEqualTo(FakeLibc.PID);
	}

	@Test
	void getppidIsTheLibrarys() {
		assertThat(access().getppid()).isEqualTo(FakeLibc.PPID);
	}

	@Test
	void killSendsTheSignalsNumber() {
		assertThat(access().kill(42, PosixSignal.TERM)).isTrue();
		assertThat(this.libc.calls).containsExactly("kill(42, 15)");
	}

	@Test
	void killOfAMissingProcessIsFalse() {
		this.libc.fail("kill", Libc.ESRCH);
		assertThat(access().kill(42, PosixSignal.TERM)).isFalse();
	}

	@Test
	void killNotPermittedSaysSamSignalsOnlyItsOwnInstances() {
		this.libc.fail("kill", Libc.EPERM);
		assertThatExceptionOfType(NativeAccessException.class).isThrownBy(() -> access().kill(42, PosixSignal.USR1))
			.satisfies((ex) -> assertThat(ex.getErrno()).isEqualTo(Libc.EPERM))
			.satisfies((ex) -> assertThat(ex.getOperation()).isEqualTo("kill(pid=42, signal=SIGUSR1 (10))"))
			.withMessageContaining("errno 1 (Operation not permitted)")
			.withMessageContaining("check that this PID is one of its instances");
	}

	@Test
	void killWithASignalTheSystemDoesNotKnowSaysToChooseAnother() {
		this.libc.fail("kill", Libc.EINVAL);
		assertThatExceptionOfType(NativeAccessException.class).isThrownBy(() -> access().kill(42, PosixSignal.USR2))
			.withMessageContaining("choose another one");
	}

	@Test
	void killRefusesProcessGroupsBeforeAnyCall() {
		assertThatIllegalArgumentException().isThrownBy(() -> access().kill(0, PosixSignal.TERM));
		assertThatIllegalArgumentException().isThrownBy(() -> access().kill(-1, PosixSignal.KILL));
		assertThatIllegalArgumentException().isThrownBy(() -> access().kill(Integer.MAX_VALUE + 1L, PosixSignal.KILL));
		assertThat(this.libc.calls).isEmpty();
	}

	@Test
	void anErrnoWithoutTextIsAnUnknownError() {
		this.libc.fail("kill", 95);
		assertThatExceptionOfType(NativeAccessException.class).isThrownBy(() -> access().kill(42, PosixSignal.TERM))
			.withMessageContaining("errno 95 (unknown error)")
			.withMessageContaining("please report it");
	}

	@Test
	void waitpidAsksWithoutHanging() {
		access().waitpidNoHang(42);
		assertThat(this.libc.calls).containsExactly("waitpid(42, " + Libc.WNOHANG + ")");
	}

	@Test
	void waitpidOfARunningChildIsEmpty() {
		assertThat(access().waitpidNoHang(42)).isEmpty();
	}

	@Test
	void waitpidGivesTheExitCode() {
		this.libc.waitStatuses.add(3 << 8);
		assertThat(access().waitpidNoHang(42)).hasValue(3);
	}

	@Test
	void waitpidGivesADeathBySignalAsAShellDoes() {
		this.libc.waitStatuses.add(PosixSignal.KILL.number());
		assertThat(access().waitpidNoHang(42)).hasValue(137);
	}

	@Test
	void waitpidOfAProcessThatIsNotAChildIsEmpty() {
		this.libc.fail("waitpid", Libc.ECHILD);
		assertThat(access().waitpidNoHang(42)).isEmpty();
	}

	@Test
	void waitpidIsRetriedWhenASignalInterruptsIt() {
		this.libc.fail("waitpid", Libc.EINTR);
		this.libc.waitStatuses.add(0);
		assertThat(access().waitpidNoHang(42)).hasValue(0);
		assertThat(this.libc.calls).hasSize(2);
	}

	@Test
	void waitpidFailingOtherwiseNamesTheCall() {
		this.libc.fail("waitpid", Libc.EINVAL);
		assertThatExceptionOfType(NativeAccessException.class).isThrownBy(() -> access().waitpidNoHang(42))
			.satisfies((ex) -> assertThat(ex.getOperation()).isEqualTo("waitpid(pid=42, WNOHANG)"))
			.withMessageContaining("Invalid argument");
	}

	@Test
	void endedChildPeeksAtAnyChildWithoutReapingIt() {
		this.libc.endedChild = 42;
		assertThat(access().endedChild()).hasValue(42);
		assertThat(this.libc.calls)
			.containsExactly("waitid(" + Libc.P_ALL + ", 0, " + (Libc.WEXITED | Libc.WNOHANG | Libc.WNOWAIT) + ")");
	}

	@Test
	void awaitEndedChildWaitsForAnyChildWithoutReapingIt() {
		this.libc.endedChild = 42;
		assertThat(access().awaitEndedChild()).hasValue(42);
		assertThat(this.libc.calls)
			.containsExactly("waitid(" + Libc.P_ALL + ", 0, " + (Libc.WEXITED | Libc.WNOWAIT) + ")");
		this.libc.fail("waitid", Libc.ECHILD);
		assertThat(access().awaitEndedChild()).as("no children").isEmpty();
	}

	@Test
	void endedChildIsEmptyWhileAllChildrenRunOrThereAreNone() {
		assertThat(access().endedChild()).isEmpty();
		this.libc.fail("waitid", Libc.ECHILD);
		assertThat(access().endedChild()).isEmpty();
	}

	@Test
	void endedChildIsAskedAgainWhenASignalInterruptsItAndNamesTheCallOtherwise() {
		this.libc.endedChild = 7;
		this.libc.fail("waitid", Libc.EINTR);
		assertThat(access().endedChild()).hasValue(7);
		this.libc.fail("waitid", Libc.EINVAL);
		assertThatExceptionOfType(NativeAccessException.class).isThrownBy(() -> access().endedChild())
			.satisfies((ex) -> assertThat(ex.getOperation()).startsWith("waitid(P_ALL"))
			.withMessageContaining("Invalid argument");
	}

	@Test
	void awaitChildExitWithATimeoutPollsAPidfdThenPeeksWithoutReaping() {
		this.libc.pollReady = 1;
		this.libc.endedChild = 42;
		this.libc.endedBySignal = true;
		this.libc.endedStatus = 9;
		assertThat(access().awaitChildExit(42, Duration.ofMillis(20))).hasValue(137);
		assertThat(this.libc.calls).hasSize(4);
		assertThat(this.libc.calls.get(0)).isEqualTo("pidfd_open(42, 0)");
		// What is left of the 20 ms when poll is called: 0 to 20.
		assertThat(this.libc.calls.get(1))
			.matches("poll\\(\\{" + FakeLibc.PIDFD + ", " + Libc.POLLIN + "\\}, 1, (1?[0-9]|20)\\)");
		assertThat(this.libc.calls.subList(2, 4)).containsExactly(
				"waitid(" + Libc.P_PID + ", 42, " + (Libc.WEXITED | Libc.WNOHANG | Libc.WNOWAIT) + ")",
				"close(" + FakeLibc.PIDFD + ")");
	}

	@Test
	void awaitChildExitWithATimeoutGivesAnExitCodeAsItIs() {
		this.libc.pollReady = 1;
		this.libc.endedChild = 42;
		this.libc.endedStatus = 3;
		assertThat(access().awaitChildExit(42, Duration.ofMillis(5))).hasValue(3);
	}

	@Test
	void awaitChildExitWithATimeoutIsEmptyWhileTheChildRuns() {
		assertThat(access().awaitChildExit(42, Duration.ZERO)).isEmpty();
		assertThat(this.libc.calls).containsExactly("pidfd_open(42, 0)", "poll({" + FakeLibc.PIDFD + ", 1}, 1, 0)",
				"close(" + FakeLibc.PIDFD + ")");
	}

	@Test
	void awaitChildExitWithATimeoutSaysWhenTheChildWasReapedAlready() {
		this.libc.fail("pidfd_open", Libc.ESRCH);
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> access().awaitChildExit(42, Duration.ofMillis(5)))
			.as("gone before pidfd_open")
			.satisfies((ex) -> assertThat(ex.isNoSuchProcess()).isTrue())
			.withMessageContaining("reaped already");
		this.libc.pollReady = 1;
		this.libc.fail("waitid", Libc.ECHILD);
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> access().awaitChildExit(42, Duration.ofMillis(5)))
			.as("reaped after poll")
			.satisfies((ex) -> assertThat(ex.isNoSuchProcess()).isTrue());
		assertThat(this.libc.calls).last().isEqualTo("close(" + FakeLibc.PIDFD + ")");
		this.libc.endedChild = 0;
		assertThat(access().awaitChildExit(42, Duration.ofMillis(5))).as("nothing waitable").isEmpty();
	}

	@Test
	void awaitChildExitWithATimeoutRetriesInterruptedCallsAndNamesTheOldKernel() {
		this.libc.pollReady = 1;
		this.libc.endedChild = 42;
		this.libc.fail("poll", Libc.EINTR);
		this.libc.fail("waitid", Libc.EINTR);
		assertThat(access().awaitChildExit(42, Duration.ofMillis(5))).hasValue(0);
		this.libc.fail("pidfd_open", Libc.ENOSYS);
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> access().awaitChildExit(42, Duration.ofMillis(5)))
			.satisfies((ex) -> assertThat(ex.getOperation()).isEqualTo("pidfd_open(42, 0)"))
			.satisfies((ex) -> assertThat(ex.isNoSuchProcess()).isFalse())
			.withMessageContaining("Linux 5.3");
	}

	@Test
	void awaitChildExitWithATimeoutClosesThePidfdWhenPollFails() {
		this.libc.fail("poll", Libc.EINVAL);
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> access().awaitChildExit(42, Duration.ofMillis(5)))
			.withMessageContaining("Invalid argument");
		assertThat(this.libc.calls).last().isEqualTo("close(" + FakeLibc.PIDFD + ")");
	}

	@Test
	void waitpidRefusesAnyChildBeforeAnyCall() {
		assertThatIllegalArgumentException().isThrownBy(() -> access().waitpidNoHang(-1));
		assertThat(this.libc.calls).isEmpty();
	}

	@Test
	void decodesWaitStatusesAsAShellDoes() {
		assertThat(PosixNativeAccess.shellStatus(0)).isZero();
		assertThat(PosixNativeAccess.shellStatus(3 << 8)).isEqualTo(3);
		assertThat(PosixNativeAccess.shellStatus(255 << 8)).isEqualTo(255);
		assertThat(PosixNativeAccess.shellStatus(9)).isEqualTo(137);
		assertThat(PosixNativeAccess.shellStatus(15 | 0x80)).isEqualTo(143); // killed by
																				// SIGTERM,
																				// core
																				// dumped
																				// flag
	}

	@Test
	void parentDeathSignalIsArmedWithPrctl() {
		assertThat(access().setParentDeathSignal(PosixSignal.KILL)).isTrue();
		assertThat(this.libc.calls).containsExactly("prctl(" + Libc.PR_SET_PDEATHSIG + ", 9, 0, 0, 0)");
	}

	@Test
	void parentDeathSignalFailingSaysTheInstanceWouldOutliveTheSupervisor() {
		this.libc.fail("prctl", Libc.EINVAL);
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> access().setParentDeathSignal(PosixSignal.KILL))
			.withMessageContaining("prctl(PR_SET_PDEATHSIG, signal=SIGKILL (9))")
			.withMessageContaining("the instance would outlive a killed supervisor; choose a valid signal");
	}

	@Test
	void childSubreaperIsSetWithPrctl() {
		assertThat(access().setChildSubreaper()).isTrue();
		assertThat(this.libc.calls).containsExactly("prctl(" + Libc.PR_SET_CHILD_SUBREAPER + ", 1, 0, 0, 0)");
	}

	@Test
	void childSubreaperFailingNamesTheLinuxVersionItNeeds() {
		this.libc.fail("prctl", Libc.EINVAL);
		assertThatExceptionOfType(NativeAccessException.class).isThrownBy(() -> access().setChildSubreaper())
			.withMessageContaining("orphans of the instance will go to PID 1")
			.withMessageContaining("Linux 3.4");
	}

	@Test
	void aThreadIsLoweredToNice19WithSetpriority() {
		assertThat(access().lowerThreadPriority(4321)).isTrue();
		assertThat(this.libc.calls).containsExactly("setpriority(" + Libc.PRIO_PROCESS + ", 4321, 19)");
	}

	@Test
	void aThreadThatHasEndedIsNotLowered() {
		this.libc.fail("setpriority", Libc.ESRCH);
		assertThat(access().lowerThreadPriority(4321)).isFalse();
	}

	@Test
	void theCallingThreadIsLoweredWithSetpriorityOfThreadZero() {
		assertThat(access().lowerCallingThreadPriority()).isTrue();
		assertThat(this.libc.calls).containsExactly("setpriority(" + Libc.PRIO_PROCESS + ", 0, 19)");
	}

	@Test
	void loweringTheCallingThreadFailingSaysSo() {
		this.libc.fail("setpriority", Libc.EACCES);
		assertThatExceptionOfType(NativeAccessException.class).isThrownBy(() -> access().lowerCallingThreadPriority())
			.withMessageContaining("setpriority(PRIO_PROCESS, 0, 19)")
			.withMessageContaining("the thread keeps its priority");
	}

	@Test
	void loweringAThreadFailingOtherwiseSaysSo() {
		this.libc.fail("setpriority", Libc.EINVAL);
		assertThatExceptionOfType(NativeAccessException.class).isThrownBy(() -> access().lowerThreadPriority(4321))
			.withMessageContaining("setpriority(PRIO_PROCESS, tid=4321, 19)")
			.withMessageContaining("the thread keeps its priority");
	}

	@Test
	void theNativeHeapIsTrimmedWithMallocTrimOfNothingKept() {
		assertThat(access().trimNativeHeap()).isTrue();
		this.libc.mallocTrimResult = 0;
		assertThat(access().trimNativeHeap()).as("nothing to give back").isFalse();
		assertThat(this.libc.calls).containsExactly("malloc_trim(0)", "malloc_trim(0)");
	}

	@Test
	void aCLibraryWithoutMallocTrimIsNotAskedAgain() {
		this.libc.mallocTrimResult = -1;
		LinuxNativeAccess access = access();
		assertThat(access.trimNativeHeap()).isFalse();
		assertThat(access.trimNativeHeap()).isFalse();
		assertThat(this.libc.calls).containsExactly("malloc_trim(0) unbound");
	}

	@Test
	void datagramGoesThroughItsOwnSocketThatIsClosedAfterwards() {
		access().sendDatagram("@notify", bytes("READY=1"));
		assertThat(this.libc.calls).containsExactly("socket(1, " + SOCK_DGRAM_CLOEXEC + ", 0)",
				"sendto(7, READY=1, " + DONTWAIT_NOSIGNAL + ", @notify)", "close(7)");
	}

	@Test
	void datagramIsSentAgainWhenASignalInterruptsIt() {
		this.libc.fail("sendto", Libc.EINTR);
		access().sendDatagram("/run/notify", bytes("X=1"));
		assertThat(this.libc.calls).containsExactly("socket(1, " + SOCK_DGRAM_CLOEXEC + ", 0)",
				"sendto(7, X=1, " + DONTWAIT_NOSIGNAL + ", /run/notify)",
				"sendto(7, X=1, " + DONTWAIT_NOSIGNAL + ", /run/notify)", "close(7)");
	}

	@Test
	void datagramThatNobodyReceivesSaysNothingListensAndClosesTheSocket() {
		this.libc.fail("sendto", Libc.ECONNREFUSED);
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> access().sendDatagram("@gone", bytes("READY=1")))
			.satisfies((ex) -> assertThat(ex.getOperation()).isEqualTo("sendto(socket=@gone, 7 bytes)"))
			.withMessageContaining("Connection refused")
			.withMessageContaining("nothing listens on that socket");
		assertThat(this.libc.calls).endsWith("close(7)");
	}

	@Test
	void datagramToAFullQueueSaysItWasDropped() {
		this.libc.fail("sendto", Libc.EAGAIN);
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> access().sendDatagram("@busy", bytes("WATCHDOG=1")))
			.withMessageContaining("the message was dropped");
	}

	@Test
	void datagramThatMayNotBeSentSaysWhichUserToRunAs() {
		this.libc.fail("sendto", Libc.EACCES);
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> access().sendDatagram("/run/notify", bytes("READY=1")))
			.withMessageContaining("run as the user the service manager expects");
	}

	@Test
	void datagramTooLargeSaysToSendLess() {
		this.libc.fail("sendto", Libc.EMSGSIZE);
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> access().sendDatagram("/run/notify", bytes("STATUS=...")))
			.withMessageContaining("send less");
	}

	@Test
	void datagramWithoutADescriptorLeftPointsAtTheLimit() {
		this.libc.fail("socket", 24);
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> access().sendDatagram("/run/notify", bytes("READY=1")))
			.withMessageContaining("socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC) for sendto(socket=/run/notify, 7 bytes)")
			.withMessageContaining("ulimit -n");
		assertThat(this.libc.calls).containsExactly("socket(1, " + SOCK_DGRAM_CLOEXEC + ", 0)");
	}

	@Test
	void datagramToAnAddressTooLongIsRefusedBeforeAnyCall() {
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> access().sendDatagram("/" + "d".repeat(107), bytes("X=1")))
			.withMessageContaining("108 bytes, more than the 107");
		assertThat(this.libc.calls).isEmpty();
	}

	@Test
	void execMarksEveryInheritedDescriptorAboveTwoCloseOnExec() throws IOException {
		listDescriptors("0", "1", "2", "5", "6", "9");
		this.libc.descriptorFlags.putAll(Map.of(0, 0, 1, 0, 2, 0, 5, 0, 6, Libc.FD_CLOEXEC));
		// 9 is the listing's own descriptor, closed by the time fcntl sees it.
		execUpToExecve();
		assertThat(this.libc.calls).filteredOn((call) -> call.startsWith("fcntl"))
			.containsExactlyInAnyOrder("fcntl(5, F_GETFD)", "fcntl(5, F_SETFD, " + Libc.FD_CLOEXEC + ")",
					"fcntl(6, F_GETFD)", "fcntl(9, F_GETFD)");
	}

	@Test
	void execIgnoresEntriesThatAreNotDescriptors() throws IOException {
		listDescriptors("fdinfo");
		execUpToExecve();
		assertThat(this.libc.calls).noneMatch((call) -> call.startsWith("fcntl"));
	}

	@Test
	void execClearsTheSignalMaskTheNewProgramWouldInherit() {
		execUpToExecve();
		assertThat(this.libc.calls).containsExactly(
				"sigprocmask(" + Libc.SIG_SETMASK + ", " + Libc.SIGSET_BYTES + " bytes empty, NULL)",
				"execve(/jdk/bin/java, [java, -version], [LANG=C])");
	}

	@Test
	void execThatFailsNamesTheProgramAndErrno() {
		assertThatExceptionOfType(NativeAccessException.class).isThrownBy(this::exec)
			.satisfies((ex) -> assertThat(ex.getOperation()).isEqualTo("execve(/jdk/bin/java)"))
			.satisfies((ex) -> assertThat(ex.getErrno()).isEqualTo(Libc.ENOENT))
			.withMessageContaining("the JVM's own java executable is missing or not executable");
	}

	@Test
	void execStopsWhenTheSignalMaskCannotBeCleared() {
		this.libc.fail("sigprocmask", Libc.EINVAL);
		assertThatExceptionOfType(NativeAccessException.class).isThrownBy(this::exec)
			.withMessageContaining("sigprocmask(SIG_SETMASK, {})");
		assertThat(this.libc.calls).noneMatch((call) -> call.startsWith("execve"));
	}

	@Test
	void execWithoutTheDescriptorListingSaysToMountProc() {
		LinuxNativeAccess withoutProc = new LinuxNativeAccess(this.libc, new File(this.descriptors.toFile(), "absent"));
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> withoutProc.exec("/jdk/bin/java", List.of("java"), Map.of()))
			.withMessageContaining("mount /proc");
		assertThat(this.libc.calls).isEmpty();
	}

	@Test
	void isNative() {
		assertThat(access().isNative()).isTrue();
	}

	@Test
	void namesTheLibraryAndLinux() {
		assertThat(access()).hasToString("fake libc (Linux C library)");
	}

	private void exec() {
		access().exec("/jdk/bin/java", List.of("java", "-version"), Map.of("LANG", "C"));
	}

	/** {@link #exec()} up to {@code execve}, which returns (and so fails) as a fake. */
	private void execUpToExecve() {
		assertThatExceptionOfType(NativeAccessException.class).isThrownBy(this::exec)
			.satisfies((ex) -> assertThat(ex.getOperation()).startsWith("execve("));
	}

	private void listDescriptors(String... names) throws IOException {
		for (String name : names) {
			Files.createFile(this.descriptors.resolve(name));
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private int ownUid() throws IOException {
		return (Integer) Files.getAttribute(this.descriptors, "unix:uid");
	}

	@Test
	void ownedRegularFileIsOpenedWithoutBlockingNorFollowingAndReadThroughItsDescriptor() throws IOException {
		Files.writeString(this.descriptors.resolve(Integer.toString(FakeLibc.FILE_FD)), "counters");
		LinuxNativeAccess access = new LinuxNativeAccess(this.libc, this.descriptors.toFile(), "amd64");

		try (FileChannel channel = access.openOwnedRegularFile(Path.of("/tmp/hsperfdata_a/42"), ownUid())) {
			ByteBuffer content = ByteBuffer.allocate(16);
			channel.read(content);
			assertThat(new String(content.array(), 0, content.position(), StandardCharsets.UTF_8))
				.isEqualTo("counters");
		}
		int flags = Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_NOFOLLOW_X86_64 | Libc.O_CLOEXEC;
		assertThat(this.libc.calls).containsExactly("open(/tmp/hsperfdata_a/42, " + flags + ")",
				"close(" + FakeLibc.FILE_FD + ")");
	}

	@Test
	void fifoOpenedInsteadOfAFileIsClosedAndRefused() throws Exception {
		Path fifo = this.descriptors.resolve(Integer.toString(FakeLibc.FILE_FD));
		Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
		assertThat(mkfifo.waitFor()).isZero();

		assertThatExceptionOfType(FileSystemException.class)
			.isThrownBy(() -> access().openOwnedRegularFile(Path.of("/tmp/hsperfdata_a/42"), ownUid()))
			.withMessage("/tmp/hsperfdata_a/42: not a regular file but a FIFO");
		assertThat(this.libc.calls).last().isEqualTo("close(" + FakeLibc.FILE_FD + ")");
	}

	@Test
	void fileOfAnotherUserIsClosedAndRefused() throws IOException {
		Files.writeString(this.descriptors.resolve(Integer.toString(FakeLibc.FILE_FD)), "counters");
		int other = ownUid() + 1;

		assertThatExceptionOfType(FileSystemException.class)
			.isThrownBy(() -> access().openOwnedRegularFile(Path.of("/tmp/hsperfdata_a/42"), other))
			.withMessageContaining("owned by uid " + ownUid() + ", not by uid " + other);
		assertThat(this.libc.calls).last().isEqualTo("close(" + FakeLibc.FILE_FD + ")");
	}

	@Test
	void symbolicLinkIsNotFollowed() {
		this.libc.fail("open", Libc.ELOOP);

		assertThatExceptionOfType(FileSystemException.class)
			.isThrownBy(() -> access().openOwnedRegularFile(Path.of("/tmp/hsperfdata_a/42"), 0))
			.withMessage("/tmp/hsperfdata_a/42: a symbolic link, which is not followed");
		assertThat(this.libc.calls).hasSize(1);
	}

	@Test
	void missingFileIsNoSuchFile() {
		this.libc.fail("open", Libc.ENOENT);

		assertThatExceptionOfType(NoSuchFileException.class)
			.isThrownBy(() -> access().openOwnedRegularFile(Path.of("/tmp/hsperfdata_a/42"), 0));
	}

	@Test
	void unreadableFileIsAccessDenied() {
		this.libc.fail("open", Libc.EACCES);

		assertThatExceptionOfType(AccessDeniedException.class)
			.isThrownBy(() -> access().openOwnedRegularFile(Path.of("/tmp/hsperfdata_a/42"), 0));
	}

	@Test
	void noFollowFlagIsTheArchitecturesOwn() {
		assertThat(LinuxNativeAccess.noFollowFlag("amd64")).isEqualTo(0x20000);
		assertThat(LinuxNativeAccess.noFollowFlag("aarch64")).isEqualTo(0x8000);
		assertThat(LinuxNativeAccess.noFollowFlag("riscv64")).as("unknown: not asked for").isZero();
	}

}
