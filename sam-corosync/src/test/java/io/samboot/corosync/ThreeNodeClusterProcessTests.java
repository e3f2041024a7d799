package io.samboot.corosync;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.samboot.testsupport.ChildJvm;
import io.samboot.testsupport.CorosyncNode;
import io.samboot.testsupport.NetnsCluster;
import io.samboot.testsupport.OutputLines;
import io.samboot.testsupport.TestProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The supervised application on node 1 of a real three-node corosync cluster in network
 * namespaces ({@link NetnsCluster}): it starts once the cluster is quorate; stopping
 * nodes 2 and 3 makes node 1 inquorate, so the instance gets the warning signal, then
 * SIGKILL, and the restarted instance waits for quorum (CMAP
 * {@code state = waiting for quorum}); starting node 2 again lets it start.
 */
@ResourceLock(CorosyncNode.LOCK)
@ExtendWith(CorosyncNode.MachineLock.class)
@Tag("process")
@Tag("corosync")
class ThreeNodeClusterProcessTests {

	private static final Pattern NANOS = Pattern.compile("nanos=(\\d+)");

	private static final Pattern SUPERVISOR = Pattern.compile("supervisor=(\\d+)");

	private static final Pattern LOG_TIME = Pattern.compile("^\\w{3} +\\d+ (\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");

	@TempDir
	Path dir;

	@TempDir
	static Path buildDir;

	private static LibsamProgram libsam;

	private final TestProcesses processes = new TestProcesses();

	private final List<LibsamProgram.Run> references = new java.util.ArrayList<>();

	private NetnsCluster cluster;

	@BeforeAll
	static void buildLibsamProgram() {
		NetnsCluster.assumeUsable();
		libsam = LibsamProgram.compile(buildDir);
	}

	@BeforeEach
	void requireNamespaces() {
		NetnsCluster.assumeUsable();
	}

	@AfterEach
	void tearDown() {
		this.references.forEach(LibsamProgram.Run::close);
		this.processes.close();
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void losingQuorumKillsAndRegainingItStartsAgain() throws Exception {
		this.cluster = new NetnsCluster(this.dir, 3).start();
		await().atMost(Duration.ofSeconds(30)).until(() -> this.cluster.quorate(1));

		Process app = this.processes.start(this.cluster.inNodeCommand(1, ChildJvm.command(QuorumFixture.class)));
		OutputLines output = OutputLines.of(app.getInputStream());
		String registered = awaitLine(output, "MARK iid=1 registered", Duration.ofSeconds(30));
		long supervisorPid = Long.parseLong(find(SUPERVISOR, registered));
		awaitLine(output, "MARK iid=1 started", Duration.ofSeconds(30));
		assertThat(cmap(supervisorPid).get("state")).hasToString("(str) running");
		// corosync's own libsam on the same node, for the time from quorum loss to the
		// warning signal.
		LibsamProgram.Run reference = libsam.start(this.cluster.inNodeCommand(1, List.of()), "restart", 0, true);
		this.references.add(reference);
		assertThat(reference.command("start")).startsWith("ok ");

		long stopping = System.nanoTime();
		this.cluster.stopNode(2);
		this.cluster.stopNode(3);
		String warned = awaitLine(output, "MARK iid=1 got SIGTERM", Duration.ofSeconds(30));
		long warnedNanos = Long.parseLong(find(NANOS, warned));
		System.out.printf("warning signal %.0f ms after the two nodes were stopped; %s ms after node 1's corosync"
				+ " logged the loss of quorum%n", (warnedNanos - stopping) / 1e6, sinceLogged(warned));
		String libsamWarned = awaitReferenceLine(reference, "sigterm ");
		long libsamNanos = Long.parseLong(libsamWarned.substring("sigterm ".length()).trim());
		System.out.printf(
				"libsam's child got its warning signal %.0f ms after the two nodes were stopped; our"
						+ " instance %.1f ms %s it%n",
				(libsamNanos - stopping) / 1e6, Math.abs(warnedNanos - libsamNanos) / 1e6,
				(warnedNanos >= libsamNanos) ? "after" : "before");

		awaitLine(output, "MARK iid=2 registered", Duration.ofSeconds(30));
		System.out.println("node 1's corosync: " + lastLogLine("non-primary component"));
		output.find(line -> line.contains("[sam-supervisor]") && line.contains("not quorate"))
			.ifPresent(System.out::println);
		output.find(line -> line.contains("[sam-supervisor]") && line.contains("quorum-lost"))
			.ifPresent(System.out::println);
		System.out.println(warned);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(String.valueOf(cmap(supervisorPid).get("state")))
				.isEqualTo("(str) waiting for quorum"));
		assertThat(output.find(line -> line.contains("MARK iid=2 started"))).isEmpty();
		assertThat(output.find(line -> line.contains("quorum-lost"))).as(output.toString()).isPresent();

		long restarting = System.nanoTime();
		this.cluster.startNode(2);
		String started = awaitLine(output, "MARK iid=2 started", Duration.ofSeconds(60));
		System.out.printf("instance 2 started %.0f ms after node 2 was started again%n",
				(Long.parseLong(find(NANOS, started)) - restarting) / 1e6);
		assertThat(cmap(supervisorPid).get("state")).hasToString("(str) running");
	}

	private Map<String, CmapKeys.Typed> cmap(long pid) {
		CorosyncNode.CommandResult result = this.cluster.inNode(1,
				List.of("corosync-cmapctl", CmapPublisher.prefix(pid)));
		Map<String, CmapKeys.Typed> entry = new java.util.TreeMap<>();
		Pattern line = Pattern.compile("^\\S+\\.(\\w+) \\((\\w+)\\) = (.*)$");
		for (String text : result.lines()) {
			Matcher matcher = line.matcher(text);
			if (matcher.matches()) {
				entry.put(matcher.group(1), new CmapKeys.Typed(matcher.group(2), matcher.group(3)));
			}
		}
		return entry;
	}

	private String lastLogLine(String text) {
		return this.cluster.log(1).lines().filter(line -> line.contains(text)).reduce((a, b) -> b).orElse("?");
	}

	/**
	 * Milliseconds from node 1's log line about the lost quorum (wall clock, ms) to the
	 * marked line.
	 */
	private String sinceLogged(String mark) {
		Instant at = Instant.parse(mark.substring(mark.indexOf("at=") + 3).trim());
		Optional<LocalTime> logged = Optional.empty();
		for (String text : this.cluster.log(1).lines().toList()) {
			Matcher matcher = LOG_TIME.matcher(text);
			if (text.contains("non-primary component") && matcher.find()) {
				logged = Optional.of(LocalTime.parse(matcher.group(1)));
			}
		}
		return logged
			.map(time -> Long
				.toString(Duration.between(time, LocalTime.ofInstant(at, ZoneId.systemDefault())).toMillis()))
			.orElse("?");
	}

	private static String awaitReferenceLine(LibsamProgram.Run run, String prefix) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() - deadline < 0) {
			String line = run.line(Duration.ofSeconds(1));
			if (line != null && line.startsWith(prefix)) {
				return line;
			}
		}
		throw new AssertionError("libsam's child never printed '" + prefix + "'");
	}

	private static String awaitLine(OutputLines output, String text, Duration timeout) {
		await().atMost(timeout).until(() -> output.find(line -> line.contains(text)).isPresent());
		return output.find(line -> line.contains(text)).orElseThrow();
	}

	private static String find(Pattern pattern, String line) {
		Matcher matcher = pattern.matcher(line);
		assertThat(matcher.find()).as(line).isTrue();
		return matcher.group(1);
	}

}
