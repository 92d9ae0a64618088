package org.massagetriage.audit;

/** The decision store cannot take or give records now; answers become 503 with Retry-After. */
public class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
