package io.samboot.nativeaccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.sun.jna.Memory;
import io.samboot.PosixSignal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link NativeAccess#get()} as it is on Linux and macOS with JNA ({@link JnaLibc} under
 * {@link LinuxNativeAccess} or {@link MacNativeAccess}), calling the real C library from
 * this JVM; {@link JnaNativeAccessProcessTests} signals real processes.
 */
class JnaNativeAccessTests {

	private NativeAccess access;

	@BeforeEach
	void nativeAccess() {
		this.access = NativeAccess.get();
		assumeTrue(this.access.isNative(), "JNA is not available here");
	}

	@Test
	void isChosenOnLinuxAndMacOsWhenJnaIsPresent() {
		String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
		assumeTrue(os.startsWith("linux") || os.startsWith("mac"));
		assertThat(this.access).isInstanceOf(os.startsWith("linux") ? LinuxNativeAccess.class : MacNativeAccess.class)
			.extracting((access) -> ((PosixNativeAccess) access).libc)
			.isInstanceOf(JnaLibc.class);
	}

	@Test
	void getpidIsThisProcess() {
		assertThat(this.access.getpid()).isEqualTo(ProcessHandle.current().pid());
	}

	@Test
	void getppidIsThisProcessesParent() {
		assertThat(this.access.getppid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
	}

	@Test
	void aThreadIsLoweredToNice19AndTheOthersKeepTheirs() throws Exception {
		assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
		CompletableFuture<Long> tid = new CompletableFuture<>();
		CountDownLatch release = new CountDownLatch(1);
		Thread thread = new Thread(() -> {
			tid.complete(threadId());
			awaitQuietly(release);
		}, "sam-test-lowered");
		thread.start();
		try {
			assertThat(this.access.lowerThreadPriority(tid.get(10, TimeUnit.SECONDS))).isTrue();

			assertThat(nice(tid.get())).isEqualTo(19);
			assertThat(nice(threadId())).isZero();
		}
		finally {
			release.countDown();
			thread.join(10_000);
		}
	}

	@Test
	void freeMemoryOfTheCLibraryIsGivenBackToTheKernel() {
		assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
		assumeTrue(((JnaLibc) ((PosixNativeAccess) this.access).libc).hasGlibcCalls(), "glibc only");
		// Every other block freed: holes the allocator keeps, since none is at the top of
		// its heap, and each holds whole pages to give back.
		List<Memory> blocks = new ArrayList<>();
		for (int i = 0; i < 256; i++) {
			Memory block = new Memory(64 * 1024);
			block.setByte(0, (byte) 1);
			blocks.add(block);
		}
		for (int i = 0; i < blocks.size(); i += 2) {
			blocks.get(i).close();
		}
		try {
			assertThat(this.access.trimNativeHeap()).as("glibc's malloc_trim gave the holes back").isTrue();
		}
		finally {
			blocks.forEach(Memory::close);
		}
	}

	@Test
	void theCallingThreadLowersItselfAlone() throws Exception {
		assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
		CompletableFuture<Integer> niceAfter = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				this.access.lowerCallingThreadPriority();
				niceAfter.complete(nice(threadId()));
			}
			catch (IOException | RuntimeException ex) {
				niceAfter.completeExceptionally(ex);
			}
		}, "sam-test-lowers-itself");
		thread.start();
		thread.join(10_000);

		assertThat(niceAfter.get(10, TimeUnit.SECONDS)).isEqualTo(19);
		assertThat(nice(threadId())).isZero();
	}

	/**
	 * The calling thread's id: {@code /proc/thread-self} links to
	 * {@code <pid>/task/<tid>}.
	 */
	private static long threadId() {
		try {
			return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A thread's nice value: field 19 of its {@code stat}, after the command's
	 * parentheses.
	 */
	private static int nice(long tid) throws IOException {
		String stat = Files.readString(Path.of("/proc/self/task", Long.toString(tid), "stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		return Integer.parseInt(fields[19 - 3]);
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Test
	void killRefusesPidsThatWouldWrapIntoProcessGroups() {
		// Narrowed without the check, this would be kill(INT_MIN, ...), which the kernel
		// refuses anyway.
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.access.kill(Integer.MAX_VALUE + 1L, PosixSignal.TERM))
			.withMessageContaining("process groups");
	}

	@Test
	void waitpidOfAProcessThatIsNotAChildIsEmpty() {
		// The parent is no child: ECHILD, read back through JNA's errno on this thread.
		assertThat(this.access.waitpidNoHang(this.access.getppid())).isEmpty();
	}

	@Test
	void libraryClassesAreJnas() {
		assertThat(NativeAccess.libraryClasses()).extracting(Class::getName).containsExactly("com.sun.jna.Native");
	}

	@Test
	void fifoIsRefusedWithoutWaitingForAWriter(@TempDir Path directory) throws Exception {
		assumeTrue(this.access instanceof LinuxNativeAccess, "Linux only");
		Path fifo = directory.resolve("42");
		assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
		int uid = (Integer) Files.getAttribute(fifo, "unix:uid");

		// A blocking open would wait here for ever: no one writes to the FIFO.
		assertTimeoutPreemptively(Duration.ofSeconds(10),
				() -> assertThatExceptionOfType(FileSystemException.class)
					.isThrownBy(() -> this.access.openOwnedRegularFile(fifo, uid))
					.withMessageEndingWith("not a regular file but a FIFO"));
	}

	@Test
	void linkToAnOwnedFileIsNotFollowed(@TempDir Path directory) throws Exception {
		assumeTrue(this.access instanceof LinuxNativeAccess, "Linux only");
		Path file = Files.writeString(directory.resolve("file"), "counters");
		Path link = Files.createSymbolicLink(directory.resolve("42"), file);
		int uid = (Integer) Files.getAttribute(file, "unix:uid");

		assertThatExceptionOfType(FileSystemException.class)
			.isThrownBy(() -> this.access.openOwnedRegularFile(link, uid))
			.withMessageEndingWith("a symbolic link, which is not followed");
		try (FileChannel channel = this.access.openOwnedRegularFile(file, uid)) {
			assertThat(channel.size()).isEqualTo(8);
		}
	}

	@Test
	void aDuplicatedDescriptorIsTheSameOpenFileAboveTheStandardStreamsAndCloseOnExec(@TempDir Path directory)
			throws IOException {
		assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"));
		Path file = directory.toRealPath().resolve("kept");
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
			int original = descriptorOf(file);
			int copy = this.access.duplicateDescriptor(original);
			try {
				assertThat(copy).isGreaterThan(2).isNotEqualTo(original);
				assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + copy))).isEqualTo(file);
				String flags = Files.readAllLines(Path.of("/proc/self/fdinfo/" + copy))
					.stream()
					.filter((line) -> line.startsWith("flags:"))
					.findFirst()
					.orElseThrow();
				assertThat(Integer.parseInt(flags.substring(6).trim(), 8) & 02000000).as("O_CLOEXEC").isNotZero();
			}
			finally {
				this.access.closeDescriptor(copy);
			}
		}
	}

	@Test
	void aDescriptorThatIsNotOpenCannotBeDuplicated() {
		assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"));
		assertThatExceptionOfType(NativeAccessException.class)
			.isThrownBy(() -> this.access.duplicateDescriptor(Integer.MAX_VALUE - 1))
			.withMessageContaining("F_DUPFD_CLOEXEC");
	}

	/**
	 * The descriptor of this process that has {@code file} open (the test opened one).
	 */
	private static int descriptorOf(Path file) throws IOException {
		try (var descriptors = Files.list(Path.of("/proc/self/fd"))) {
			return descriptors.filter((link) -> {
				try {
					return Files.readSymbolicLink(link).equals(file);
				}
				catch (IOException ex) {
					return false;
				}
			}).map((link) -> Integer.parseInt(link.getFileName().toString())).findFirst().orElseThrow();
		}
	}

}
