package io.samboot.supervisor;

import java.util.ArrayList;
import java.util.List;

/**
 * A JDWP agent option (the debugger's agent), in any of its three spellings
 * ({@code -agentlib:jdwp=...}, {@code -Xrunjdwp:...},
 * {@code -agentpath:.../libjdwp...=...}), and the sub-options the supervisor acts on.
 *
 * @param option the whole option as given
 * @param prefix everything before the sub-options
 * @param settings the comma-separated sub-options
 */
record JdwpAgent(String option, String prefix, List<String> settings) {

	JdwpAgent {
		settings = List.copyOf(settings);
	}

	/** The option as a JDWP agent, or {@code null} if it is none. */
	static JdwpAgent parse(String option) {
		if (option.equals("-agentlib:jdwp") || option.equals("-Xrunjdwp")) {
			return new JdwpAgent(option, option, List.of());
		}
		for (String prefix : List.of("-agentlib:jdwp=", "-Xrunjdwp:")) {
			if (option.startsWith(prefix)) {
				return new JdwpAgent(option, prefix, List.of(option.substring(prefix.length()).split(",", -1)));
			}
		}
		if (option.startsWith("-agentpath:")) {
			int equals = option.indexOf('=');
			String library = (equals >= 0) ? option.substring(0, equals) : option;
			String fileName = library.substring(Math.max(library.lastIndexOf('/'), library.lastIndexOf('\\')) + 1);
			if (fileName.contains("jdwp")) {
				List<String> settings = (equals >= 0) ? List.of(option.substring(equals + 1).split(",", -1))
						: List.of();
				return new JdwpAgent(option, (equals >= 0) ? option.substring(0, equals + 1) : option, settings);
			}
		}
		return null;
	}

	/**
	 * The JDWP agent among a command line's JVM options (the first, as the JVM refuses a
	 * second), or {@code null}: arguments after the main class or jar are the
	 * application's, whatever they look like.
	 */
	static JdwpAgent find(List<String> argv) {
		int end = JvmOptionPolicy.endOfJvmOptions(argv);
		for (int i = 1; i < end; i++) {
			JdwpAgent agent = parse(argv.get(i));
			if (agent != null) {
				return agent;
			}
		}
		return null;
	}

	String value(String name) {
		String value = null;
		for (String setting : this.settings) {
			if (setting.startsWith(name + "=")) {
				value = setting.substring(name.length() + 1); // the last one wins, as in
																// the agent
			}
		}
		return value;
	}

	/** {@code server=y}: the JVM listens for the debugger (attach mode). */
	boolean server() {
		return "y".equals(value("server"));
	}

	/** {@code suspend=y}, the agent's default: the JVM waits for the debugger. */
	boolean suspend() {
		return !"n".equals(value("suspend"));
	}

	boolean socketTransport() {
		String transport = value("transport");
		return transport == null || transport.equals("dt_socket");
	}

	String address() {
		return value("address");
	}

	/**
	 * The port of a socket address ({@code port}, {@code host:port}, {@code *:port},
	 * {@code [::1]:port}), or 0 when there is none or it is 0 (a port the JVM picks).
	 */
	int port() {
		String address = address();
		if (address == null || !socketTransport()) {
			return 0;
		}
		String port = address.substring(address.lastIndexOf(':') + 1);
		if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
			return 0;
		}
		return Integer.parseInt(port);
	}

	/**
	 * The host part of the address ({@code *}, a name or a literal, IPv6 without
	 * brackets), or {@code null} when the address is a port alone (the agent then means
	 * localhost).
	 */
	String host() {
		String address = address();
		int colon = (address != null) ? address.lastIndexOf(':') : -1;
		if (colon < 0) {
			return null;
		}
		String host = address.substring(0, colon);
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	/** The same address with another port. */
	String addressWithPort(int port) {
		String address = address();
		int colon = (address != null) ? address.lastIndexOf(':') : -1;
		return ((colon >= 0) ? address.substring(0, colon + 1) : "") + port;
	}

	/** The option with {@code address=} replaced. */
	String withAddress(String address) {
		List<String> rewritten = new ArrayList<>();
		for (String setting : this.settings) {
			rewritten.add(setting.startsWith("address=") ? "address=" + address : setting);
		}
		return this.prefix + String.join(",", rewritten);
	}

}
