package io.samboot.supervisor;

import java.io.PrintStream;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The supervisor's log: lines on the same standard output as the application, each marked
 * {@code [sam-supervisor]}, in a layout close to Spring Boot's console so both read as one log.
 *
 * <p>The supervisor deliberately does not use the application's logging system: it runs before
 * (and instead of) the application's context, and must keep logging whatever the application's
 * logging configuration does.
 */
public final class SupervisorLog {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private static final SupervisorLog INSTANCE = new SupervisorLog(System.out, ProcessHandle.current().pid());

    private final PrintStream out;

    private final long pid;

    SupervisorLog(PrintStream out, long pid) {
        this.out = out;
        this.pid = pid;
    }

    public static SupervisorLog get() {
        return INSTANCE;
    }

    public void info(String message) {
        log("INFO", message);
    }

    public void warn(String message) {
        log("WARN", message);
    }

    public void error(String message) {
        log("ERROR", message);
    }

    /** A duration as the supervisor's log lines write it: {@code 4s}, {@code 250ms}, {@code 0s (none)}. */
    static String describe(Duration duration) {
        if (duration.isZero()) {
            return "0s (none)";
        }
        long millis = duration.toMillis();
        return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
    }

    private void log(String level, String message) {
        String line = OffsetDateTime.now().format(TIME) + " " + (level.length() == 4 ? " " + level : level) + " "
                + this.pid + " --- [sam-supervisor] " + message;
        synchronized (this.out) {
            this.out.println(line);
            this.out.flush();
        }
    }
}
