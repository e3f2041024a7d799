package io.samboot.corosync;

import io.samboot.supervisor.SupervisorLog;

/** Where the corosync integration logs: the supervisor's log, or a test's list. */
interface CorosyncLog {

    void info(String message);

    void warn(String message);

    /** The supervisor's log ({@code [sam-supervisor]} lines on standard output). */
    static CorosyncLog supervisor() {
        SupervisorLog log = SupervisorLog.get();
        return new CorosyncLog() {
            @Override
            public void info(String message) {
                log.info(message);
            }

            @Override
            public void warn(String message) {
                log.warn(message);
            }
        };
    }
}
