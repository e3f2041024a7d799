package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Whether another user could swap the control directory's base, or anything on the way to
 * it, for something of their own. Checking the base alone is not enough: whoever may
 * write to a directory on its path can rename the base's parent (or the base) away and
 * put their own directory, with their own socket, where the instance will look; whoever
 * owns a symbolic link on it chooses where it leads. So every component from {@code /}
 * down is checked, following symbolic links: each must be owned by root or by this user,
 * and a directory must not be writable by group or others unless it is sticky (as
 * {@code /tmp} is: there only the owner of an entry may rename it, and the entries after
 * it are checked to be ours or root's).
 */
final class BasePath {

	/** As the kernel's {@code MAXSYMLINKS}: a longer chain is taken for a loop. */
	private static final int MAX_LINKS = 40;

	private BasePath() {
	}

	/**
	 * Why {@code base} is not safe for this user, naming the component at fault and what
	 * to do, or {@code null} when it is safe.
	 * @param uid this process's user id
	 */
	static String problem(Path base, long uid) throws IOException {
		Path absolute = base.toAbsolutePath();
		Path current = absolute.getRoot();
		String problem = unsafeDirectory(current, uid);
		Deque<String> todo = new ArrayDeque<>();
		absolute.forEach((name) -> todo.addLast(name.toString()));
		int links = 0;
		while (problem == null && !todo.isEmpty()) {
			String name = todo.removeFirst();
			if (name.equals("..")) {
				// current holds no symbolic link, so its parent is the real one.
				current = (current.getParent() != null) ? current.getParent() : current;
				continue;
			}
			if (name.isEmpty() || name.equals(".")) {
				continue;
			}
			Path next = current.resolve(name);
			if (!Files.isSymbolicLink(next)) {
				problem = unsafeDirectory(next, uid);
				current = next;
				continue;
			}
			long owner = (Integer) Files.getAttribute(next, "unix:uid", LinkOption.NOFOLLOW_LINKS);
			if (owner != 0 && owner != uid) {
				return next + " is a symbolic link owned by uid " + owner + ", who chooses where it leads";
			}
			if (++links > MAX_LINKS) {
				return base + " has more than " + MAX_LINKS + " symbolic links on its path (a loop?)";
			}
			Path target = Files.readSymbolicLink(next);
			Deque<String> rest = new ArrayDeque<>();
			target.forEach((part) -> rest.addLast(part.toString()));
			while (!rest.isEmpty()) {
				todo.addFirst(rest.removeLast());
			}
			if (target.isAbsolute()) {
				current = target.getRoot();
			}
		}
		return problem;
	}

	private static String unsafeDirectory(Path directory, long uid) throws IOException {
		if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
			return directory + " is not a directory";
		}
		Map<String, Object> attributes = Files.readAttributes(directory, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
		long owner = (Integer) attributes.get("uid");
		int mode = (Integer) attributes.get("mode") & 07777;
		if (owner != 0 && owner != uid) {
			return directory + " belongs to uid " + owner + " (" + ownerName(directory)
					+ "), who could rename what is in it and put a socket of their own in its place";
		}
		if ((mode & 0022) != 0 && (mode & 01000) == 0) {
			return String.format(
					"%s may be written by %s (mode %04o) and is not sticky, so they could rename what is in it",
					directory, ((mode & 0002) != 0) ? "other users" : "its group", mode);
		}
		return null;
	}

	private static String ownerName(Path directory) {
		try {
			return Files.getOwner(directory, LinkOption.NOFOLLOW_LINKS).getName();
		}
		catch (IOException ex) {
			return "unknown name";
		}
	}

}
