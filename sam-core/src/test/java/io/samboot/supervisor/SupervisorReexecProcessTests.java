package io.samboot.supervisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.samboot.testsupport.Jdk;
import io.samboot.testsupport.SupervisedApp;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JVM the user starts re-executes itself as the lean supervisor JVM, with real
 * processes: same PID, its command line now the lean one followed by the instance's, none
 * of its descriptors left open, no signal blocked, {@code JAVA_TOOL_OPTIONS} kept from
 * the supervisor and handed to the instance, and its private directory gone after a
 * graceful stop. And off with {@code -Dsam.supervisor.reexec=false}; options the lean JVM
 * refuses leave the started JVM supervising, with a warning that says why.
 */
@EnabledOnOs(OS.LINUX)
@Tag("process")
class SupervisorReexecProcessTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	@TempDir
	Path temp;

	@Test
	void theStartedJvmBecomesTheLeanSupervisorKeepingItsPidAndNothingElse() throws Exception {
		Path held = Files.writeString(this.temp.resolve("held-open.txt"), "held");
		try (SupervisedApp app = start(List.of(), Map.of("JAVA_TOOL_OPTIONS", "-Dreexec.marker=from-env"), held)) {
			String mark = app.awaitLine("MARK iid=1", TIMEOUT);
			long pid = app.supervisorPid();
			assertThat(app.output().find(line -> line.contains("supervising pid " + pid + " (lean supervisor JVM)")))
				.isPresent();

			List<String> cmdline = cmdline(pid);
			assertThat(cmdline).contains(SupervisorMain.class.getName(), "-XX:+UseSerialGC", "--");
			List<String> relaunched = cmdline.subList(cmdline.indexOf("--") + 1, cmdline.size());
			assertThat(relaunched).contains(ReexecFixture.class.getName(), held.toString());

			// The JVM the user started had the whole test class path open; the lean one
			// has only JNA's jar.
			assertThat(openFiles(pid)).noneMatch(target -> target.contains("held-open.txt"))
				.filteredOn(target -> target.endsWith(".jar"))
				.allMatch(target -> Path.of(target).getFileName().toString().startsWith("jna-"));
			assertThat(status(pid, "SigBlk")).matches("0+");
			// Its JIT compiler, instance 1's exit waiter and the orphan reaper run last
			// (nice 19; names as the kernel keeps them, 15 bytes), the loop and the
			// rest as started.
			Map<String, Integer> nice = niceByThreadName(pid);
			assertThat(nice).containsEntry("C1 CompilerThre", 19)
				.containsEntry("sam-instance-1-", 19)
				.containsEntry("sam-orphan-reap", 19)
				.allSatisfy((name, value) -> assertThat(value).as(name).isEqualTo(runsInBackground(name) ? 19 : 0));

			assertThat(environment(pid)).noneMatch(variable -> variable.startsWith("JAVA_TOOL_OPTIONS="));
			assertThat(mark).contains("marker=from-env").contains("held=true");

			app.supervisor().destroy();
			assertThat(app.awaitExit(TIMEOUT)).isEqualTo(143);
			assertThat(controlDirectories()).isEmpty();
		}
	}

	@Test
	void theLeanSupervisorTakesOverInstanceOneAndReapsItWithItsExitStatus() throws Exception {
		Path held = Files.writeString(this.temp.resolve("held-open.txt"), "held");
		try (SupervisedApp app = start(List.of(), Map.of(), held)) {
			long instance = app.instancePid(1, TIMEOUT);
			app.awaitLine("ms before this supervisor JVM took it over", TIMEOUT);
			assertThat(ProcessHandle.of(instance).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
				.contains(app.supervisorPid());

			ProcessHandle.of(instance).orElseThrow().destroyForcibly();

			app.awaitLine("instance 1 (pid " + instance + ") ended: killed by SIGKILL", TIMEOUT);
			// The quit policy: the supervisor ends with the instance's status, having
			// reaped it.
			assertThat(app.awaitExit(TIMEOUT)).isEqualTo(137);
			assertThat(SupervisedApp.alive(instance)).isFalse();
			assertThat(controlDirectories()).isEmpty();
		}
	}

	@Test
	void whatAKilledSupervisorLeftBesideItsDirectoryIsRemoved() throws Exception {
		Path held = Files.writeString(this.temp.resolve("held-open.txt"), "held");
		// A directory of a supervisor that no longer exists (no PID is that high), older
		// than a starting supervisor's; and beside it an entry of another name, kept.
		Path stale = Files.createDirectory(this.temp.resolve("sam-999999999-1"));
		Files.createFile(stale.resolve(ControlDirectory.LOCK_NAME));
		Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
		Path other = Files.createDirectory(this.temp.resolve("same-999999999-1"));
		Files.setLastModifiedTime(other, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
		try (SupervisedApp app = start(List.of(), Map.of(), held)) {
			app.awaitLine("MARK iid=1", TIMEOUT);
			app.awaitLine("removed " + stale + ", left by supervisor 999999999", TIMEOUT);
			assertThat(stale).doesNotExist();
			assertThat(other).exists();
			assertThat(controlDirectories()).hasSize(1);
			app.supervisor().destroy();
			assertThat(app.awaitExit(TIMEOUT)).isEqualTo(143);
		}
	}

	@Test
	void switchedOffTheStartedJvmSupervisesItself() throws Exception {
		Path held = Files.writeString(this.temp.resolve("held-open.txt"), "held");
		try (SupervisedApp app = start(List.of("-Dsam.supervisor.reexec=false"), Map.of(), held)) {
			app.awaitLine("MARK iid=1", TIMEOUT);
			long pid = app.supervisorPid();
			assertThat(cmdline(pid)).contains(ReexecFixture.class.getName())
				.doesNotContain(SupervisorMain.class.getName());
			assertThat(app.output().find(line -> line.contains("lean supervisor JVM"))).isEmpty();
			app.supervisor().destroy();
			assertThat(app.awaitExit(TIMEOUT)).isEqualTo(143);
		}
	}

	@Test
	void jvmOptionsTheLeanJvmRefusesLeaveTheStartedJvmSupervisingWithAWarning() throws Exception {
		Path held = Files.writeString(this.temp.resolve("held-open.txt"), "held");
		try (SupervisedApp app = start(List.of("-Dsam.supervisor.jvm-options=-Xmx1k"), Map.of(), held)) {
			app.awaitLine("MARK iid=1", TIMEOUT);
			String warning = app.awaitLine("cannot start with -Dsam.supervisor.jvm-options", TIMEOUT);
			// The option, and HotSpot's own words for what is wrong with it.
			assertThat(warning).contains("WARN", "supervising from this JVM", "\"-Xmx1k\"", "exited with status 1",
					"Too small maximum heap");
			long pid = app.supervisorPid();
			assertThat(cmdline(pid)).doesNotContain(SupervisorMain.class.getName());
			app.supervisor().destroy();
			assertThat(app.awaitExit(TIMEOUT)).as(app.toString()).isEqualTo(143);
			assertThat(controlDirectories()).isEmpty();
		}
	}

	private SupervisedApp start(List<String> options, Map<String, String> environment, Path held) throws IOException {
		List<String> jvmOptions = new ArrayList<>(options);
		// The control directory goes to this test's own directory, to be looked at.
		jvmOptions.add("-Djava.io.tmpdir=" + this.temp);
		Map<String, String> env = new HashMap<>(environment);
		env.put("XDG_RUNTIME_DIR", "");
		return SupervisedApp.start(Jdk.current(), ReexecFixture.class, jvmOptions, env, held.toString());
	}

	private List<Path> controlDirectories() throws IOException {
		try (Stream<Path> entries = Files.list(this.temp)) {
			return entries.filter(path -> path.getFileName().toString().startsWith("sam-")).toList();
		}
	}

	private static List<String> cmdline(long pid) throws IOException {
		String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
				StandardCharsets.UTF_8);
		return Arrays.asList(raw.split("\0"));
	}

	private static List<String> environment(long pid) throws IOException {
		String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
				StandardCharsets.UTF_8);
		return Arrays.asList(raw.split("\0"));
	}

	private static List<String> openFiles(long pid) throws IOException {
		List<String> targets = new ArrayList<>();
		try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
			for (Path fd : (Iterable<Path>) fds::iterator) {
				try {
					targets.add(Files.readSymbolicLink(fd).toString());
				}
				catch (IOException ex) {
					// closed meanwhile
				}
			}
		}
		return targets;
	}

	private static boolean runsInBackground(String threadName) {
		return BackgroundThreads.isCompiler(threadName) || threadName.startsWith("sam-instance-")
				|| threadName.equals("sam-orphan-reap");
	}

	/** Each thread's nice value (field 19 of its {@code stat}), by its name. */
	private static Map<String, Integer> niceByThreadName(long pid) throws IOException {
		Map<String, Integer> nice = new HashMap<>();
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path task : (Iterable<Path>) tasks::iterator) {
				try {
					String stat = Files.readString(task.resolve("stat"));
					String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
					String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
					nice.put(name, Integer.parseInt(fields[19 - 3]));
				}
				catch (IOException ex) {
					// ended meanwhile
				}
			}
		}
		return nice;
	}

	private static String status(long pid, String field) throws IOException {
		return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))
			.stream()
			.filter(line -> line.startsWith(field + ":"))
			.map(line -> line.substring(field.length() + 1).trim())
			.findFirst()
			.orElseThrow();
	}

}
