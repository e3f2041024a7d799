package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;
import io.samboot.soak.SoakInstance;
import io.samboot.testsupport.Jdk;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lean supervisor JVM's class-data archive for real, on JDK 17 and 25: the core
 * soak's plain Java application ({@link SoakInstance}), on a class path of jars,
 * supervises three times with one cache directory ({@code XDG_CACHE_HOME}). The first
 * supervisor runs without an archive and makes one when it exits on SIGTERM; the second
 * puts it into place and maps it; the third maps it too, and nothing of either run is
 * left under another name.
 */
@Tag("process")
class LeanJvmArchiveProcessTests {

	private static final NativeAccess OS = NativeAccess.get();

	static List<Jdk> jdks() {
		return Jdk.available();
	}

	@ParameterizedTest
	@MethodSource("jdks")
	void theSecondSupervisorStartsFromTheArchiveTheFirstMadeAtItsExit(Jdk jdk, @TempDir Path directory)
			throws Exception {
		assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
		Path cache = Files.createDirectories(directory.resolve("cache"));
		List<Path> classPath = jarredClassPath(directory);

		LeanJvm first = supervise(jdk, classPath, cache, directory);
		assertThat(first.archive()).as("the first lean JVM maps no archive").isEqualTo("none");
		// JNA's native library, kept in the cache by the first start already, not
		// unpacked at every start.
		assertThat(first.dispatchLibrary()).matches(".*/sam-boot/lean-[0-9a-f]+/libjnidispatch\\.so");
		assertThat(files(cache)).as("what the first supervisor left at its exit")
			.anyMatch((name) -> name.endsWith(".part"));

		String second = supervise(jdk, classPath, cache, directory).archive();
		LeanJvm third = supervise(jdk, classPath, cache, directory);

		String archive = (jdk.feature() >= 24) ? "supervisor.aot" : "supervisor.jsa";
		assertThat(second).endsWith("/" + archive);
		assertThat(third.archive()).isEqualTo(second);
		assertThat(third.dispatchLibrary()).isEqualTo(first.dispatchLibrary());
		// From JDK 25 a JVM started from an AOT cache replays the profiles in it, on a
		// thread woken at every class the loop initialises.
		assertThat(third.threads()).isNotEmpty().noneMatch((name) -> name.startsWith("Training"));
		assertThat(files(cache)).as("no part left once the archive is in place")
			.noneMatch((name) -> name.endsWith(".part") || name.endsWith(".made"));
		// Needed only after a failure, which none of these runs had: in the archive since
		// the supervisor loads its own classes ahead (SupervisorClassPreload).
		assertThat(archivedClasses(jdk, Path.of(second))).contains(" " + RestartBackoff.class.getName() + "$Decision ");
	}

	@ParameterizedTest
	@MethodSource("jdks")
	void leanJvmOptionsThatTurnClassSharingOffAreKeptAndGetNoArchive(Jdk jdk, @TempDir Path directory)
			throws Exception {
		assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"), "Linux only");
		Path cache = Files.createDirectories(directory.resolve("cache"));
		List<Path> classPath = jarredClassPath(directory);
		// Recording an archive beside -Xshare:off would keep the lean JVM from starting.
		String options = "-D" + SupervisorReexec.OPTIONS_PROPERTY + "=-XX:+UseSerialGC -Xss256k -Xshare:off";

		assertThat(supervise(jdk, classPath, cache, directory, options).archive()).isEqualTo("none");
		assertThat(supervise(jdk, classPath, cache, directory, options).archive()).isEqualTo("none");
		assertThat(files(cache)).noneMatch((name) -> name.contains("supervisor."));
	}

	private static LeanJvm supervise(Jdk jdk, List<Path> classPath, Path cache, Path directory) throws Exception {
		return supervise(jdk, classPath, cache, directory, null);
	}

	/**
	 * Starts the application (with one more option for the JVM the user starts, when
	 * given), waits for instance 1, and returns the archive the lean supervisor JVM maps
	 * and its threads; stops it with SIGTERM and waits for its exit.
	 */
	private static LeanJvm supervise(Jdk jdk, List<Path> classPath, Path cache, Path directory, String option)
			throws Exception {
		List<String> command = new ArrayList<>(List.of(jdk.java()));
		command.addAll(jdk.quietOptions());
		if (option != null) {
			command.add(option);
		}
		command.addAll(List.of("-cp", classPath.stream().map(Path::toString).collect(Collectors.joining(":")),
				SoakInstance.class.getName(), Files.createDirectories(directory.resolve("control")).toString(),
				"1000"));
		Path output = directory.resolve("out-" + System.nanoTime() + ".txt");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
		builder.environment().keySet().removeIf((name) -> name.startsWith("SAM_"));
		builder.environment().put("XDG_CACHE_HOME", cache.toString());
		Process supervisor = builder.start();
		try {
			// Instance 1 stores data and answers checks: the supervisor has done its
			// work.
			await("instance 1 stores data").atMost(Duration.ofSeconds(60))
				.failFast("the supervisor ended", () -> !supervisor.isAlive())
				.until(() -> Files.readString(output).contains("ACK 1 3"));
			String maps = Files.readString(Path.of("/proc", Long.toString(supervisor.pid()), "maps"));
			String mapped = maps.lines()
				.map((line) -> line.substring(line.lastIndexOf(' ') + 1))
				.filter((file) -> file.contains("/sam-boot/lean-")
						&& (file.endsWith("/supervisor.jsa") || file.endsWith("/supervisor.aot")))
				.findFirst()
				.orElse("none");
			String dispatchLibrary = maps.lines()
				.map((line) -> line.substring(line.lastIndexOf(' ') + 1))
				.filter((file) -> file.endsWith("/libjnidispatch.so") || file.matches(".*/jna[^/]*\\.tmp"))
				.findFirst()
				.orElse("none");
			List<String> threads = threadNames(supervisor.pid());
			OS.kill(supervisor.pid(), PosixSignal.TERM);
			assertThat(supervisor.waitFor(60, TimeUnit.SECONDS)).as("the supervisor exits").isTrue();
			return new LeanJvm(mapped, dispatchLibrary, threads);
		}
		finally {
			supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
			supervisor.destroyForcibly();
		}
	}

	/** The names of a process's threads, as the kernel keeps them. */
	private static List<String> threadNames(long pid) throws IOException {
		List<String> names = new ArrayList<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path task : tasks.toList()) {
				try {
					names.add(Files.readString(task.resolve("comm")).strip());
				}
				catch (IOException ex) {
					// That thread has ended.
				}
			}
		}
		return names;
	}

	/**
	 * What a lean supervisor JVM mapped and ran.
	 *
	 * @param archive the archive it maps ({@code none} without one)
	 * @param dispatchLibrary the file it maps JNA's native library from
	 * @param threads its threads' names
	 */
	private record LeanJvm(String archive, String dispatchLibrary, List<String> threads) {
	}

	/**
	 * Whether the process is the lean JVM already: its command line runs SupervisorMain.
	 */
	private static boolean leanJvmRuns(long pid) throws IOException {
		return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"))
			.contains(SupervisorMain.class.getName());
	}

	/**
	 * The JVM's list of the classes in an archive (made for the jars beside it, in their
	 * numbered order).
	 */
	private static String archivedClasses(Jdk jdk, Path archive) throws Exception {
		List<String> jars;
		try (Stream<Path> files = Files.list(archive.getParent())) {
			// Named <n>-<name>.jar, n their place on the class path.
			jars = files.filter((file) -> file.getFileName().toString().endsWith(".jar"))
				.sorted(Comparator
					.comparingInt((Path file) -> Integer.parseInt(file.getFileName().toString().split("-")[0])))
				.map(Path::toString)
				.toList();
		}
		String option = (jdk.feature() >= 24) ? "-XX:AOTCache=" + archive : "-XX:SharedArchiveFile=" + archive;
		Process print = new ProcessBuilder(jdk.java(), option, "-XX:+PrintSharedArchiveAndExit", "-cp",
				String.join(":", jars))
			.redirectErrorStream(true)
			.start();
		String output = new String(print.getInputStream().readAllBytes());
		assertThat(print.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(output).contains("archive is valid");
		return output;
	}

	private static List<String> files(Path cache) throws IOException {
		try (Stream<Path> files = Files.walk(cache)) {
			return files.map(Path::toString).toList();
		}
	}

	/**
	 * This module's classes as a jar, and the jars of the test class path: a class path
	 * of jars only, as an application's is.
	 */
	private static List<Path> jarredClassPath(Path directory) throws IOException {
		List<Path> jars = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(":")) {
			Path path = Path.of(entry);
			if (Files.isDirectory(path)) {
				jars.add(jar(path, directory.resolve(path.getFileName() + "-" + jars.size() + ".jar")));
			}
			else if (entry.endsWith(".jar")) {
				jars.add(path);
			}
		}
		return jars;
	}

	private static Path jar(Path classes, Path jar) throws IOException {
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
				Stream<Path> files = Files.walk(classes)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				out.putNextEntry(new JarEntry(classes.relativize(file).toString()));
				Files.copy(file, out);
				out.closeEntry();
			}
		}
		return jar;
	}

}
