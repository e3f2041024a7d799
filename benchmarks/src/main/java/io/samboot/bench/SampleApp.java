package io.samboot.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the suite reads from a supervised application's output, and where it listens. */
final class SampleApp {

	/** The supervisor's "launched instance N (pid P)" line. */
	static final Pattern LAUNCHED = Pattern.compile("launched instance (\\d+) \\(pid (\\d+)\\)");

	private SampleApp() {
	}

	/** The PID of the instance the supervisor launched last. */
	static long currentInstance(Launched app) {
		List<Launched.Line> launched = app.linesMatching(0, text -> LAUNCHED.matcher(text).find());
		if (launched.isEmpty()) {
			throw new IllegalStateException(app.name() + ": no \"launched instance\" line");
		}
		Matcher matcher = LAUNCHED.matcher(launched.get(launched.size() - 1).text());
		matcher.find();
		return Long.parseLong(matcher.group(2));
	}

	/** A loopback port free at the moment, for an application to listen on. */
	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
