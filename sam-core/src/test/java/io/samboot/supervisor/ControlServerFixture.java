package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;

import io.samboot.SamSettings;
import io.samboot.log.SamLog;

/**
 * A JVM for control-directory and control-channel tests, ending when its standard input
 * closes (so that it never outlives the test). Logs go to standard output.
 * <ul>
 * <li>{@code serve <base> <secret-hex>}: a {@link ControlServer} in a new directory in
 * the base, expecting instance 1 with that secret; prints {@code directory <path>},
 * {@code ready} and each event as {@code event <type>}.</li>
 * <li>{@code hold <base>}: only a new control directory (its lock held, no socket);
 * prints {@code directory <path>} and {@code ready}.</li>
 * <li>{@code clean <base> <pid>}: the stale-directory clean-up on the base, as the next
 * supervisor starting there does; prints whether PID {@code <pid>} is alive as seen from
 * here, then {@code done}, and exits.</li>
 * </ul>
 */
public final class ControlServerFixture {

	private ControlServerFixture() {
	}

	public static void main(String[] args) throws Exception {
		SupervisorConsole.install(SamSettings.defaults()).release();
		SamLog log = SamLog.get(ControlServerFixture.class);
		Path base = Path.of(args[1]);
		switch (args[0]) {
			case "serve" -> {
				Path directory = ControlDirectory.create(List.of(base), log);
				SupervisorInbox inbox = SupervisorInbox.open(log);
				ControlServer server = ControlServer.openIn(directory, inbox, log);
				Thread loop = new Thread(() -> printEvents(inbox), "fixture-loop");
				loop.setDaemon(true);
				loop.start();
				server.expect(1, HexFormat.of().parseHex(args[2]));
				ready(directory);
			}
			case "hold" -> ready(ControlDirectory.create(List.of(base), log));
			case "clean" -> {
				long pid = Long.parseLong(args[2]);
				System.out
					.println("alive " + pid + " " + ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
				ControlDirectory.removeStale(base, (Integer) Files.getAttribute(base, "unix:uid"));
				System.out.println("done");
				System.exit(0);
			}
			default -> throw new IllegalArgumentException(args[0]);
		}
	}

	/** Takes the inbox's events as the supervisor loop does, and prints each. */
	private static void printEvents(SupervisorInbox inbox) {
		while (true) {
			SupervisorEvent event = inbox.next(Long.MAX_VALUE);
			if (event != null) {
				System.out.println("event " + event.getClass().getSimpleName());
			}
		}
	}

	private static void ready(Path directory) throws IOException {
		System.out.println("directory " + directory);
		System.out.println("ready");
		while (System.in.read() != -1) {
			// keep reading
		}
		Runtime.getRuntime().halt(0);
	}

}
