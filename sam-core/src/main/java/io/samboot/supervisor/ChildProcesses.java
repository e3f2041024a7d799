package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The child processes of a process, as Linux's {@code /proc} shows them. Behind an
 * interface so that {@link OrphanReaper}'s decisions can be tested without processes.
 */
interface ChildProcesses {

	/**
	 * The children of {@code parentPid} at this moment (a snapshot that may already be
	 * stale).
	 */
	List<Child> of(long parentPid) throws IOException;

	/**
	 * One child: its PID, its state letter ({@code Z} for a zombie) and its command name.
	 */
	record Child(long pid, char state, String command) {

		boolean zombie() {
			return this.state == 'Z';
		}
	}

	/** Whether this system has a Linux {@code /proc}. */
	static boolean procAvailable() {
		return Files.isReadable(Path.of("/proc/self/stat"));
	}

	/** The children from {@code /proc}. */
	static ChildProcesses proc() {
		return new Proc(Path.of("/proc"));
	}

	/**
	 * Reads {@code /proc}: the {@code task/<tid>/children} lists where the kernel offers
	 * them ({@code CONFIG_PROC_CHILDREN}, a few small files for the supervisor's
	 * threads), otherwise every {@code /proc/<pid>/stat} (in a container, few).
	 */
	final class Proc implements ChildProcesses {

		private final Path root;

		Proc(Path root) {
			this.root = root;
		}

		@Override
		public List<Child> of(long parentPid) throws IOException {
			Path tasks = this.root.resolve(Long.toString(parentPid)).resolve("task");
			List<Long> listed = childrenFiles(tasks);
			List<Child> children = new ArrayList<>();
			if (listed != null) {
				for (long pid : listed) {
					stat(pid).filter(stat -> stat.parentPid() == parentPid)
						.ifPresent(stat -> children.add(stat.child()));
				}
				return children;
			}
			try (DirectoryStream<Path> entries = Files.newDirectoryStream(this.root, Proc::isPidDirectory)) {
				for (Path entry : entries) {
					stat(Long.parseLong(entry.getFileName().toString())).filter(stat -> stat.parentPid() == parentPid)
						.ifPresent(stat -> children.add(stat.child()));
				}
			}
			return children;
		}

		private static boolean isPidDirectory(Path entry) {
			String name = entry.getFileName().toString();
			if (name.isEmpty() || name.length() > 10) {
				return false;
			}
			for (int i = 0; i < name.length(); i++) {
				if (!Character.isDigit(name.charAt(i))) {
					return false;
				}
			}
			return true;
		}

		/**
		 * The PIDs in every {@code task/<tid>/children} file, or {@code null} if the
		 * kernel has none.
		 */
		private static List<Long> childrenFiles(Path tasks) throws IOException {
			List<Long> pids = new ArrayList<>();
			try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
				for (Path thread : threads) {
					String text;
					try {
						text = Files.readString(thread.resolve("children"));
					}
					catch (NoSuchFileException ex) {
						if (!Files.exists(thread)) {
							continue; // the thread ended meanwhile
						}
						return null;
					}
					for (String pid : text.trim().split("\\s+")) {
						if (!pid.isEmpty()) {
							pids.add(Long.parseLong(pid));
						}
					}
				}
			}
			return pids;
		}

		private Optional<Stat> stat(long pid) {
			try {
				return Optional
					.ofNullable(parseStat(Files.readString(this.root.resolve(Long.toString(pid)).resolve("stat"))));
			}
			catch (IOException ex) {
				return Optional.empty(); // gone meanwhile
			}
		}

	}

	/** The fields of {@code /proc/<pid>/stat} a reaper needs. */
	record Stat(long pid, String command, char state, long parentPid) {

		Child child() {
			return new Child(this.pid, this.state, this.command);
		}
	}

	/**
	 * Parses {@code /proc/<pid>/stat}: {@code pid (comm) state ppid ...}, where
	 * {@code comm} may hold spaces and parentheses, so it ends at the last {@code ')'}.
	 * @return the fields, or {@code null} if the text is not such a line
	 */
	static Stat parseStat(String text) {
		int open = text.indexOf('(');
		int close = text.lastIndexOf(')');
		if (open < 1 || close < open || close + 2 >= text.length()) {
			return null;
		}
		String[] rest = text.substring(close + 2).trim().split(" ");
		if (rest.length < 2 || rest[0].length() != 1) {
			return null;
		}
		try {
			return new Stat(Long.parseLong(text.substring(0, open).trim()), text.substring(open + 1, close),
					rest[0].charAt(0), Long.parseLong(rest[1]));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
