package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Whether there is memory for one more JVM as large as a running one, before the hot
 * standby is launched: what the kernel says is available ({@code MemAvailable} in
 * {@code /proc/meminfo}), and within the cgroup's limit when there is one (a container's
 * {@code memory.max} less its {@code memory.current}), against the resident size of the
 * active instance. Where the files cannot be read (not Linux), nothing is known and
 * nothing is refused.
 */
final class MemoryHeadroom {

	private final Path procRoot;

	private final Path cgroupRoot;

	MemoryHeadroom() {
		this(Path.of("/proc"), Path.of("/sys/fs/cgroup"));
	}

	/** With other roots for {@code /proc} and the cgroup file system, for tests. */
	MemoryHeadroom(Path procRoot, Path cgroupRoot) {
		this.procRoot = procRoot;
		this.cgroupRoot = cgroupRoot;
	}

	/**
	 * Why a JVM as large as this process cannot be started now, or {@code null} when it
	 * can (or nothing is known).
	 */
	String shortage(long pid) {
		OptionalLong needed = kilobytes(this.procRoot.resolve(pid + "/status"), "VmRSS:");
		if (needed.isEmpty()) {
			return null;
		}
		OptionalLong available = kilobytes(this.procRoot.resolve("meminfo"), "MemAvailable:");
		OptionalLong inCgroup = cgroupHeadroomKb();
		long headroom = Math.min(available.orElse(Long.MAX_VALUE), inCgroup.orElse(Long.MAX_VALUE));
		if (headroom >= needed.getAsLong()) {
			return null;
		}
		return (headroom / 1024) + " MB available" + (inCgroup.isPresent() ? " (within the cgroup's memory.max)" : "")
				+ ", but the active instance uses " + (needed.getAsLong() / 1024) + " MB";
	}

	private OptionalLong cgroupHeadroomKb() {
		try {
			String max = Files.readString(this.cgroupRoot.resolve("memory.max")).trim();
			if (max.equals("max")) {
				return OptionalLong.empty();
			}
			long current = Long.parseLong(Files.readString(this.cgroupRoot.resolve("memory.current")).trim());
			return OptionalLong.of(Math.max(0, Long.parseLong(max) - current) / 1024);
		}
		catch (IOException | RuntimeException ex) {
			return OptionalLong.empty();
		}
	}

	private static OptionalLong kilobytes(Path file, String field) {
		try {
			for (String line : Files.readAllLines(file)) {
				if (line.startsWith(field)) {
					return OptionalLong.of(Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]));
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Not Linux, or the process is gone: nothing known.
		}
		return OptionalLong.empty();
	}

}
