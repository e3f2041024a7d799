package io.samboot.supervisor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.samboot.EndCause;
import io.samboot.InstanceRecord;
import io.samboot.nativeaccess.NativeAccess;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** When the supervisor gives the C library's free memory back. */
class NativeHeapTrimTests {

	private final AtomicLong now = new AtomicLong(1_000);

	private final List<Runnable> started = new ArrayList<>();

	private final AtomicInteger trims = new AtomicInteger();

	private final NativeAccess os = new FakeNativeAccess() {

		@Override
		public boolean trimNativeHeap() {
			NativeHeapTrimTests.this.trims.incrementAndGet();
			return true;
		}

	};

	private final NativeHeapTrim trim = new NativeHeapTrim(this.os, this.now::get, this.started::add);

	@Test
	void theFirstSignOfHealthOnceTheDelayHasPassedStartsOneTrim() {
		this.trim.healthCheckingStarted(1);
		this.now.addAndGet(NativeHeapTrim.DELAY_NANOS - 1);
		this.trim.instanceHealthy(1);
		assertThat(this.started).isEmpty();

		this.now.addAndGet(1);
		this.trim.instanceHealthy(1);
		this.now.addAndGet(NativeHeapTrim.DELAY_NANOS);
		this.trim.instanceHealthy(1);
		assertThat(this.started).hasSize(1);
	}

	@Test
	void eachInstanceIsTrimmedAfterOnce() {
		this.trim.healthCheckingStarted(1);
		this.now.addAndGet(NativeHeapTrim.DELAY_NANOS);
		this.trim.instanceHealthy(1);
		this.trim.healthCheckingStarted(2);
		this.trim.instanceHealthy(2);
		assertThat(this.started).as("the second instance's delay has not passed").hasSize(1);

		this.now.addAndGet(NativeHeapTrim.DELAY_NANOS);
		this.trim.instanceHealthy(1);
		this.trim.instanceHealthy(2);
		assertThat(this.started).hasSize(2);
	}

	@Test
	void anInstanceThatEndsOrStopsCheckingBeforeItsTrimIsForgotten() {
		this.trim.healthCheckingStarted(1);
		this.trim
			.instanceEnded(new InstanceRecord(1, 42, Instant.EPOCH, Instant.EPOCH, EndCause.EXITED, 1, null, "exited"));
		this.now.addAndGet(NativeHeapTrim.DELAY_NANOS);
		this.trim.instanceHealthy(1);
		this.trim.healthCheckingStarted(2);
		this.trim.healthCheckingStopped(2);
		this.now.addAndGet(NativeHeapTrim.DELAY_NANOS);
		this.trim.instanceHealthy(2);
		assertThat(this.started).isEmpty();
	}

	@Test
	void anotherInstancesSignOfHealthStartsNothing() {
		this.trim.healthCheckingStarted(2);
		this.now.addAndGet(NativeHeapTrim.DELAY_NANOS);
		this.trim.instanceHealthy(1);
		assertThat(this.started).isEmpty();
		this.trim.instanceHealthy(2);
		assertThat(this.started).hasSize(1);
	}

	@Test
	void theStartedTrimLowersItsThreadAndAsksTheCLibrary() {
		this.trim.healthCheckingStarted(1);
		this.now.addAndGet(NativeHeapTrim.DELAY_NANOS);
		this.trim.instanceHealthy(1);
		assertThat(this.trims).hasValue(0);
		this.started.forEach(Runnable::run);
		assertThat(this.trims).hasValue(1);
		assertThat(((FakeNativeAccess) this.os).loweredThreads).containsExactly(0L);
	}

	@Test
	void onItsOwnThreadTheTrimRunsOnADaemonThreadOfItsOwn() throws Exception {
		CompletableFuture<Thread> ranOn = new CompletableFuture<>();
		NativeHeapTrim.startThread(() -> ranOn.complete(Thread.currentThread()));
		Thread thread = ranOn.get(10, TimeUnit.SECONDS);
		assertThat(thread.getName()).isEqualTo("sam-heap-trim");
		assertThat(thread.isDaemon()).isTrue();
		assertThat(thread).isNotSameAs(Thread.currentThread());
	}

}
