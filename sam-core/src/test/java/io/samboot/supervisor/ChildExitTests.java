package io.samboot.supervisor;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ChildExit} with a {@link FakeNativeAccess} that ends children on call;
 * {@code ExitAtCloseProcessTests} and the supervisor's process tests have real ones.
 */
class ChildExitTests {

	@Test
	void anAdoptedChildsStatusIsToldBeforeItIsReaped() throws Exception {
		Ending os = new Ending(137);
		CompletableFuture<Integer> exit = os.watch(ChildExit.ofAdopted(42, 1, os));

		assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(137);
		os.reaped.get(10, TimeUnit.SECONDS);
		assertThat(os.calls).containsExactly("awaitChildExit(42)", "waitpidNoHang(42), status told: true");
	}

	@Test
	void withoutTheWaitingCallTheStatusIsTheReapedOne() throws Exception {
		Ending os = new Ending(-1);
		os.reapedStatus = 3;
		// Above any pid_max: no such process, so nothing to wait for.
		CompletableFuture<Integer> exit = os.watch(ChildExit.ofAdopted(Integer.MAX_VALUE - 1, 1, os));

		assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(3);
	}

	@Test
	void aReapThatFailsAfterTheStatusWasToldLeavesTheStatus() throws Exception {
		Ending os = new Ending(137);
		os.reapFails = true;
		CompletableFuture<Integer> exit = os.watch(ChildExit.ofAdopted(42, 1, os));

		assertThat(exit.get(10, TimeUnit.SECONDS)).isEqualTo(137);
	}

	@Test
	void withoutTheWaitingCallAFailedReapFailsTheExit() {
		Ending os = new Ending(-1);
		os.reapFails = true;
		CompletableFuture<Integer> exit = os.watch(ChildExit.ofAdopted(Integer.MAX_VALUE - 1, 1, os));

		assertThatExceptionOfType(Exception.class).isThrownBy(() -> exit.get(10, TimeUnit.SECONDS))
			.withRootCauseInstanceOf(IllegalStateException.class);
	}

	/**
	 * Ends the child it is asked about with {@code status} once the test holds its exit;
	 * -1: has no such call.
	 */
	private static final class Ending extends FakeNativeAccess {

		final List<String> calls = new ArrayList<>();

		final CompletableFuture<Void> reaped = new CompletableFuture<>();

		private final int status;

		private final CountDownLatch watched = new CountDownLatch(1);

		private volatile CompletableFuture<Integer> exit;

		int reapedStatus = 1;

		boolean reapFails;

		Ending(int status) {
			this.status = status;
		}

		/** Lets the child end, now that the test holds its exit. */
		CompletableFuture<Integer> watch(CompletableFuture<Integer> exit) {
			this.exit = exit;
			this.watched.countDown();
			return exit;
		}

		@Override
		public int awaitChildExit(long pid) {
			try {
				this.watched.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.calls.add("awaitChildExit(" + pid + ")");
			if (this.status == -1) {
				return super.awaitChildExit(pid);
			}
			return this.status;
		}

		@Override
		public OptionalInt waitpidNoHang(long pid) {
			if (this.reapFails) {
				throw new IllegalStateException("waitpid failed");
			}
			this.calls.add("waitpidNoHang(" + pid + "), status told: " + this.exit.isDone());
			this.reaped.complete(null);
			return OptionalInt.of(this.reapedStatus);
		}

	}

}
