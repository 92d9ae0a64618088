package org.massagetriage.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects every record at ERROR or above from any category while it is open (a handler on the root
 * logger of the running application, which shares the test's JVM), so a test can assert that a
 * request wrote none.
 */
final class ErrorLogCapture extends Handler implements AutoCloseable {

    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    static ErrorLogCapture open() {
        ErrorLogCapture capture = new ErrorLogCapture();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
            errors.add(record.getLoggerName() + ": " + record.getMessage()
                    + (record.getThrown() == null ? "" : " with " + record.getThrown()));
        }
    }

    /**
     * The ERROR records so far, after a short pause: the framework logs some failures just after
     * the answer has left (the chunked-body failure did), and those must be caught too.
     */
    List<String> errors() throws InterruptedException {
        Thread.sleep(300);
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
