package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a second JVM fits, read from files shaped as Linux writes them. */
class MemoryHeadroomTests {

	@TempDir
	Path proc;

	@TempDir
	Path cgroup;

	@Test
	void enoughMemoryIsNoShortage() throws IOException {
		instanceUses(300_000);
		available(2_000_000);

		assertThat(new MemoryHeadroom(this.proc, this.cgroup).shortage(42)).isNull();
	}

	@Test
	void lessAvailableThanTheInstanceUsesIsAShortageWithBothFigures() throws IOException {
		instanceUses(300_000);
		available(200_000);

		assertThat(new MemoryHeadroom(this.proc, this.cgroup).shortage(42))
			.isEqualTo("195 MB available, but the active instance uses 292 MB");
	}

	@Test
	void aContainersLimitCountsWhenItIsTighter() throws IOException {
		instanceUses(300_000);
		available(8_000_000);
		Files.writeString(this.cgroup.resolve("memory.max"), "536870912\n");
		Files.writeString(this.cgroup.resolve("memory.current"), "419430400\n");

		assertThat(new MemoryHeadroom(this.proc, this.cgroup).shortage(42))
			.isEqualTo("112 MB available (within the cgroup's memory.max), but the active instance uses 292 MB");
	}

	@Test
	void nothingKnownIsNoShortage() {
		assertThat(new MemoryHeadroom(this.proc, this.cgroup).shortage(42)).isNull();
	}

	private void instanceUses(long kilobytes) throws IOException {
		Files.createDirectories(this.proc.resolve("42"));
		Files.writeString(this.proc.resolve("42/status"),
				"Name:\tjava\nVmRSS:\t  " + kilobytes + " kB\nThreads:\t40\n");
	}

	private void available(long kilobytes) throws IOException {
		Files.writeString(this.proc.resolve("meminfo"),
				"MemTotal:       24683584 kB\nMemFree:        1000000 kB\nMemAvailable:   " + kilobytes + " kB\n");
	}

}
