package io.samboot.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A corosync cluster of several nodes on this machine, each in a network namespace the
 * test creates ({@code sam<pid>n1}, ...), linked by veth pairs to a bridge in a hub
 * namespace ({@code sam<pid>h}), on the private subnet {@value #SUBNET}.0/24 that exists
 * only inside these namespaces: no packet leaves them, and nothing outside is touched.
 * Each daemon also runs in its own mount namespace with a private {@code /run}, since
 * corosync's PID file is fixed.
 *
 * <p>
 * corosync's client sockets belong to the network namespace: run every client (the
 * supervised application too) with {@link #inNode(int, List)} ({@code ip netns exec}).
 * {@link #close()} stops every daemon by PID and deletes every namespace, whatever
 * happened before.
 */
public final class NetnsCluster implements AutoCloseable {

	public static final String SUBNET = "10.213.0";

	private final Path directory;

	private final int size;

	private final String prefix = "sam" + (ProcessHandle.current().pid() % 100000);

	private final List<String> namespaces = new ArrayList<>();

	private final Process[] daemons;

	public NetnsCluster(Path directory, int size) {
		this.directory = directory.toAbsolutePath();
		this.size = size;
		this.daemons = new Process[size + 1];
	}

	/** Skips the test, saying why, where namespaces cannot be made here. */
	public static void assumeUsable() {
		assumeTrue(Files.isExecutable(CorosyncNode.COROSYNC), "corosync is not installed: " + CorosyncNode.INSTALL);
		assumeTrue(CorosyncNode.isRoot(), "network namespaces need root");
		assumeTrue(CorosyncNode.run(Duration.ofSeconds(5), "ip", "-V").exitCode() == 0, "iproute2 (ip) is missing");
		assumeTrue(CorosyncNode.run(Duration.ofSeconds(5), "unshare", "--version").exitCode() == 0,
				"util-linux (unshare) is missing");
		String probe = "samprobe" + (ProcessHandle.current().pid() % 100000);
		CorosyncNode.CommandResult added = CorosyncNode.run(Duration.ofSeconds(5), "ip", "netns", "add", probe);
		CorosyncNode.run(Duration.ofSeconds(5), "ip", "netns", "del", probe);
		assumeTrue(added.exitCode() == 0, "cannot create network namespaces here: " + added.output().trim());
	}

	public String nodeNamespace(int node) {
		return this.prefix + "n" + node;
	}

	public static String address(int node) {
		return SUBNET + "." + node;
	}

	/**
	 * Creates the namespaces and the links, and starts every daemon; returns once all
	 * answer.
	 */
	public NetnsCluster start() {
		String hub = this.prefix + "h";
		createNamespace(hub);
		ip(hub, "link", "add", "br0", "type", "bridge");
		ip(hub, "link", "set", "br0", "up");
		for (int node = 1; node <= this.size; node++) {
			String ns = nodeNamespace(node);
			createNamespace(ns);
			ip(ns, "link", "set", "lo", "up");
			ip(ns, "link", "add", "eth0", "type", "veth", "peer", "name", "p" + node, "netns", hub);
			ip(ns, "addr", "add", address(node) + "/24", "dev", "eth0");
			ip(ns, "link", "set", "eth0", "up");
			ip(hub, "link", "set", "p" + node, "master", "br0");
			ip(hub, "link", "set", "p" + node, "up");
		}
		for (int node = 1; node <= this.size; node++) {
			startNode(node);
		}
		for (int node = 1; node <= this.size; node++) {
			awaitAnswer(node);
		}
		return this;
	}

	/** Starts (or restarts) one node's daemon. */
	public void startNode(int node) {
		try {
			Path dir = Files.createDirectories(this.directory.resolve("node" + node));
			List<String> addresses = new ArrayList<>();
			for (int other = 1; other <= this.size; other++) {
				addresses.add(address(other));
			}
			Path config = new CorosyncConfig("samtest3", "knet", 0, addresses).writeTo(dir);
			this.daemons[node] = CorosyncNode.startDaemon(dir,
					List.of("ip", "netns", "exec", nodeNamespace(node), "unshare", "--mount", "--propagation",
							"private", "sh", "-c",
							"mount -t tmpfs tmpfs /run && exec " + CorosyncNode.COROSYNC + " -f -c " + config));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitAnswer(int node) {
		CorosyncNode.awaitAnswer("corosync on node " + node, this.daemons[node], Duration.ofSeconds(20),
				() -> inNode(node, List.of("corosync-quorumtool", "-s")), () -> log(node));
	}

	/** Whether {@code corosync-quorumtool -s} on the node says quorate. */
	public boolean quorate(int node) {
		return inNode(node, List.of("corosync-quorumtool", "-s")).exitCode() == 0;
	}

	/** Stops a node's daemon with SIGTERM, by its PID, and waits for it. */
	public void stopNode(int node) {
		Process daemon = this.daemons[node];
		if (daemon == null) {
			return;
		}
		this.daemons[node] = null;
		daemon.destroy();
		try {
			if (!daemon.waitFor(10, TimeUnit.SECONDS)) {
				daemon.destroyForcibly();
				daemon.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			daemon.destroyForcibly();
		}
		CorosyncNode.removeShmOf(daemon.pid());
	}

	/** Runs a command inside a node's network namespace. */
	public CorosyncNode.CommandResult inNode(int node, List<String> command) {
		return CorosyncNode.run(Duration.ofSeconds(10), inNodeCommand(node, command).toArray(String[]::new));
	}

	/** The command line that runs {@code command} inside a node's network namespace. */
	public List<String> inNodeCommand(int node, List<String> command) {
		List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", nodeNamespace(node)));
		full.addAll(command);
		return full;
	}

	public String log(int node) {
		try {
			Path file = this.directory.resolve("node" + node).resolve("corosync.log");
			return Files.exists(file) ? Files.readString(file) : "";
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

	private void createNamespace(String name) {
		run("ip", "netns", "add", name);
		this.namespaces.add(name);
	}

	private static void ip(String namespace, String... args) {
		List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
		command.addAll(List.of(args));
		run(command.toArray(String[]::new));
	}

	private static void run(String... command) {
		CorosyncNode.CommandResult result = CorosyncNode.run(Duration.ofSeconds(10), command);
		if (result.exitCode() != 0) {
			throw new IllegalStateException(result.toString());
		}
	}

	@Override
	public void close() {
		for (int node = 1; node <= this.size; node++) {
			stopNode(node);
		}
		for (int i = this.namespaces.size() - 1; i >= 0; i--) {
			CorosyncNode.run(Duration.ofSeconds(10), "ip", "netns", "del", this.namespaces.get(i));
		}
		this.namespaces.clear();
	}

}
