package io.samboot.sample;

import io.samboot.SamClient;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The demo endpoints: who am I, faults to inject, and a counter that survives restarts.
 */
@RestController
public class SampleController {

	private final SamClient sam;

	private final Chaos chaos;

	private final SampleStore store;

	public SampleController(SamClient sam, Chaos chaos, SampleStore store) {
		this.sam = sam;
		this.chaos = chaos;
		this.store = store;
	}

	/** This instance as SAM sees it. */
	@GetMapping("/")
	public InstanceInfo instance() {
		return new InstanceInfo(this.sam.instanceId(), this.sam.restartCount(), this.sam.state().id(),
				ProcessHandle.current().pid());
	}

	/**
	 * Health checks stop answering: the supervisor sends the warning signal, then
	 * SIGKILL, then restarts.
	 */
	@PostMapping("/chaos/hang")
	@ResponseStatus(HttpStatus.ACCEPTED)
	public Message hang() {
		this.chaos.hang();
		return new Message("health checks of instance " + this.sam.instanceId() + " now hang");
	}

	/** The JVM dies right after this response, with exit status 3. */
	@PostMapping("/chaos/crash")
	@ResponseStatus(HttpStatus.ACCEPTED)
	public Message crash() {
		Thread crasher = new Thread(() -> {
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			Runtime.getRuntime().halt(3);
		}, "chaos-crash");
		crasher.start();
		return new Message("instance " + this.sam.instanceId() + " halts with status 3");
	}

	/**
	 * A {@code @SamHealthCheck} starts reporting DOWN: the supervisor restarts the
	 * instance.
	 */
	@PostMapping("/chaos/unhealthy")
	@ResponseStatus(HttpStatus.ACCEPTED)
	public Message unhealthy() {
		this.chaos.makeUnhealthy();
		return new Message("instance " + this.sam.instanceId() + " now reports unhealthy");
	}

	/**
	 * The next {@code times} instances halt (status 4) right after they start: a crash
	 * loop to watch.
	 */
	@PostMapping("/chaos/crash-on-start")
	@ResponseStatus(HttpStatus.ACCEPTED)
	public Message crashOnStart(@RequestParam(defaultValue = "1") int times) {
		this.store.write(this.store.read().withCrashesOnStart(times));
		return new Message("the next " + times + " instance(s) crash right after they start");
	}

	/**
	 * A long stop-the-world garbage collection: a healthy instance that SAM must not kill
	 * for it.
	 */
	@PostMapping("/chaos/gc-pause")
	@ResponseStatus(HttpStatus.ACCEPTED)
	public Message gcPause(@RequestParam(defaultValue = "512") int megabytes) {
		this.chaos.gcPause(megabytes);
		return new Message("instance " + this.sam.instanceId() + " runs full collections over " + megabytes + " MB");
	}

	/** Adds one to the counter kept in SAM's data store, where it survives restarts. */
	@PostMapping("/counter")
	public synchronized Counter increment() {
		SampleStore.State state = this.store.read();
		long value = state.counter() + 1;
		this.store.write(state.withCounter(value));
		return new Counter(value, this.sam.instanceId());
	}

	@GetMapping("/counter")
	public synchronized Counter counter() {
		return new Counter(this.store.read().counter(), this.sam.instanceId());
	}

	/**
	 * Keeps the request's bytes in the data store (checksummed), where they survive
	 * restarts.
	 */
	@PutMapping(path = "/blob", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
	public synchronized Message putBlob(@RequestBody byte[] blob) {
		this.store.write(this.store.read().withBlob(blob));
		return new Message(blob.length + " bytes stored");
	}

	@GetMapping(path = "/blob", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
	public byte[] getBlob() {
		return this.store.read().blob();
	}

	public record InstanceInfo(int instanceId, int restartCount, String state, long pid) {
	}

	public record Counter(long counter, int instanceId) {
	}

	public record Message(String message) {
	}

}
