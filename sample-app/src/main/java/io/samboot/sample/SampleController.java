package io.samboot.sample;

import java.nio.ByteBuffer;

import io.samboot.SamClient;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The demo endpoints: who am I, faults to inject, and a counter that survives restarts. */
@RestController
public class SampleController {

    private final SamClient sam;

    private final Chaos chaos;

    public SampleController(SamClient sam, Chaos chaos) {
        this.sam = sam;
        this.chaos = chaos;
    }

    /** This instance as SAM sees it. */
    @GetMapping("/")
    public InstanceInfo instance() {
        return new InstanceInfo(this.sam.instanceId(), this.sam.restartCount(), this.sam.state().id(),
                ProcessHandle.current().pid());
    }

    /** Health checks stop answering: the supervisor sends the warning signal, then SIGKILL, then restarts. */
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

    /** A {@code @SamHealthCheck} starts reporting DOWN: the supervisor restarts the instance. */
    @PostMapping("/chaos/unhealthy")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Message unhealthy() {
        this.chaos.makeUnhealthy();
        return new Message("instance " + this.sam.instanceId() + " now reports unhealthy");
    }

    /** Adds one to the counter kept in SAM's data store, where it survives restarts. */
    @PostMapping("/counter")
    public synchronized Counter increment() {
        long value = read() + 1;
        this.sam.dataStore(ByteBuffer.allocate(Long.BYTES).putLong(value).array());
        return new Counter(value, this.sam.instanceId());
    }

    @GetMapping("/counter")
    public synchronized Counter counter() {
        return new Counter(read(), this.sam.instanceId());
    }

    private long read() {
        byte[] data = this.sam.dataRestore();
        return (data.length == Long.BYTES) ? ByteBuffer.wrap(data).getLong() : 0;
    }

    public record InstanceInfo(int instanceId, int restartCount, String state, long pid) {
    }

    public record Counter(long counter, int instanceId) {
    }

    public record Message(String message) {
    }
}
