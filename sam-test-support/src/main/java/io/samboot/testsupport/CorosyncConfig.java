package io.samboot.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code corosync.conf} for a test cluster: no crypto, logging to standard error (the
 * daemon's log file in the test's directory), state in the test's directory.
 *
 * @param clusterName the totem cluster name
 * @param transport {@code udpu} for one node on loopback, {@code knet} for nodes in
 * network namespaces
 * @param expectedVotes the quorum section's {@code expected_votes}, or 0 to let the node
 * list decide
 * @param addresses the nodes' ring-0 addresses; node {@code i} (from 1) has the
 * {@code i}-th
 */
public record CorosyncConfig(String clusterName, String transport, int expectedVotes, List<String> addresses) {

	/**
	 * Writes {@code corosync.conf} into {@code directory} with its {@code state}
	 * directory beside it, and returns the file.
	 */
	public Path writeTo(Path directory) {
		try {
			Path state = Files.createDirectories(directory.resolve("state"));
			Path config = directory.resolve("corosync.conf");
			Files.writeString(config, text(state));
			return config;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public String text(Path stateDir) {
		StringBuilder nodes = new StringBuilder();
		for (int node = 1; node <= this.addresses.size(); node++) {
			nodes.append("""
					    node {
					        nodeid: %d
					        name: node%d
					        ring0_addr: %s
					    }
					""".formatted(node, node, this.addresses.get(node - 1)));
		}
		String votes = (this.expectedVotes > 0) ? "\n    expected_votes: " + this.expectedVotes : "";
		return """
				totem {
				    version: 2
				    cluster_name: %s
				    transport: %s
				    crypto_cipher: none
				    crypto_hash: none
				}
				quorum {
				    provider: corosync_votequorum%s
				}
				nodelist {
				%s}
				system {
				    state_dir: %s
				}
				logging {
				    to_stderr: yes
				    to_syslog: no
				    to_logfile: no
				    timestamp: hires
				}
				""".formatted(this.clusterName, this.transport, votes, nodes, stateDir);
	}
}
