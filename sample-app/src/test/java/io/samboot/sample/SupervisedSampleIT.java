package io.samboot.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.samboot.PosixSignal;
import io.samboot.nativeaccess.NativeAccess;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * The packaged sample application, started with {@code java -jar} as a user would, seen through real
 * HTTP and real signals: crash, hang and unhealthy instances are replaced with the right cause, the
 * counter in the SAM data store survives, the meters are published, and SIGTERM ends it all.
 */
@Execution(ExecutionMode.CONCURRENT)
class SupervisedSampleIT {

    private static final Duration START = Duration.ofSeconds(60);

    private static final NativeAccess OS = NativeAccess.get();

    @Test
    void survivesCrashHangAndUnhealthyInstancesKeepingItsCounterThenStopsOnSigterm() throws Exception {
        try (SampleApp app = SampleApp.start("--sam.time-interval=2s", "--sam.kill-delay=1s")) {
            String first = app.awaitGet("/actuator/sam", body -> body.contains("\"state\":\"started\""), START);
            assertThat(SampleApp.number(first, "instanceId")).isEqualTo(1);
            assertThat(SampleApp.number(first, "supervisorPid")).isEqualTo(app.supervisorPid());
            assertThat(app.post("/counter").statusCode()).isEqualTo(200);
            assertThat(app.post("/counter").statusCode()).isEqualTo(200);

            // SIGKILL of the instance: replaced, cause "exited".
            OS.kill(SampleApp.number(first, "pid"), PosixSignal.KILL);
            String second = app.awaitGet("/actuator/sam",
                    body -> body.contains("\"instanceId\":2") && body.contains("\"state\":\"started\""), START);
            assertThat(second).contains("\"cause\":\"exited\"");
            assertThat(SampleApp.number(app.awaitGet("/counter", body -> true, START), "counter")).isEqualTo(2);

            // A hung health check: warning, SIGKILL, new instance, cause "health-check-timeout".
            app.post("/chaos/hang");
            String third = app.awaitGet("/actuator/sam",
                    body -> body.contains("\"instanceId\":3") && body.contains("\"state\":\"started\""), START);
            assertThat(third).contains("\"cause\":\"health-check-timeout\"");
            app.awaitLine("sent SIGTERM, SIGKILL follows in 1s", START);

            // An unhealthy @SamHealthCheck: cause "health-check-failed".
            app.post("/chaos/unhealthy");
            String fourth = app.awaitGet("/actuator/sam",
                    body -> body.contains("\"instanceId\":4") && body.contains("\"state\":\"started\""), START);
            assertThat(fourth).contains("\"cause\":\"health-check-failed\"");
            assertThat(SampleApp.number(app.awaitGet("/counter", body -> true, START), "counter")).isEqualTo(2);
            assertThat(SampleApp.number(fourth, "restartCount")).isEqualTo(3);

            String prometheus = app.awaitGet("/actuator/prometheus", body -> body.contains("sam_instance_id"), START);
            assertThat(prometheus).contains("sam_instance_id", "sam_restarts", "sam_state", "sam_healthcheck",
                    "sam_data_size");

            long instance = SampleApp.number(fourth, "pid");
            OS.kill(app.supervisorPid(), PosixSignal.TERM);
            assertThat(app.awaitExit(START)).as(app.toString()).isEqualTo(128 + 15);
            assertThat(SampleApp.alive(instance)).isFalse();
            assertThat(app.find(line -> line.contains("launched instance 5"))).isEmpty();
        }
    }

    @Test
    void aBadValueInTheConfigurationStopsStartUpWithAnExplanationAndLeavesNothingRunning() throws Exception {
        try (SampleApp app = SampleApp.start("--sam.warn-signal=STOP")) {
            int status = app.awaitExit(START);
            assertThat(status).as(app.toString()).isNotZero();
            assertThat(app.find(line -> line.contains("APPLICATION FAILED TO START"))).as(app.toString()).isPresent();
            assertThat(app.find(line -> line.contains("sam.warn-signal"))).as(app.toString()).isPresent();
            assertThat(app.supervisor().descendants().filter(ProcessHandle::isAlive).count()).isZero();
        }
    }
}
