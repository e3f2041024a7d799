package io.samboot.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which threads {@link BackgroundThreads#lowerCompilers} lowers: HotSpot's compiler
 * threads, by the name the kernel keeps (15 bytes), and no other.
 */
class BackgroundThreadsTests {

	@TempDir
	Path tasks;

	@Test
	void onlyTheCompilerThreadsAreLowered() throws IOException {
		thread(100, "java");
		thread(101, "VM Thread");
		thread(102, "C2 CompilerThre");
		thread(103, "C1 CompilerThre");
		thread(104, "sam-loop");
		thread(105, "Sweeper thread");
		thread(106, "JVMCI CompilerT");
		FakeNativeAccess os = new FakeNativeAccess();

		assertThat(BackgroundThreads.lowerCompilers(os, this.tasks)).isEqualTo(3);
		assertThat(os.loweredThreads).containsExactlyInAnyOrder(102L, 103L, 106L);
	}

	@Test
	void aThreadThatEndedOnTheWayIsSkipped() throws IOException {
		Files.createDirectory(this.tasks.resolve("200"));
		thread(201, "C1 CompilerThre");
		FakeNativeAccess os = new FakeNativeAccess();

		assertThat(BackgroundThreads.lowerCompilers(os, this.tasks)).isOne();
		assertThat(os.loweredThreads).containsExactly(201L);
	}

	@Test
	void withoutTheThreadListNothingIsLowered() {
		FakeNativeAccess os = new FakeNativeAccess();

		assertThat(BackgroundThreads.lowerCompilers(os, this.tasks.resolve("missing"))).isZero();
		assertThat(os.loweredThreads).isEmpty();
	}

	@Test
	void theNamesAreHotSpotsCompilerThreads() {
		assertThat(BackgroundThreads.isCompiler("C1 CompilerThre")).isTrue();
		assertThat(BackgroundThreads.isCompiler("C2 CompilerThre")).isTrue();
		assertThat(BackgroundThreads.isCompiler("C3 CompilerThre")).isFalse();
		assertThat(BackgroundThreads.isCompiler("CompilerThread")).isFalse();
		assertThat(BackgroundThreads.isCompiler(null)).isFalse();
	}

	private void thread(long tid, String name) throws IOException {
		Path thread = Files.createDirectory(this.tasks.resolve(Long.toString(tid)));
		Files.writeString(thread.resolve("comm"), name + "\n");
	}

}
