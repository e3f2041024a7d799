package io.samboot.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A second, unprivileged Unix user for the attacks another user could make: created with
 * {@code useradd} on first use (a system account without a home or a login shell), and
 * commands run as it with {@code runuser}. Tests that need it call {@link #require()},
 * which skips them, saying why, when they do not run as root or the tools are missing.
 */
public final class OtherUser {

	/** The account's name. */
	public static final String NAME = "samattacker";

	private final int uid;

	private final int gid;

	private OtherUser(int uid, int gid) {
		this.uid = uid;
		this.gid = gid;
	}

	/**
	 * The user, created if need be; skips the calling test (a JUnit assumption) where
	 * that is impossible.
	 */
	public static synchronized OtherUser require() {
		assumeTrue(System.getProperty("os.name", "").toLowerCase().startsWith("linux"), "needs Linux");
		assumeTrue("root".equals(System.getProperty("user.name")),
				"needs root, to create a second user and act as it (runs as " + System.getProperty("user.name") + ")");
		assumeTrue(Files.isExecutable(Path.of("/usr/sbin/useradd")) && Files.isExecutable(Path.of("/usr/sbin/runuser")),
				"needs useradd and runuser (package passwd, util-linux) to act as a second user");
		if (exec("id", "-u", NAME).exitCode != 0) {
			Result added = exec("/usr/sbin/useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
					NAME);
			assumeTrue(added.exitCode == 0 || exec("id", "-u", NAME).exitCode == 0,
					"useradd " + NAME + " failed: " + added.output);
		}
		return new OtherUser(Integer.parseInt(exec("id", "-u", NAME).output.trim()),
				Integer.parseInt(exec("id", "-g", NAME).output.trim()));
	}

	public int uid() {
		return this.uid;
	}

	public int gid() {
		return this.gid;
	}

	/** The command line that runs this command as the user ({@code runuser -u}). */
	public List<String> command(String... command) {
		List<String> line = new ArrayList<>(List.of("/usr/sbin/runuser", "-u", NAME, "--"));
		line.addAll(List.of(command));
		return line;
	}

	/**
	 * Runs a short command as the user and fails unless it exits 0 within 30 s.
	 * @return what it printed
	 */
	public String run(String... command) {
		Result result = exec(command(command).toArray(String[]::new));
		if (result.exitCode != 0) {
			throw new IllegalStateException(String.join(" ", command) + " as " + NAME + " exited with "
					+ result.exitCode + ": " + result.output);
		}
		return result.output;
	}

	private static Result exec(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getOutputStream().close();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return new Result(-1, String.join(" ", command) + " did not end within 30 s");
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			return new Result(process.exitValue(), output);
		}
		catch (IOException ex) {
			return new Result(-1, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(-1, ex.toString());
		}
	}

	private record Result(int exitCode, String output) {
	}

}
